using Microsoft.Playwright;

namespace OverthinkService.BrowserTests.Infrastructure;

/// <summary>A page of the dashboard with what went wrong on it: uncaught script errors, console errors, dialogs.</summary>
public sealed class DashboardPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];
    private readonly List<string> _dialogs = [];

    public DashboardPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.PageError += (_, error) => _errors.Add($"page error: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Add($"console error: {message.Text}");
            }
        };
        page.Dialog += async (_, dialog) =>
        {
            _dialogs.Add($"{dialog.Type}: {dialog.Message}");
            await dialog.DismissAsync();
        };
    }

    public IPage Page { get; }

    /// <summary>Script errors and console errors so far (an expected failed request is the test's to allow).</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>alert/confirm/prompt dialogs the page opened (none should ever open).</summary>
    public IReadOnlyList<string> Dialogs => _dialogs;

    /// <summary>Opens a dashboard page (<c>/trajectories?model=...</c>); the pages are rendered on the server, so the HTML is complete when it loads.</summary>
    public async Task<IResponse?> GoAsync(string path)
    {
        var response = await Page.GotoAsync(path);
        await Page.Locator("main h1").First.WaitForAsync();
        return response;
    }

    /// <summary>Waits until every chart on the page has been drawn (the chart script marks each canvas).</summary>
    public async Task ChartsDrawnAsync()
    {
        var charts = Page.Locator("canvas[data-chart]");
        var count = await charts.CountAsync();
        Assert.True(count > 0, "the page has no chart");
        for (var i = 0; i < count; i++)
        {
            await Assertions.Expect(charts.Nth(i)).ToHaveAttributeAsync("data-rendered", new System.Text.RegularExpressions.Regex("^[1-9]"));
        }
    }

    public ILocator Main => Page.Locator("main");

    public async Task ScreenshotAsync(string name, bool fullPage = false) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ScreenshotFolder, $"{name}.png"), FullPage = fullPage });

    /// <summary>Fails when a script error happened or a dialog opened, listing them.</summary>
    public void AssertHealthy(params string[] allowedErrorFragments)
    {
        var unexpected = _errors.Where(e => !allowedErrorFragments.Any(a => e.Contains(a, StringComparison.Ordinal))).ToList();
        Assert.True(unexpected.Count == 0, "The page reported errors:\n" + string.Join('\n', unexpected));
        Assert.True(_dialogs.Count == 0, "The page opened dialogs:\n" + string.Join('\n', _dialogs));
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
