using OverthinkService.Api.Audits;
using OverthinkService.Api.Dashboard;
using OverthinkService.Api.Environments;
using OverthinkService.Api.Health;
using OverthinkService.Api.Jobs;
using OverthinkService.Api.Overview;
using OverthinkService.Api.Problems;
using OverthinkService.Api.Replays;
using OverthinkService.Api.Runs;
using OverthinkService.Api.Selection;
using OverthinkService.Api.Tasks;
using OverthinkService.Api.Trajectories;
using OverthinkService.Data;
using OverthinkService.Pipeline;
using OverthinkService.Pipeline.Scheduling;
using OverthinkService.ServiceDefaults;
using OverthinkService.ServiceDefaults.Health;

namespace OverthinkService.Api.Hosting;

/// <summary>Builds the web host: the one place its services and endpoints are put together (used by Program and the integration tests).</summary>
public static class ApiHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddOverthinkData();
        // Schedules follow-up work into the clustered store; the workers run it (the API never needs Docker).
        builder.AddOverthinkPipeline(SchedulerRole.ScheduleOnly);

        builder.Services.ConfigureHttpJsonOptions(o => DocumentJson.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDefaults.Customize);
        // Binding failures throw in every environment, so they all reach one handler and answer the same problem.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddOpenApi();
        // The dashboard's pages are Razor components rendered on the server (RazorComponentResult); its one form
        // (rescore) is antiforgery-checked.
        builder.Services.AddRazorComponents();
        builder.Services.AddAntiforgery();
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<OverthinkDbContext>("postgres", tags: [HealthTags.Ready])
            .AddCheck<DatabaseSchemaHealthCheck>("schema", tags: [HealthTags.Ready]);

        builder.Services.Configure<EnvironmentOptions>(builder.Configuration.GetSection(EnvironmentOptions.Section));
        builder.Services.AddSingleton<RunImportBacklog>();
        builder.Services.AddSingleton<RunImportFolders>();
        builder.Services.AddHostedService<RunImportProcessor>();

        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Validates the antiforgery token of endpoints that bind a form (the dashboard's rescore); the API binds none.
        app.UseAntiforgery();

        app.MapOpenApi();
        app.MapHealthEndpoints();
        app.MapTrajectoriesApi();
        app.MapTasksApi();
        app.MapRunImportsApi();
        app.MapReplaysApi();
        app.MapEnvironmentsApi();
        app.MapJobsApi();
        app.MapAuditsApi();
        app.MapSelectionApi();
        app.MapDashboard();
        return app;
    }
}
