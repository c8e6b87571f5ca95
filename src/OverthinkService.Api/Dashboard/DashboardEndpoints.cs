using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.StaticFiles;
using OverthinkService.Api.Audits;
using OverthinkService.Api.Dashboard.Pages;
using OverthinkService.Api.Jobs;
using OverthinkService.Api.Overview;
using OverthinkService.Api.Replays;
using OverthinkService.Api.Runs;
using OverthinkService.Api.Selection;
using OverthinkService.Api.Tasks;
using OverthinkService.Api.Trajectories;
using OverthinkService.Core.Scoring;
using OverthinkService.Core.Selection;
using OverthinkService.Data;
using OverthinkService.Data.Scoring;
using OverthinkService.Data.Selection;
using OverthinkService.Pipeline.Scheduling;
using OverthinkService.Pipeline.Stages;

namespace OverthinkService.Api.Dashboard;

/// <summary>
/// The dashboard: HTML pages rendered on the server (Razor components, <see cref="RazorComponentResult"/>) from the
/// same query code the API's endpoints call, plus its static files (stylesheet, chart script, the chart library
/// from npm). Reading needs no JavaScript; only the charts do, and each has its figures in a table beside it.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>
    /// No inline script or style, no third-party origin: trajectories hold arbitrary text, and even if some of
    /// it reached the page as markup it could not run. Chart data travels in <c>application/json</c> script
    /// blocks, which are data, not script. Chart.js sizes its canvas through the CSSOM (element.style), which
    /// <c>style-src 'self'</c> does not restrict, so no <c>'unsafe-inline'</c> is needed.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication MapDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var files = DashboardFiles.Create(app.Configuration, app.Environment);

        // Runs only for requests no endpoint matched, so it never shadows the API or a page.
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context => ApplyHeaders(context.Context.Response),
        });

        var pages = app.MapGroup("").ExcludeFromDescription().AddEndpointFilter(async (context, next) =>
        {
            ApplyHeaders(context.HttpContext.Response);
            // Pages show live data and the trajectory page carries an antiforgery token: never stored by caches
            // (the antiforgery code would otherwise override the header and log a warning on every view).
            context.HttpContext.Response.Headers.CacheControl = "no-cache, no-store";
            context.HttpContext.Response.Headers.Pragma = "no-cache";
            return await next(context);
        });
        pages.MapGet("/", OverviewAsync).WithName("DashboardOverview");
        pages.MapGet("/trajectories", TrajectoriesAsync).WithName("DashboardTrajectories");
        pages.MapGet("/trajectories/{id}", TrajectoryAsync).WithName("DashboardTrajectory");
        pages.MapPost("/trajectories/{id:guid}/rescore", RescoreAsync).WithName("DashboardRescore");
        pages.MapGet("/tasks", TasksAsync).WithName("DashboardTasks");
        pages.MapGet("/tasks/{taskId}", TaskAsync).WithName("DashboardTask");
        pages.MapGet("/runs", RunsAsync).WithName("DashboardRuns");
        pages.MapGet("/experiment", ExperimentAsync).WithName("DashboardExperiment");
        pages.MapGet("/audits", AuditsAsync).WithName("DashboardAudits");
        pages.MapGet("/audits/{id}", AuditAsync).WithName("DashboardAudit");
        app.MapOverviewApi();
        return app;
    }

    public static async Task<IResult> OverviewAsync(OverthinkDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var overview = await OverviewQuery.GetAsync(db, OverviewQuery.DefaultScorer, cancellationToken);
        var stages = await JobsApi.StagesAsync(db, time.GetUtcNow(), cancellationToken);
        return Page<OverviewPage>(new { Overview = overview, Stages = stages });
    }

    public static async Task<IResult> TrajectoriesAsync(HttpRequest request, OverthinkDbContext db, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var (filter, parameter, error) = FilterInput(query).Parse();
        if (filter is null)
        {
            return Problem(400, "Invalid filter", error!, parameter, "trajectories", "/trajectories");
        }

        var (sort, sortParameter, sortError) = TrajectorySort.Parse(query["sort"], query["dir"]);
        if (sort is null)
        {
            return Problem(400, "Invalid sort", sortError!, sortParameter, "trajectories", "/trajectories");
        }

        if (PageNumber(query["page"]) is not { } page)
        {
            return Problem(400, "Invalid page", $"page must be a whole number from 1 (got '{query["page"]}').", "page", "trajectories", "/trajectories");
        }

        var table = await TrajectoryTable.PageAsync(db, filter, sort, page, cancellationToken);
        var choices = await DashboardLookups.ChoicesAsync(db, cancellationToken);
        return Page<TrajectoriesPage>(new { Table = table, Filter = filter, Sort = sort, Choices = choices, Links = Links.From(request) });
    }

    public static async Task<IResult> TrajectoryAsync(
        HttpContext context, string id, OverthinkDbContext db, IAntiforgery antiforgery, TrajectoryRescorer rescorer, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return Problem(404, "No such trajectory", $"'{id}' is not a trajectory id: ids are UUIDs, as the trajectories table links them.", "path: /trajectories/{id}", "trajectories", "/trajectories", "All trajectories");
        }

        var detail = await TrajectoryQueries.GetAsync(db, guid, withDocument: true, cancellationToken);
        if (detail is null)
        {
            return Problem(404, "No such trajectory", $"There is no trajectory '{id}'.", "path: /trajectories/{id}", "trajectories", "/trajectories", "All trajectories");
        }

        var history = await TrajectoryQueries.ScoreHistoryAsync(db, guid, cancellationToken);
        var replays = await ReplaysApi.ListOfAsync(db, guid, cancellationToken);
        var tokens = antiforgery.GetAndStoreTokens(context);
        return Page<TrajectoryPage>(new
        {
            Detail = detail,
            History = history,
            Replays = replays,
            Antiforgery = tokens,
            Scorers = rescorer.Scorers.Select(s => s.Name).ToList(),
            Rescored = context.Request.Query.ContainsKey("rescored"),
        });
    }

    /// <summary>The rescore button: a form post (antiforgery-checked by <c>UseAntiforgery</c>, as it binds a form), then back to the page.</summary>
    public static async Task<IResult> RescoreAsync(
        Guid id, [FromForm] string? scorer, TrajectoryRescorer rescorer, OverthinkDbContext db, StagePlanner planner, JudgeAvailability judge, CancellationToken cancellationToken)
    {
        if (rescorer.Scorers.Count == 0)
        {
            return Problem(503, "No scorer is configured", "This service has no trajectory scorer registered, so there is nothing to rescore with.", null, "trajectories", $"/trajectories/{id}");
        }

        var name = string.IsNullOrWhiteSpace(scorer) ? null : scorer.Trim();
        if (name is not null && !rescorer.Scorers.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            return Problem(400, "Unknown scorer", $"No scorer '{name}'; registered: {string.Join(", ", rescorer.Scorers.Select(s => s.Name))}.", "form field: scorer", "trajectories", $"/trajectories/{id}");
        }

        var rows = await TrajectoriesApi.RescoreNowAsync(rescorer, db, planner, judge, id, name, cancellationToken);
        return rows is null
            ? Problem(404, "No such trajectory", $"There is no trajectory '{id}'.", "path: /trajectories/{id}/rescore", "trajectories", "/trajectories", "All trajectories")
            : TypedResults.Redirect($"/trajectories/{id}?rescored=1#scores");
    }

    public static async Task<IResult> TasksAsync(HttpRequest request, OverthinkDbContext db, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var (filter, parameter, error) = FilterInput(query).Parse();
        if (filter is null)
        {
            return Problem(400, "Invalid filter", error!, parameter, "tasks", "/tasks");
        }

        var key = TaskSortKey.Task;
        if (query["sort"].ToString() is { Length: > 0 } sortText && !TaskTable.Keys.TryGetValue(sortText, out key))
        {
            return Problem(400, "Invalid sort", $"sort must be one of {string.Join(", ", TaskTable.Keys.Keys)} (got '{sortText}').", "sort", "tasks", "/tasks");
        }

        var dir = query["dir"].ToString();
        if (dir is not ("" or "asc" or "desc"))
        {
            return Problem(400, "Invalid sort", $"dir must be asc or desc (got '{dir}').", "dir", "tasks", "/tasks");
        }

        if (PageNumber(query["page"]) is not { } page)
        {
            return Problem(400, "Invalid page", $"page must be a whole number from 1 (got '{query["page"]}').", "page", "tasks", "/tasks");
        }

        var descending = dir == "desc" || (dir == "" && key != TaskSortKey.Task);
        var table = await TaskTable.PageAsync(db, filter, key, descending, page, cancellationToken);
        var choices = await DashboardLookups.ChoicesAsync(db, cancellationToken);
        return Page<TasksPage>(new { Table = table, Filter = filter, SortKey = key, Descending = descending, Choices = choices, Links = Links.From(request) });
    }

    public static async Task<IResult> TaskAsync(string taskId, OverthinkDbContext db, CancellationToken cancellationToken)
    {
        var filter = new CandidateFilter { TaskIds = [taskId] };
        var found = await SelectionApi.SelectionOfAsync(db, ScorerChoice.Default, filter, cancellationToken);
        if (found is not var (_, selection))
        {
            return Problem(404, "No such task", $"There is no task '{taskId}'.", "path: /tasks/{taskId}", "tasks", "/tasks", "All tasks");
        }

        return Page<TaskPage>(new { Selection = selection });
    }

    public static async Task<IResult> RunsAsync(OverthinkDbContext db, CancellationToken cancellationToken) =>
        Page<RunsPage>(new { Runs = await RunQueries.ListAsync(db, DeterministicScorer.Name, cancellationToken) });

    public static async Task<IResult> ExperimentAsync(
        HttpRequest request, OverthinkDbContext db, [FromServices] IEnumerable<ITrajectoryScorer> scorers, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var allRuns = await RunQueries.ListAsync(db, DeterministicScorer.Name, cancellationToken);
        // Checkboxes send run=a&run=b; the API's runs=a,b works here too.
        var named = query["run"].Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r!.Trim()).ToList();
        var runs = named.Count > 0 ? string.Join(',', named) : query["runs"].ToString();
        var k = query["k"].ToString() is { Length: > 0 } kText ? kText : "2";
        var (experiment, choice, errors) = await ExperimentInput.ParseAsync(db, scorers, runs, k, query["model"], null, null, query["scorer"], cancellationToken);
        if (errors.Count > 0)
        {
            var where = errors.Keys.First();
            return Problem(400, "Invalid experiment", string.Join(" ", errors.SelectMany(e => e.Value)), where, "experiment", "/experiment", "Back to the experiment");
        }

        var candidates = await SelectionCandidates.LoadAsync(db, choice!, experiment.Filter, cancellationToken);
        var report = LowestOverthinkingExperiment.Run(candidates, experiment);
        // Resolve rate against k, k = 1 … the number of runs compared, on the same candidates and runs.
        // Each k is pure computation over the loaded candidates (read only), so they run side by side.
        var compared = report.Runs;
        var series = await Task.WhenAll(Enumerable.Range(1, Math.Min(compared.Count, ExperimentPage.MaxChartK)).Select(kk =>
            kk == report.K
                ? Task.FromResult(report)
                : Task.Run(() => LowestOverthinkingExperiment.Run(candidates, experiment with { K = kk, Filter = experiment.Filter with { Runs = compared } }), cancellationToken)));

        return Page<ExperimentPage>(new { Report = report, Series = series, AllRuns = allRuns, Chosen = named.Count > 0 ? named : (IReadOnlyList<string>)report.Runs, Scorer = choice!.ToString() });
    }

    public static async Task<IResult> AuditsAsync(OverthinkDbContext db, IPipelineScheduler scheduler, CancellationToken cancellationToken) =>
        Page<AuditsPage>(new { Audits = await AuditsApi.AllAsync(db, scheduler, cancellationToken) });

    public static async Task<IResult> AuditAsync(string id, OverthinkDbContext db, IPipelineScheduler scheduler, CancellationToken cancellationToken)
    {
        var audit = Guid.TryParse(id, out var guid) ? await AuditsApi.OneAsync(db, scheduler, guid, cancellationToken) : null;
        if (audit is null)
        {
            return Problem(404, "No such audit", $"There is no audit '{id}'.", "path: /audits/{id}", "audits", "/audits", "All audits");
        }

        return Page<AuditPage>(new { Audit = audit, Runs = await AuditsApi.RunsOfAsync(db, guid, AuditPage.RunsShown, cancellationToken) });
    }

    private static TrajectoryFilterInput FilterInput(IQueryCollection query) => new()
    {
        TaskId = query["taskId"],
        Model = query["model"],
        Run = query["run"],
        Agent = query["agent"],
        Outcome = query["outcome"],
        MinScore = query["minScore"],
        MaxScore = query["maxScore"],
        Pattern = query["pattern"],
    };

    private static int? PageNumber(string? text) =>
        string.IsNullOrWhiteSpace(text) ? 1
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var page) && page >= 1 ? page
        : null;

    private static RazorComponentResult<T> Page<T>(object parameters)
        where T : Microsoft.AspNetCore.Components.IComponent => new(parameters);

    private static RazorComponentResult<ProblemPage> Problem(int status, string title, string detail, string? where, string active, string back, string? backLabel = null) =>
        new(new { Status = status, Title = title, Detail = detail, Where = where, Active = active, Back = back, BackLabel = backLabel ?? "Start again" })
        {
            StatusCode = status,
        };

    private static void ApplyHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Files keep their names across releases: revalidate every time (a 304 thanks to the ETag).
        headers.CacheControl = "no-cache";
    }
}
