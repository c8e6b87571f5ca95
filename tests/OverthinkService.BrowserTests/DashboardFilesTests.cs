using System.Net;
using System.Text.RegularExpressions;
using OverthinkService.BrowserTests.Infrastructure;

namespace OverthinkService.BrowserTests;

/// <summary>
/// The dashboard's files and pages as the API serves them: every static file as written, from this origin only,
/// never building HTML from strings; pages beside the API, errors as readable pages. No browser needed, so outside
/// the Chromium collection.
/// </summary>
public sealed partial class DashboardFilesTests(DashboardFixture api) : IClassFixture<DashboardFixture>
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html",
        [".js"] = "text/javascript",
        [".css"] = "text/css",
        [".svg"] = "image/svg+xml",
    };

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(TestData.Wwwroot, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(TestData.Wwwroot, file).Replace('\\', '/'));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_dashboard_file_is_served_as_written_with_its_type_and_the_content_security_policy(string file)
    {
        using var response = await api.Client.GetAsync("/" + file);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ContentTypes[Path.GetExtension(file)], response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(TestData.Wwwroot, file)), await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task The_root_is_the_overview_page_and_unknown_paths_stay_problems()
    {
        using var root = await api.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("text/html", root.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>Overview</h1>", await root.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", root.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        using var missing = await api.Client.GetAsync("/js/no-such-module.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/trajectories?sort=loudest", 400, "sort")]
    [InlineData("/trajectories?minScore=7&maxScore=2", 400, "minScore")]
    [InlineData("/trajectories?outcome=maybe", 400, "outcome")]
    [InlineData("/trajectories?page=0", 400, "page")]
    [InlineData("/tasks?pattern=zz", 400, "pattern")]
    [InlineData("/trajectories/not-an-id", 404, "/trajectories/{id}")]
    [InlineData("/trajectories/01a20278-0000-7000-8000-000000000000", 404, "/trajectories/{id}")]
    [InlineData("/tasks/no__such-task", 404, "/tasks/{taskId}")]
    [InlineData("/experiment?run=no-such-run", 400, "runs")]
    [InlineData("/audits/01a20278-0000-7000-8000-000000000000", 404, "/audits/{id}")]
    public async Task Bad_input_on_a_page_answers_a_readable_page_saying_what_and_where(string path, int status, string where)
    {
        using var response = await api.Client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"data-status=\"{status}\"", html, StringComparison.Ordinal);
        Assert.Contains(where, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_API_still_answers_problems_as_JSON_beside_the_pages()
    {
        using var response = await api.Client.GetAsync("/api/v1/trajectories?minScore=7&maxScore=2");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"parameter\":\"minScore\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Our own files: not the chart library from npm (lib/, built by the build), whose licence header names its site.</summary>
    public static TheoryData<string> OwnFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(TestData.Wwwroot, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                     .Select(f => Path.GetRelativePath(TestData.Wwwroot, f).Replace('\\', '/'))
                     .Where(f => !f.StartsWith("lib/", StringComparison.Ordinal)))
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OwnFiles))]
    public async Task No_file_reaches_outside_the_service_or_builds_HTML_from_strings(string file)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(TestData.Wwwroot, file));
        // The SVG namespace is a name, not a place the browser goes.
        var external = ExternalUrl().Matches(text).Select(m => m.Value).Where(u => !u.StartsWith("http://www.w3.org/2000/svg", StringComparison.Ordinal)).ToList();
        Assert.True(external.Count == 0, $"{file} refers to {string.Join(", ", external)}");
        var markup = HtmlSinks().Matches(text).Select(m => m.Value).ToList();
        Assert.True(markup.Count == 0, $"{file} builds HTML from strings: {string.Join(", ", markup)}");
    }

    [GeneratedRegex(@"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s""')]*", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();

    // Assignments and calls only: the words may appear in comments that explain why they are not used.
    [GeneratedRegex(@"\.(?:innerHTML|outerHTML)\s*=|insertAdjacentHTML\s*\(|document\.write\s*\(|\beval\s*\(|new\s+Function\s*\(|createContextualFragment\s*\(")]
    private static partial Regex HtmlSinks();
}
