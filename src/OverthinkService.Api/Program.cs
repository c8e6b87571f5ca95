using OverthinkService.Api.Hosting;
using OverthinkService.Data;

if (MigrationsScriptCommand.Command.IsRequested(args))
{
    return await MigrationsScriptCommand.Command.RunAsync(args);
}

var app = ApiHost.Build(args);
await app.ApplyMigrationsIfConfiguredAsync();
await app.RunAsync();
return 0;
