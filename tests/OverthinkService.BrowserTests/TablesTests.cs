using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using OverthinkService.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OverthinkService.BrowserTests;

public sealed class TablesFixture : DashboardFixture
{
    protected override async Task LoadAsync()
    {
        await TestData.LoadDemoAsync(this);
        await TestData.LoadRealAsync(this, 10);
    }
}

[Collection(ChromiumTests.Name)]
public sealed class TablesTests(Chromium chromium, TablesFixture api) : IClassFixture<TablesFixture>
{
    [Fact]
    public async Task Filtering_to_one_model_shows_only_its_trajectories_as_many_as_the_API_lists()
    {
        // The model with the most trajectories, so the filter narrows a table of several models to several rows.
        var all = await api.ListAllAsync();
        var model = all.Where(t => t.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String)
            .GroupBy(t => t.GetProperty("model").GetString()!).OrderByDescending(g => g.Count()).First().Key;
        var expected = await api.ListAllAsync($"model={Uri.EscapeDataString(model)}");
        Assert.True(expected.Count > 1 && expected.Count < all.Count, "the model should have several trajectories, and not all of them");

        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync("/trajectories");
        await Expect(Rows(page)).ToHaveCountAsync(all.Count);
        await page.Page.SelectOptionAsync("#filter-model", model);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.Page.WaitForURLAsync(url => url.Contains("model=", StringComparison.Ordinal));

        await Expect(Rows(page)).ToHaveCountAsync(expected.Count);
        var models = await Rows(page).EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.model)");
        Assert.All(models, m => Assert.Equal(model, m));
        Assert.Equal(expected.Select(t => t.GetProperty("id").GetString()).Order(), (await Rows(page).EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)")).Order());
        await Expect(page.Page.Locator(".pager__info").First).ToContainTextAsync($"{expected.Count} trajectories");
        await page.ScreenshotAsync("trajectories-one-model");
        page.AssertHealthy();
    }

    [Fact]
    public async Task Sorting_by_overall_score_orders_the_rows_both_ways_with_unscored_last()
    {
        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync("/trajectories");
        await page.Page.Locator("th a[data-sort='overall']").ClickAsync();
        await page.Page.WaitForURLAsync(url => url.Contains("sort=overall", StringComparison.Ordinal));

        var descending = await Overall(page);
        Assert.True(descending.Distinct().Count() > 2, "the data should hold several different scores");
        Assert.Equal(descending.OrderByDescending(s => s).ToList(), descending);
        await Expect(page.Page.Locator("th[aria-sort='descending'] a[data-sort='overall']")).ToBeVisibleAsync();
        await page.ScreenshotAsync("trajectories-sorted");

        await page.Page.Locator("th a[data-sort='overall']").ClickAsync();
        await page.Page.WaitForURLAsync(url => url.Contains("dir=asc", StringComparison.Ordinal));
        var ascending = await Overall(page);
        Assert.Equal(ascending.Order().ToList(), ascending);
        Assert.Equal(descending.Order().ToList(), ascending.Order().ToList());
        page.AssertHealthy();
    }

    [Theory]
    [InlineData("minScore=4")]
    [InlineData("maxScore=3.5&outcome=resolved")]
    [InlineData("pattern=pd")]
    [InlineData("pattern=ra&minScore=2&maxScore=10")]
    [InlineData("outcome=unresolved&sort=steps&dir=asc")]
    public async Task Score_outcome_and_pattern_filters_keep_what_the_API_keeps(string query)
    {
        var expected = (await api.ListAllAsync(query)).Select(t => t.GetProperty("id").GetString()!).Order().ToList();
        Assert.NotEmpty(expected);

        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync($"/trajectories?{query}");

        var shown = (await Rows(page).EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)")).Order().ToList();
        Assert.Equal(expected, shown);
        page.AssertHealthy();
    }

    [Fact]
    public async Task The_tasks_table_counts_each_tasks_candidates_and_sorts_by_them()
    {
        var all = await api.ListAllAsync();
        var perTask = all.GroupBy(t => t.GetProperty("taskId").GetString()!).ToDictionary(g => g.Key, g => g.Count());

        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync("/tasks?sort=trajectories&dir=desc");

        var rows = page.Page.Locator("#tasks tbody tr");
        await Expect(rows).ToHaveCountAsync(perTask.Count);
        var shown = await rows.EvaluateAllAsync<string[][]>("rows => rows.map(r => [r.dataset.task, r.dataset.trajectories])");
        Assert.All(shown, r => Assert.Equal(perTask[r[0]], int.Parse(r[1], CultureInfo.InvariantCulture)));
        var counts = shown.Select(r => int.Parse(r[1], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(counts.OrderByDescending(c => c).ToList(), counts);
        await page.ScreenshotAsync("tasks");
        page.AssertHealthy();
    }

    [Theory]
    [InlineData("lowest", 6, "desc")]
    [InlineData("lowest", 6, "asc")]
    [InlineData("mean", 7, "desc")]
    [InlineData("mean", 7, "asc")]
    public async Task The_tasks_table_sorts_by_score_either_way_with_unscored_tasks_last(string sort, int column, string dir)
    {
        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync($"/tasks?sort={sort}&dir={dir}");

        var cells = await page.Page.Locator($"#tasks tbody tr td:nth-child({column})").AllInnerTextsAsync();
        Assert.NotEmpty(cells);
        var scores = cells.Select(c => c.Trim() == "–" ? (double?)null : double.Parse(c, CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(scores, v => v is not null);
        var scored = scores.TakeWhile(v => v is not null).Select(v => v!.Value).ToList();
        Assert.All(scores.Skip(scored.Count), v => Assert.Null(v));
        Assert.Equal(dir == "desc" ? scored.OrderByDescending(v => v).ToList() : scored.Order().ToList(), scored);
        page.AssertHealthy();
    }

    [Fact]
    public async Task The_runs_page_lists_every_run_with_the_APIs_counts()
    {
        var runs = (await api.GetJsonAsync("/api/v1/runs")).EnumerateArray().ToList();

        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync("/runs");

        await Expect(page.Page.Locator("#runs tbody tr")).ToHaveCountAsync(runs.Count);
        foreach (var run in runs)
        {
            await Expect(page.Page.Locator($"#runs tr[data-run=\"{run.GetProperty("run").GetString()}\"]"))
                .ToHaveAttributeAsync("data-trajectories", run.GetProperty("trajectories").GetInt32().ToString(CultureInfo.InvariantCulture));
        }

        await page.ScreenshotAsync("runs");
        page.AssertHealthy();
    }

    private static ILocator Rows(DashboardPage page) => page.Page.Locator("#trajectories tbody tr");

    /// <summary>The overall scores down the table (the data is all scored; an unscored row would show no score and is left out).</summary>
    private static async Task<List<double>> Overall(DashboardPage page) =>
        (await Rows(page).EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.overall || '')"))
        .Select(s => s.Length == 0 ? double.NaN : double.Parse(s, CultureInfo.InvariantCulture)).Where(v => !double.IsNaN(v)).ToList();
}
