using OverthinkService.Worker.Hosting;

if (QuartzSchemaCommand.Command.IsRequested(args))
{
    return await QuartzSchemaCommand.Command.RunAsync(args);
}

var host = WorkerHost.Build(args);
WorkerHost.LogStartup(host);
await host.RunAsync();
return 0;
