using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using OverthinkService.Api.Environments;
using OverthinkService.Api.Problems;
using OverthinkService.Core.Audits;
using OverthinkService.Data;
using OverthinkService.Data.Audits;
using OverthinkService.Pipeline.Audits;
using OverthinkService.Pipeline.Scheduling;

namespace OverthinkService.Api.Audits;

/// <summary>
/// Scheduled trajectory audits. Each audit is a row and a Quartz cron trigger in the clustered store, created,
/// replaced and deleted together in one transaction; the workers run them and write runs with findings.
/// </summary>
public static class AuditsApi
{
    public const int MaxRuns = 200;

    public static RouteGroupBuilder MapAuditsApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var group = routes.MapGroup("/api/v1/audits").WithTags("Audits");
        group.MapPost("/", CreateAsync).WithName("CreateAudit")
            .WithSummary("Schedule an audit: name, cron (five-field crontab or Quartz's form), time zone, slice, thresholds");
        group.MapGet("/", ListAsync).WithName("ListAudits").WithSummary("Every audit with its next run and its last run");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetAudit").WithSummary("One audit");
        group.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateAudit").WithSummary("Replace an audit's definition and schedule");
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteAudit").WithSummary("Delete an audit, its schedule and its runs");
        group.MapPost("/{id:guid}/run", RunNowAsync).WithName("RunAudit").WithSummary("Run the audit now (on a worker); answers with the queued run");
        group.MapGet("/{id:guid}/runs", RunsAsync).WithName("ListAuditRuns").WithSummary("The audit's runs, newest first, with distributions and findings");
        group.MapGet("/{id:guid}/runs/{runId:guid}", RunAsync).WithName("GetAuditRun").WithSummary("One run of the audit");
        return group;
    }

    public static async Task<Results<Created<AuditResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        AuditRequest? request, OverthinkDbContext db, IPipelineScheduler scheduler, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        var (definition, errors) = Validate(request, now);
        if (definition is null)
        {
            return EnvironmentProblems.Validation(errors);
        }

        var audit = new AuditRecord
        {
            Id = Guid.CreateVersion7(now),
            Name = definition.Name,
            Cron = definition.Schedule.Cron,
            QuartzCron = definition.Schedule.QuartzCron,
            TimeZone = definition.Schedule.TimeZone.Id,
            Slice = definition.Slice,
            Thresholds = definition.Thresholds,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Audits.Add(audit);
        if (await SaveAsync(db, audit.Name, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        using (scheduler.Enlist(transaction.GetDbTransaction()))
        {
            await scheduler.ScheduleAuditAsync(audit.Id, audit.QuartzCron, definition.Schedule.TimeZone, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return TypedResults.Created($"/api/v1/audits/{audit.Id}", await ResponseAsync(db, scheduler, audit, cancellationToken));
    }

    public static async Task<Ok<List<AuditResponse>>> ListAsync(OverthinkDbContext db, IPipelineScheduler scheduler, CancellationToken cancellationToken) =>
        TypedResults.Ok(await AllAsync(db, scheduler, cancellationToken));

    /// <summary>Every audit by name with its next and last run.</summary>
    public static async Task<List<AuditResponse>> AllAsync(OverthinkDbContext db, IPipelineScheduler scheduler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var audits = await db.Audits.AsNoTracking().OrderBy(a => a.Name).ToListAsync(cancellationToken);
        var list = new List<AuditResponse>(audits.Count);
        foreach (var audit in audits)
        {
            list.Add(await ResponseAsync(db, scheduler, audit, cancellationToken));
        }

        return list;
    }

    public static async Task<Results<Ok<AuditResponse>, ProblemHttpResult>> GetAsync(
        Guid id, OverthinkDbContext db, IPipelineScheduler scheduler, CancellationToken cancellationToken) =>
        await OneAsync(db, scheduler, id, cancellationToken) is { } audit
            ? TypedResults.Ok(audit)
            : ApiProblems.NotFound("audit", id.ToString());

    /// <summary>One audit; null when there is none with this id.</summary>
    public static async Task<AuditResponse?> OneAsync(OverthinkDbContext db, IPipelineScheduler scheduler, Guid id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Audits.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken) is { } audit
            ? await ResponseAsync(db, scheduler, audit, cancellationToken)
            : null;
    }

    public static async Task<Results<Ok<AuditResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, AuditRequest? request, OverthinkDbContext db, IPipelineScheduler scheduler, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        var (definition, errors) = Validate(request, now);
        if (definition is null)
        {
            return EnvironmentProblems.Validation(errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var audit = await db.Audits.FromSql($"SELECT * FROM audits WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        if (audit is null)
        {
            return ApiProblems.NotFound("audit", id.ToString());
        }

        audit.Name = definition.Name;
        audit.Cron = definition.Schedule.Cron;
        audit.QuartzCron = definition.Schedule.QuartzCron;
        audit.TimeZone = definition.Schedule.TimeZone.Id;
        audit.Slice = definition.Slice;
        audit.Thresholds = definition.Thresholds;
        audit.UpdatedAt = now;
        if (await SaveAsync(db, audit.Name, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        using (scheduler.Enlist(transaction.GetDbTransaction()))
        {
            await scheduler.ScheduleAuditAsync(audit.Id, audit.QuartzCron, definition.Schedule.TimeZone, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return TypedResults.Ok(await ResponseAsync(db, scheduler, audit, cancellationToken));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, OverthinkDbContext db, IPipelineScheduler scheduler, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Audits.Where(a => a.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return ApiProblems.NotFound("audit", id.ToString());
        }

        using (scheduler.Enlist(transaction.GetDbTransaction()))
        {
            await scheduler.UnscheduleAuditAsync(id, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<Accepted<AuditRunResponse>, ProblemHttpResult>> RunNowAsync(
        Guid id, OverthinkDbContext db, IPipelineScheduler scheduler, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = StoredTime.Now(time);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.Audits.AnyAsync(a => a.Id == id, cancellationToken))
        {
            return ApiProblems.NotFound("audit", id.ToString());
        }

        var run = new AuditRunRecord
        {
            Id = Guid.CreateVersion7(now),
            AuditId = id,
            Trigger = AuditRunTriggers.Manual,
            Status = AuditRunStatuses.Queued,
            ScheduledFor = now,
            CreatedAt = now,
        };
        db.AuditRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        using (scheduler.Enlist(transaction.GetDbTransaction()))
        {
            await scheduler.RunAuditNowAsync(id, run.Id, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return TypedResults.Accepted($"/api/v1/audits/{id}/runs/{run.Id}", ToResponse(run));
    }

    public static async Task<Results<Ok<List<AuditRunResponse>>, ProblemHttpResult>> RunsAsync(
        Guid id, int? limit, OverthinkDbContext db, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxRuns)
        {
            return ApiProblems.InvalidQuery("limit", $"limit must be between 1 and {MaxRuns} (default 20).");
        }

        if (!await db.Audits.AnyAsync(a => a.Id == id, cancellationToken))
        {
            return ApiProblems.NotFound("audit", id.ToString());
        }

        return TypedResults.Ok(await RunsOfAsync(db, id, limit ?? 20, cancellationToken));
    }

    /// <summary>The audit's newest runs, newest first, with distributions and findings.</summary>
    public static async Task<List<AuditRunResponse>> RunsOfAsync(OverthinkDbContext db, Guid id, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var runs = await db.AuditRuns.AsNoTracking().Where(r => r.AuditId == id)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(limit)
            .ToListAsync(cancellationToken);
        return runs.Select(ToResponse).ToList();
    }

    public static async Task<Results<Ok<AuditRunResponse>, ProblemHttpResult>> RunAsync(Guid id, Guid runId, OverthinkDbContext db, CancellationToken cancellationToken) =>
        await db.AuditRuns.AsNoTracking().FirstOrDefaultAsync(r => r.AuditId == id && r.Id == runId, cancellationToken) is { } run
            ? TypedResults.Ok(ToResponse(run))
            : ApiProblems.NotFound("audit run", runId.ToString());

    private sealed record Definition(string Name, AuditSchedule Schedule, AuditSlice Slice, AuditThresholds Thresholds);

    private static (Definition? Definition, Dictionary<string, string[]> Errors) Validate(AuditRequest? request, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request is null)
        {
            errors["body"] = ["a JSON object is required: {\"name\": \"nightly\", \"cron\": \"0 6 * * *\", \"timeZone\": \"UTC\"}"];
            return (null, errors);
        }

        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            errors["name"] = ["is required, at most 200 characters"];
        }

        var (schedule, field, error) = AuditSchedule.Parse(request.Cron, request.TimeZone, now);
        if (schedule is null)
        {
            errors[field!] = [error!];
        }

        var slice = request.Slice ?? AuditSlice.Everything;
        foreach (var (f, message) in slice.Problems())
        {
            errors[$"slice.{f}"] = [message];
        }

        var thresholds = request.Thresholds ?? AuditThresholds.Default;
        foreach (var (f, message) in thresholds.Problems())
        {
            errors[$"thresholds.{f}"] = [message];
        }

        return errors.Count > 0 ? (null, errors) : (new Definition(name!, schedule!, slice, thresholds), errors);
    }

    private static async Task<ProblemHttpResult?> SaveAsync(OverthinkDbContext db, string name, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ix_audits_name" })
        {
            return TypedResults.Problem(
                detail: $"An audit named '{name}' already exists; choose another name or update that one.",
                statusCode: StatusCodes.Status409Conflict,
                title: "An audit with this name exists",
                type: ApiProblems.TypePrefix + "audit-name-taken",
                extensions: new Dictionary<string, object?> { ["name"] = name });
        }
    }

    private static async Task<AuditResponse> ResponseAsync(OverthinkDbContext db, IPipelineScheduler scheduler, AuditRecord audit, CancellationToken cancellationToken)
    {
        var last = await db.AuditRuns.AsNoTracking().Where(r => r.AuditId == audit.Id)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Select(r => new { r.Id, r.Status, r.Trigger, r.ScheduledFor, r.FinishedAt, r.Findings })
            .FirstOrDefaultAsync(cancellationToken);
        return new AuditResponse
        {
            Id = audit.Id,
            Name = audit.Name,
            Cron = audit.Cron,
            QuartzCron = audit.QuartzCron,
            TimeZone = audit.TimeZone,
            Slice = audit.Slice,
            Thresholds = audit.Thresholds,
            NextRunAt = await scheduler.NextAuditFireTimeAsync(audit.Id, cancellationToken),
            LastRun = last is null ? null : new AuditRunSummary(last.Id, last.Status, last.Trigger, last.ScheduledFor, last.FinishedAt, last.Findings.Count),
            CreatedAt = audit.CreatedAt,
            UpdatedAt = audit.UpdatedAt,
        };
    }

    private static AuditRunResponse ToResponse(AuditRunRecord r) => new()
    {
        Id = r.Id,
        AuditId = r.AuditId,
        Trigger = r.Trigger,
        Status = r.Status,
        ScheduledFor = r.ScheduledFor,
        Instance = r.Instance,
        CreatedAt = r.CreatedAt,
        StartedAt = r.StartedAt,
        FinishedAt = r.FinishedAt,
        Scorer = r.ScorerVersion,
        WindowFrom = r.WindowFrom,
        WindowTo = r.WindowTo,
        Trajectories = r.Trajectories,
        Rescored = r.Rescored,
        Models = r.Snapshot.Models,
        Findings = r.Findings,
        PreviousRunId = r.PreviousRunId,
        Error = r.Error,
    };
}
