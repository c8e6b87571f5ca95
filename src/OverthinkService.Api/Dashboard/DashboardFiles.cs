using Microsoft.Extensions.FileProviders;

namespace OverthinkService.Api.Dashboard;

/// <summary>
/// The dashboard's static files (stylesheet, chart script, the chart library copied from npm at build time). By default they are embedded in the API assembly (see the project file), so
/// every host serves the same files whatever its content root: <c>dotnet run</c>, the published app, a
/// container, the tests' in-process host. Folder names under <c>wwwroot</c> must be valid identifiers
/// (<c>js</c>, <c>css</c>, <c>lib</c>): resource names encode folders with dots.
/// <para>
/// <c>Dashboard:Path</c> serves a folder from disk instead, so edits show on reload without a rebuild
/// (for working on the dashboard; relative to the content root, which <c>dotnet run --project</c> sets to the
/// project folder: <c>Dashboard__Path=wwwroot</c>).
/// </para>
/// </summary>
internal static class DashboardFiles
{
    /// <summary>A file every copy of the dashboard has (to check a configured folder is one).</summary>
    public const string StylesheetPath = "/css/app.css";

    public const string PathSetting = "Dashboard:Path";

    public static IFileProvider Create(IConfiguration configuration, IHostEnvironment environment)
    {
        if (configuration[PathSetting] is { Length: > 0 } configured)
        {
            var folder = Path.GetFullPath(configured, environment.ContentRootPath);
            if (!File.Exists(Path.Combine(folder, StylesheetPath.TrimStart('/'))))
            {
                throw new InvalidOperationException($"{PathSetting} is '{configured}', but {folder} has no {StylesheetPath.TrimStart('/')}; point it at the dashboard's wwwroot folder or leave it unset.");
            }

            return new PhysicalFileProvider(folder);
        }

        var assembly = typeof(DashboardFiles).Assembly;
        return new EmbeddedFileProvider(assembly, $"{assembly.GetName().Name}.wwwroot");
    }
}
