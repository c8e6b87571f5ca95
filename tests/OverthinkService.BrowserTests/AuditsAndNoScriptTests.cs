using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OverthinkService.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OverthinkService.BrowserTests;

public sealed class ReadingFixture : DashboardFixture
{
    public Guid AuditId { get; private set; }

    protected override async Task LoadAsync()
    {
        await TestData.LoadDemoAsync(this);
        await TestData.LoadRealAsync(this, 4);
        using var response = await Client.PostAsJsonAsync("/api/v1/audits", new { name = "nightly drift", cron = "0 6 * * *", timeZone = "UTC", slice = new { lastDays = 30 } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        AuditId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}

[Collection(ChromiumTests.Name)]
public sealed class AuditsAndNoScriptTests(Chromium chromium, ReadingFixture api) : IClassFixture<ReadingFixture>
{
    [Fact]
    public async Task The_audits_page_lists_each_schedule_and_links_to_its_runs()
    {
        var audits = (await api.GetJsonAsync("/api/v1/audits")).EnumerateArray().ToList();

        await using var page = await chromium.OpenAsync(api.Address);
        await page.GoAsync("/audits");

        await Expect(page.Page.Locator("#audits tbody tr")).ToHaveCountAsync(audits.Count);
        var row = page.Page.Locator($"#audits tr[data-audit=\"{api.AuditId}\"]");
        await Expect(row).ToContainTextAsync("nightly drift");
        await Expect(row).ToContainTextAsync("0 6 * * *");
        await Expect(row).ToContainTextAsync("last 30 days");
        await page.ScreenshotAsync("audits");

        await row.Locator("a").ClickAsync();
        await Expect(page.Page.Locator("main h1")).ToHaveTextAsync("nightly drift");
        await Expect(page.Page.Locator("#runs")).ToContainTextAsync("Not run yet");
        await page.ScreenshotAsync("audit");
        page.AssertHealthy();
    }

    [Fact]
    public async Task Without_JavaScript_the_overview_tables_and_a_trajectory_can_all_be_read()
    {
        var overview = await api.GetJsonAsync("/api/v1/overview");
        var all = await api.ListAllAsync();

        await using var page = await chromium.OpenAsync(api.Address, javaScript: false);
        await page.GoAsync("/");
        await Expect(page.Page.Locator("[data-stat='trajectories']")).ToHaveTextAsync(overview.GetProperty("trajectories").GetInt32().ToString(CultureInfo.InvariantCulture));
        // The charts need script; their figures do not.
        await Expect(page.Page.Locator(".chart").First).ToBeHiddenAsync();
        await Expect(page.Page.Locator("#histogram-figures")).ToBeVisibleAsync();
        await Expect(page.Page.Locator("#model-figures tbody tr")).ToHaveCountAsync(overview.GetProperty("models").GetArrayLength());
        await page.ScreenshotAsync("noscript-overview");

        // A table, sorted by a link and filtered by a plain GET form.
        await page.GoAsync("/trajectories");
        await page.Page.Locator("th a[data-sort='overall']").ClickAsync();
        await page.Page.Locator("main h1").WaitForAsync();
        Assert.Contains("sort=overall", page.Page.Url, StringComparison.Ordinal);
        await Expect(page.Page.Locator("#trajectories tbody tr")).ToHaveCountAsync(all.Count);
        await page.Page.SelectOptionAsync("#filter-outcome", "resolved");
        await page.Page.Locator("form.filters button[type='submit']").ClickAsync();
        await page.Page.Locator("main h1").WaitForAsync();
        var resolved = all.Count(t => t.GetProperty("outcome").GetProperty("status").GetString() == "resolved");
        await Expect(page.Page.Locator("#trajectories tbody tr")).ToHaveCountAsync(resolved);
        await page.ScreenshotAsync("noscript-trajectories");

        // A trajectory: score, evidence, steps and the folded observations (details opens without script).
        await page.Page.Locator("#trajectories tbody tr a").First.ClickAsync();
        await page.Page.Locator("main h1").WaitForAsync();
        await Expect(page.Page.Locator("#score-card .score--large")).ToBeVisibleAsync();
        Assert.True(await page.Page.Locator("li.step").CountAsync() > 0);
        var fold = page.Page.Locator("details.fold").First;
        if (await fold.CountAsync() > 0)
        {
            await fold.Locator("summary").ClickAsync();
            await Expect(fold.Locator("pre")).ToBeVisibleAsync();
        }

        await page.ScreenshotAsync("noscript-trajectory");
        page.AssertHealthy();
    }
}
