using OverthinkService.Pipeline.Scheduling;
using OverthinkService.ServiceDefaults.Hosting;

namespace OverthinkService.Worker.Hosting;

/// <summary><c>--emit-quartz-schema PATH</c>: writes the Quartz schema script (<see cref="QuartzSchema.Generate"/>) and exits.</summary>
internal static class QuartzSchemaCommand
{
    public static EmitScriptCommand Command { get; } =
        new("--emit-quartz-schema", QuartzSchema.RepositoryPath, QuartzSchema.Generate);
}
