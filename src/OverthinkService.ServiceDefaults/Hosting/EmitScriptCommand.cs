namespace OverthinkService.ServiceDefaults.Hosting;

/// <summary>
/// A host's <c>--emit-… PATH</c> switch: writes a generated script (no database needed) and exits. A relative
/// PATH is taken from the repository root, because <c>dotnet run --project</c> starts in the project folder.
/// </summary>
public sealed class EmitScriptCommand(string @switch, string examplePath, Func<string> generate)
{
    public string Switch { get; } = @switch;

    public bool IsRequested(string[] args) => args.Contains(Switch, StringComparer.Ordinal);

    public async Task<int> RunAsync(string[] args)
    {
        var at = Array.IndexOf(args, Switch);
        if (at + 1 >= args.Length || args[at + 1].StartsWith("--", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"usage: {Switch} PATH   (e.g. {examplePath})");
            return 2;
        }

        var path = Path.IsPathRooted(args[at + 1]) ? args[at + 1] : Path.Combine(RepositoryRoot(), args[at + 1]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, generate());
        await Console.Out.WriteLineAsync($"wrote {path}");
        return 0;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OverthinkService.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
