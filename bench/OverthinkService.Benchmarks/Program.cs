using BenchmarkDotNet.Running;
using OverthinkService.Benchmarks.Dashboard;

// `dashboard ...` is the dashboard's load test (a real API and database, timed over HTTP); anything else is BenchmarkDotNet.
if (args is ["dashboard", .. var rest])
{
    return await DashboardLoad.RunAsync(rest);
}

BenchmarkSwitcher.FromAssembly(typeof(DashboardLoad).Assembly).Run(args);
return 0;
