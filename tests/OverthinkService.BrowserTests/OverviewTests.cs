using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using OverthinkService.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OverthinkService.BrowserTests;

public sealed class OverviewFixture : DashboardFixture
{
    protected override async Task LoadAsync()
    {
        await TestData.LoadDemoAsync(this);
        await TestData.LoadRealAsync(this, 6);
    }
}

[Collection(ChromiumTests.Name)]
public sealed class OverviewTests(Chromium chromium, OverviewFixture api) : IClassFixture<OverviewFixture>
{
    [Fact]
    public async Task The_overview_counts_what_the_API_counts_and_draws_its_charts()
    {
        var overview = await api.GetJsonAsync("/api/v1/overview");
        var models = overview.GetProperty("models").EnumerateArray().Count(m => m.TryGetProperty("model", out var name) && name.ValueKind == JsonValueKind.String);

        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync("/");

        await Expect(page.Page).ToHaveTitleAsync("Overview · OverthinkService");
        await Expect(Stat(page, "trajectories")).ToHaveTextAsync(Text(overview, "trajectories"));
        await Expect(Stat(page, "tasks")).ToHaveTextAsync(Text(overview, "tasks"));
        await Expect(Stat(page, "runs")).ToHaveTextAsync(Text(overview, "runs"));
        await Expect(Stat(page, "models")).ToHaveTextAsync(models.ToString(CultureInfo.InvariantCulture));
        // Histogram, scatter and pattern shares, each drawn on a canvas from the page's JSON.
        await Expect(page.Page.Locator("canvas[data-chart]")).ToHaveCountAsync(3);
        await page.ChartsDrawnAsync();
        await page.ScreenshotAsync("overview");
        await page.ScreenshotAsync("overview-full", fullPage: true);
        page.AssertHealthy();
    }

    [Fact]
    public async Task The_figures_beside_the_charts_are_the_APIs_histogram_bands_and_pattern_counts()
    {
        var overview = await api.GetJsonAsync("/api/v1/overview");
        var models = overview.GetProperty("models").EnumerateArray().ToList();
        Assert.True(models.Sum(m => m.GetProperty("bands").GetProperty("detached").GetInt32()) > 0, "the data should include detached runs for this test to mean something");

        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync("/");

        await Expect(page.Page.Locator("#histogram-figures tbody tr")).ToHaveCountAsync(models.Count);
        foreach (var model in models)
        {
            var name = model.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "(no model)";
            var histogram = page.Page.Locator($"#histogram-figures tr[data-model=\"{name}\"] td");
            var expected = model.GetProperty("histogram").EnumerateArray().Select(b => b.GetInt32().ToString(CultureInfo.InvariantCulture)).ToArray();
            await Expect(histogram).ToHaveTextAsync(expected);

            var row = page.Page.Locator($"#model-figures tr[data-model=\"{name}\"]");
            foreach (var band in new[] { "fine", "occasional", "detached" })
            {
                await Expect(row.Locator($"[data-field=\"{band}\"]")).ToHaveTextAsync(model.GetProperty("bands").GetProperty(band).GetInt32().ToString(CultureInfo.InvariantCulture));
            }

            if (model.GetProperty("scored").GetInt32() > 0)
            {
                var patterns = model.GetProperty("patterns");
                var cells = page.Page.Locator($"#pattern-figures tr[data-model=\"{name}\"] td");
                Assert.Equal(
                    Patterns.Select(p => patterns.GetProperty(p).GetInt32().ToString(CultureInfo.InvariantCulture)).ToArray(),
                    await cells.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.count)"));
            }
        }

        page.AssertHealthy();
    }

    [Fact]
    public async Task A_model_in_the_table_links_to_its_trajectories()
    {
        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync("/");
        var first = page.Page.Locator("#model-figures tbody tr a").First;
        var model = await first.TextContentAsync();
        await first.ClickAsync();
        await page.Page.Locator("main h1").WaitForAsync();

        await Expect(page.Page.Locator("#filter-model")).ToHaveValueAsync(model!);
        var expected = await api.ListAllAsync($"model={Uri.EscapeDataString(model!)}");
        await Expect(page.Page.Locator("#trajectories tbody tr")).ToHaveCountAsync(Math.Min(50, expected.Count));
        page.AssertHealthy();
    }

    private static readonly string[] Patterns = ["analysisParalysis", "rogueActions", "prematureDisengagement"];

    private static ILocator Stat(DashboardPage page, string name) => page.Page.Locator($"[data-stat=\"{name}\"]");

    private static string Text(JsonElement element, string property) => element.GetProperty(property).GetInt32().ToString(CultureInfo.InvariantCulture);
}

[Collection(ChromiumTests.Name)]
public sealed class EmptyServiceTests(Chromium chromium, DashboardFixture api) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task An_empty_service_says_how_to_load_trajectories()
    {
        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync("/");

        await Expect(page.Main.Locator(".empty h2")).ToHaveTextAsync("No trajectories yet");
        await Expect(page.Main.Locator(".how-to")).ToContainTextAsync("demo/load.sh");
        await page.ScreenshotAsync("empty");

        await page.GoAsync("/trajectories");
        await Expect(page.Main.Locator("#no-rows")).ToContainTextAsync("No trajectory matches");
        page.AssertHealthy();
    }
}
