using OverthinkService.Data;
using OverthinkService.ServiceDefaults.Hosting;

namespace OverthinkService.Api.Hosting;

/// <summary><c>--emit-migrations-script PATH</c>: writes the idempotent migration script and exits.</summary>
internal static class MigrationsScriptCommand
{
    public static EmitScriptCommand Command { get; } =
        new("--emit-migrations-script", MigrationScript.RepositoryPath, MigrationScript.Generate);
}
