// Draws the dashboard's charts with Chart.js (loaded before this file, from /lib/chart.umd.js, which the build
// copies from npm). Each <canvas data-chart="kind" data-source="id"> reads its figures from the
// <script type="application/json" id="id"> block the server rendered; the same figures are in a table beside it,
// so nothing is lost without script. No inline script, no eval, no network.
(() => {
  "use strict";
  document.documentElement.classList.add("js");
  if (typeof window.Chart !== "function") {
    // Without the library the figures tables remain; hide the empty chart boxes again.
    document.documentElement.classList.remove("js");
    return;
  }

  const palette = ["#2f5bd3", "#d14a5c", "#2e9d6a", "#dc9a1f", "#7b4fc9", "#1f9bb3", "#c2571a", "#5d6877", "#b0388f", "#6b8e23"];
  const color = (i, alpha) => {
    const hex = palette[i % palette.length];
    if (alpha === undefined) return hex;
    const n = parseInt(hex.slice(1), 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  };
  const percent = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);
  const axisPercent = { ticks: { callback: (v) => `${v} %` } };

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = getComputedStyle(document.body).color;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;

  const charts = {
    histogram(data) {
      return {
        type: "bar",
        data: {
          labels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(String),
          datasets: data.models.map((m, i) => ({ label: m.model, data: m.histogram, backgroundColor: color(i, 0.75) })),
        },
        options: {
          scales: {
            x: { stacked: true, title: { display: true, text: "overall score (rounded)" } },
            y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "trajectories" } },
          },
        },
      };
    },
    scatter(data) {
      return {
        type: "scatter",
        data: {
          datasets: data.models.filter((m) => m.resolveRate !== null && m.mean !== null).map((m, i) => ({
            label: m.model,
            data: [{ x: m.mean, y: percent(m.resolveRate) }],
            backgroundColor: color(i),
            pointRadius: 6 + Math.min(6, Math.sqrt(m.scored)),
            clip: 14, // points on the axes (0 %, score 0 or 10) are drawn whole
          })),
        },
        options: {
          scales: {
            x: { min: 0, max: 10, title: { display: true, text: "mean overthinking score" } },
            y: { min: 0, max: 100, ...axisPercent, title: { display: true, text: "resolve rate" } },
          },
          layout: { padding: 12 },
          plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: score ${c.parsed.x.toFixed(2)}, ${c.parsed.y} % resolved` } } },
        },
      };
    },
    patterns(data) {
      return {
        type: "bar",
        data: {
          labels: data.models.map((m) => m.model),
          datasets: data.patternLabels.map((label, p) => ({ label, data: data.models.map((m) => percent(m.patterns[p])), backgroundColor: color(p + 3, 0.8) })),
        },
        options: { scales: { y: { min: 0, max: 100, ...axisPercent, title: { display: true, text: "share of scored trajectories" } } } },
      };
    },
    "by-k"(data) {
      // Per strategy: the interval as a band (high filled down to low) and the rate as a line on top.
      const datasets = [];
      data.series.forEach((s, i) => {
        datasets.push({ label: `${s.label} low`, data: s.lows.map(percent), borderWidth: 0, pointRadius: 0, fill: false, band: true });
        datasets.push({ label: `${s.label} high`, data: s.highs.map(percent), borderWidth: 0, pointRadius: 0, backgroundColor: color(i, 0.15), fill: "-1", band: true });
        datasets.push({ label: s.label, data: s.rates.map(percent), borderColor: color(i), backgroundColor: color(i), pointRadius: 4, fill: false });
      });
      return {
        type: "line",
        data: { labels: data.k.map((k) => `k = ${k}`), datasets },
        options: {
          scales: { y: { min: 0, max: 100, ...axisPercent, title: { display: true, text: "tasks resolved" } } },
          plugins: {
            legend: { labels: { filter: (item, chart) => !chart.datasets[item.datasetIndex].band } },
            tooltip: { filter: (item) => !item.dataset.band },
          },
        },
      };
    },
  };

  for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
    const build = charts[canvas.dataset.chart];
    const source = document.getElementById(canvas.dataset.source || "");
    if (!build || !source) continue;
    try {
      const chart = new Chart(canvas, build(JSON.parse(source.textContent)));
      canvas.dataset.rendered = String(chart.data.datasets.length);
    } catch (error) {
      console.warn(`chart ${canvas.dataset.chart} could not be drawn`, error);
      canvas.closest(".chart")?.remove();
    }
  }
})();
