using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using OverthinkService.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OverthinkService.BrowserTests;

public sealed class TrajectoryDetailFixture : DashboardFixture
{
    public Guid Hostile { get; private set; }

    protected override async Task LoadAsync()
    {
        await TestData.LoadRealAsync(this, 10);
        Hostile = await PostAsync(TestData.HostileTranscript(1));
    }

    /// <summary>The stored trajectory whose current deterministic score has the most evidence (ties: the higher overall).</summary>
    public async Task<JsonElement> MostEvidencedAsync()
    {
        var best = default(JsonElement);
        var bestKey = (-1, -1.0);
        foreach (var summary in await ListAllAsync())
        {
            var detail = await GetJsonAsync($"/api/v1/trajectories/{summary.GetProperty("id").GetString()}");
            var score = detail.GetProperty("scores").EnumerateArray().First(s => s.GetProperty("scorer").GetString() == "deterministic");
            var key = (Evidence(score).Count(), score.GetProperty("overall").GetDouble());
            if (key.CompareTo(bestKey) > 0)
            {
                (best, bestKey) = (detail, key);
            }
        }

        return best;
    }

    private static readonly string[] Patterns = ["analysisParalysis", "rogueActions", "prematureDisengagement"];

    public static IEnumerable<JsonElement> Evidence(JsonElement score) =>
        Patterns.SelectMany(p => score.GetProperty("evidence").GetProperty(p).GetProperty("evidence").EnumerateArray());
}

[Collection(ChromiumTests.Name)]
public sealed class TrajectoryDetailTests(Chromium chromium, TrajectoryDetailFixture api) : IClassFixture<TrajectoryDetailFixture>
{
    [Fact]
    public async Task A_trajectory_shows_its_score_and_marks_the_evidence_on_the_steps_it_cites()
    {
        var detail = await api.MostEvidencedAsync();
        var score = detail.GetProperty("scores").EnumerateArray().First(s => s.GetProperty("scorer").GetString() == "deterministic");
        var evidence = TrajectoryDetailFixture.Evidence(score).ToList();
        Assert.NotEmpty(evidence);

        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync($"/trajectories/{detail.GetProperty("id").GetString()}");

        await Expect(page.Page.Locator("h1")).ToHaveTextAsync(detail.GetProperty("taskId").GetString()!);
        await Expect(page.Page.Locator("#score-card .score--large")).ToHaveTextAsync(
            score.GetProperty("overall").GetDouble().ToString("0.0", CultureInfo.InvariantCulture));
        await Expect(page.Page.Locator("#score-card .score--large")).ToHaveAttributeAsync("data-band", score.GetProperty("band").GetString()!);
        foreach (var (pattern, field) in new[] { ("ap", "analysisParalysis"), ("ra", "rogueActions"), ("pd", "prematureDisengagement") })
        {
            await Expect(page.Page.Locator($"#score-card [data-field=\"{pattern}\"]")).ToHaveTextAsync(score.GetProperty(field).GetDouble().ToString("0.0", CultureInfo.InvariantCulture));
        }

        await Expect(page.Page.Locator("#loops [data-field='longestRepeat']")).ToHaveTextAsync(score.GetProperty("loops").GetProperty("longestRepeat").GetInt32().ToString(CultureInfo.InvariantCulture));
        var notes = await page.Page.Locator("#evidence .evidence__note").AllTextContentsAsync();
        foreach (var e in evidence)
        {
            Assert.Contains(e.GetProperty("note").GetString(), notes);
        }

        // Every step in order; exactly the cited ones marked, each mark naming the pattern and linking to the evidence.
        await Expect(page.Page.Locator("li.step")).ToHaveCountAsync(detail.GetProperty("stepCount").GetInt32());
        var cited = evidence.SelectMany(e => e.GetProperty("steps").EnumerateArray().Select(s => s.GetInt32())).Distinct().Order().ToList();
        var marked = await page.Page.Locator("li.step.step--cited").EvaluateAllAsync<int[]>("els => els.map(e => Number(e.dataset.step))");
        Assert.Equal(cited, marked.Order().ToList());
        foreach (var step in cited)
        {
            var marks = page.Page.Locator($"#step-{step} .step__head a.mark");
            Assert.True(await marks.CountAsync() > 0, $"step {step} is cited but carries no mark");
            var target = await marks.First.GetAttributeAsync("href");
            await Expect(page.Page.Locator(target!)).ToHaveCountAsync(1);
        }

        await page.ScreenshotAsync("trajectory");
        await page.ScreenshotAsync("trajectory-full", fullPage: true);
        page.AssertHealthy();
    }

