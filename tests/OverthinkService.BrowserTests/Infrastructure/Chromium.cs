using Microsoft.Playwright;

namespace OverthinkService.BrowserTests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright's .NET driver (which ships its own Node runtime, so it runs
/// offline). Never downloads a browser: <c>/usr/bin/chromium</c>, or <c>OVERTHINK_CHROMIUM</c>. One browser
/// for the whole collection; every test gets a fresh context (no shared cookies, storage or cache).
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutableVariable = "OVERTHINK_CHROMIUM";
    public const string DefaultExecutable = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string Executable => Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } path ? path : DefaultExecutable;

    /// <summary>Where the tests leave their screenshots (beside the test assembly).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium was not started.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {Executable}. The browser tests drive an installed Chromium and never download one: " +
                $"install it with `apt-get install -y chromium` (scripts/test.sh does), or set {ExecutableVariable} to a Chromium executable.");
        }

        Directory.CreateDirectory(ScreenshotFolder);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = Arguments,
            Timeout = 60_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>
    /// A new page on a laptop screen's viewport (1366×768), recording script errors and dialogs so tests can assert
    /// there were none; <paramref name="javaScript"/> false reads the pages as a browser without script does.
    /// </summary>
    public async Task<DashboardPage> OpenAsync(Uri baseAddress, bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            JavaScriptEnabled = javaScript,
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(15_000);
        return new DashboardPage(context, await context.NewPageAsync());
    }
}

[CollectionDefinition(Name)]
public sealed class ChromiumTests : ICollectionFixture<Chromium>
{
    /// <summary>One collection: the browser is shared, and the classes run one after another (the machine has two cores).</summary>
    public const string Name = "Chromium";
}
