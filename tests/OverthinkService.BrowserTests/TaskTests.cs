using System.Globalization;
using Microsoft.Playwright;
using OverthinkService.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OverthinkService.BrowserTests;

public sealed class TaskFixture : DashboardFixture
{
    protected override Task LoadAsync() => TestData.LoadDemoAsync(this);
}

[Collection(ChromiumTests.Name)]
public sealed class TaskTests(Chromium chromium, TaskFixture api) : IClassFixture<TaskFixture>
{
    [Fact]
    public async Task A_task_shows_every_candidate_side_by_side_with_the_APIs_selection_marked()
    {
        // The task with the most candidates, opened from the tasks table.
        var task = (await api.ListAllAsync()).GroupBy(t => t.GetProperty("taskId").GetString()!).OrderByDescending(g => g.Count()).First().Key;
        var selection = await api.GetJsonAsync($"/api/v1/tasks/{Uri.EscapeDataString(task)}/selection");
        var winner = selection.GetProperty("winner").GetProperty("trajectoryId").GetString();
        var candidates = selection.GetProperty("candidates").EnumerateArray().ToList();
        Assert.True(candidates.Count >= 3, "the task should have several candidates for this test to mean something");

        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync("/tasks");
        await page.Page.Locator($"#tasks tr[data-task=\"{task}\"] a").ClickAsync();
        await Expect(page.Page.Locator("main h1")).ToHaveTextAsync(task);

        await Expect(page.Page.Locator("article.candidate")).ToHaveCountAsync(candidates.Count);
        await Expect(page.Page.Locator("article.candidate--winner")).ToHaveCountAsync(1);
        await Expect(page.Page.Locator("article.candidate--winner")).ToHaveAttributeAsync("data-trajectory", winner!);
        await Expect(page.Page.Locator("article.candidate--winner .winner-badge")).ToHaveTextAsync("★ Selected");
        // In the selector's order, each with its rank.
        var shown = await page.Page.Locator("article.candidate").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.trajectory)");
        Assert.Equal(candidates.Select(c => c.GetProperty("trajectoryId").GetString()).ToArray(), shown);
        await Expect(page.Page.Locator(".selection-reason")).ToHaveTextAsync(selection.GetProperty("reason").GetString()!);
        await page.ScreenshotAsync("task");
        page.AssertHealthy();
    }

    [Fact]
    public async Task The_experiment_page_shows_the_APIs_table_and_the_resolve_rate_against_k()
    {
        var report = await api.GetJsonAsync("/api/v1/experiments/lowest-overthinking?k=2");
        var runs = report.GetProperty("runs").GetArrayLength();

        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync("/experiment?k=2");

        foreach (var strategy in report.GetProperty("strategies").EnumerateArray())
        {
            var row = page.Page.Locator($"#strategies tr[data-strategy=\"{strategy.GetProperty("name").GetString()}\"]");
            var rate = strategy.GetProperty("resolvedRate");
            Assert.Equal(rate.ValueKind == System.Text.Json.JsonValueKind.Null ? null : rate.GetDouble().ToString("R", CultureInfo.InvariantCulture),
                await row.GetAttributeAsync("data-rate"));
        }

        await Expect(page.Page.Locator("#by-k-figures tbody tr")).ToHaveCountAsync(Math.Min(10, runs));
        await page.ChartsDrawnAsync();
        await page.ScreenshotAsync("experiment");
        await page.ScreenshotAsync("experiment-full", fullPage: true);

        // Choosing k in the form runs it again.
        await page.Page.SelectOptionAsync("#experiment-k", "3");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Run" }).ClickAsync();
        await Expect(page.Page.Locator("#report h2")).ToContainTextAsync("k = 3");
        page.AssertHealthy();
    }
}