    [Fact]
    public async Task An_evidence_step_link_leads_to_that_step()
    {
        var detail = await api.MostEvidencedAsync();
        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync($"/trajectories/{detail.GetProperty("id").GetString()}");

        // The last cited step: the furthest down, so it starts out of view.
        var links = page.Page.Locator("#evidence .step-link");
        var hrefs = await links.EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('href'))");
        var last = hrefs.OrderBy(h => int.Parse(h["#step-".Length..], CultureInfo.InvariantCulture)).Last();
        var step = page.Page.Locator(last);
        Assert.False(await InViewportAsync(step), "the step should start below the fold for this test to mean something");

        await links.And(page.Page.Locator($"[href=\"{last}\"]")).First.ClickAsync();

        Assert.EndsWith(last, page.Page.Url, StringComparison.Ordinal);
        await page.Page.WaitForFunctionAsync("id => { const r = document.querySelector(id).getBoundingClientRect(); return r.top >= -1 && r.top < innerHeight - 60; }", last);
        Assert.True(await step.EvaluateAsync<bool>("e => e.matches(':target')"));
        await page.ScreenshotAsync("trajectory-evidence-step");
        page.AssertHealthy();
    }

    [Fact]
    public async Task Markup_in_a_trajectory_is_shown_as_text_and_never_runs()
    {
        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync($"/trajectories/{api.Hostile}");

        await Expect(page.Page.Locator("h1")).ToHaveTextAsync(TestData.HostileTaskId);
        await Expect(page.Page.Locator(".page-header__subtitle")).ToContainTextAsync(TestData.ImageInModel);
        await Expect(page.Page.Locator("li.step").First).ToContainTextAsync(TestData.ScriptInText);
        await page.ScreenshotAsync("trajectory-hostile-text", fullPage: true);

        await page.GoAsync("/trajectories");
        await Expect(page.Page.Locator("td.cell--model").GetByText(TestData.ImageInModel)).ToBeVisibleAsync();
        await page.GoAsync("/");
        await Expect(page.Page.Locator("main")).ToContainTextAsync(TestData.ImageInModel);

        Assert.Equal("undefined", await page.Page.EvaluateAsync<string>("() => typeof window.__xss"));
        Assert.Equal(0, await page.Page.Locator("main img, main iframe, main svg[onload], main script:not([type='application/json']), main b, main a[href^='javascript']").CountAsync());
        page.AssertHealthy();
    }

    [Fact]
    public async Task Rescoring_from_the_page_adds_a_row_to_the_score_history()
    {
        var detail = await api.MostEvidencedAsync();
        var id = detail.GetProperty("id").GetString();
        var before = (await api.GetJsonAsync($"/api/v1/trajectories/{id}/scores")).GetArrayLength();

        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync($"/trajectories/{id}");
        var history = page.Page.Locator("#score-history tbody tr");
        await Expect(history).ToHaveCountAsync(before);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Rescore now" }).ClickAsync();
        await Expect(page.Page.Locator(".rescore .notice")).ToContainTextAsync("Rescored");

        var after = (await api.GetJsonAsync($"/api/v1/trajectories/{id}/scores")).GetArrayLength();
        Assert.True(after > before, $"the API lists {after} scores after the rescore, {before} before");
        await Expect(history).ToHaveCountAsync(after);
        page.AssertHealthy();
    }

    [Fact]
    public async Task A_rescore_posted_without_the_pages_antiforgery_token_is_refused()
    {
        var detail = await api.MostEvidencedAsync();
        var id = detail.GetProperty("id").GetString();
        var before = (await api.GetJsonAsync($"/api/v1/trajectories/{id}/scores")).GetArrayLength();

        // What a form on another site could send: the field, no token.
        using var form = new FormUrlEncodedContent([new("scorer", "deterministic")]);
        using var response = await api.Client.PostAsync($"/trajectories/{id}/rescore", form);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, (await api.GetJsonAsync($"/api/v1/trajectories/{id}/scores")).GetArrayLength());
    }

    [Fact]
    public async Task The_ATIF_download_link_exports_this_trajectory()
    {
        var detail = await api.MostEvidencedAsync();
        var id = detail.GetProperty("id").GetString();
        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync($"/trajectories/{id}");

        var download = await page.Page.RunAndWaitForDownloadAsync(() =>
            page.Page.GetByRole(AriaRole.Link, new() { Name = "Download ATIF" }).ClickAsync());
        var path = await download.PathAsync();
        using var atif = JsonDocument.Parse(await File.ReadAllBytesAsync(path));
        Assert.StartsWith("ATIF-", atif.RootElement.GetProperty("schema_version").GetString(), StringComparison.Ordinal);
        Assert.Equal(detail.GetProperty("stepCount").GetInt32(), atif.RootElement.GetProperty("steps").EnumerateArray()
            .Count(s => s.GetProperty("source").GetString() == "agent"));
        page.AssertHealthy();
    }

    private static Task<bool> InViewportAsync(ILocator locator) =>
        locator.EvaluateAsync<bool>("e => { const r = e.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }");
}
