using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OverthinkService.Data;
using OverthinkService.Data.Pipeline;
using OverthinkService.Pipeline.Scheduling;
using OverthinkService.Pipeline.Stages;

namespace OverthinkService.Api.Jobs;

/// <summary><c>GET /api/v1/jobs</c>: queues at a glance for operators.</summary>
public static class JobsApi
{
    public const int ListLimit = 50;

    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var group = routes.MapGroup("/api/v1/jobs").WithTags("Jobs");
        group.MapGet("/", GetAsync)
            .WithName("GetJobs")
            .WithSummary("Background work: counts by stage and state, the oldest waiting, what runs where, recent failures, and Quartz's instances and triggers");
        return group;
    }

    public static async Task<Ok<JobsOverview>> GetAsync(OverthinkDbContext db, ClusterMembers cluster, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stages = await StagesAsync(db, now, cancellationToken);

        var members = await cluster.ListAsync(cancellationToken);
        var alive = members.Where(m => m.Alive).Select(m => m.Instance).ToHashSet(StringComparer.Ordinal);
        var running = (await db.TrajectoryStages.AsNoTracking().Where(s => s.State == StageState.Running)
                .OrderBy(s => s.StartedAt).Take(ListLimit)
                .Select(s => new { s.TrajectoryId, s.Stage, s.Owner, s.Attempts, s.StartedAt })
                .ToListAsync(cancellationToken))
            .Select(s => new RunningStage(s.TrajectoryId, s.Stage, s.Owner, s.Attempts, s.StartedAt, s.Owner is not null && alive.Contains(s.Owner)))
            .ToList();
        string[] failures = [StageRunOutcomes.Failed, StageRunOutcomes.Retry, StageRunOutcomes.Abandoned];
        var recent = await db.StageRuns.AsNoTracking().Where(r => failures.Contains(r.Outcome))
            .OrderByDescending(r => r.FinishedAt).ThenByDescending(r => r.Id).Take(ListLimit)
            .Select(r => new FailedAttempt(r.TrajectoryId, r.Stage, r.Attempt, r.Instance, r.Outcome, r.FinishedAt, r.Reason))
            .ToListAsync(cancellationToken);

        var triggers = await db.Database.SqlQuery<TriggerCount>(
                $"SELECT trigger_group AS \"Group\", trigger_state AS \"State\", count(*)::int AS \"Count\" FROM qrtz_triggers WHERE sched_name = {ClusterMembers.SchedulerName} GROUP BY trigger_group, trigger_state ORDER BY 1, 2")
            .ToListAsync(cancellationToken);
        var executing = await db.Database.SqlQuery<int>(
                $"SELECT count(*)::int AS \"Value\" FROM qrtz_fired_triggers WHERE sched_name = {ClusterMembers.SchedulerName}")
            .SingleAsync(cancellationToken);

        return TypedResults.Ok(new JobsOverview
        {
            At = now,
            Stages = stages,
            Running = running,
            RecentFailures = recent,
            Scheduler = new SchedulerView(members, triggers, executing),
        });
    }

    /// <summary>Per stage: counts by state, the oldest waiting (the dashboard's pipeline health shows the same).</summary>
    public static async Task<List<StageSummary>> StagesAsync(OverthinkDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var counts = await db.TrajectoryStages.AsNoTracking()
            .GroupBy(s => new { s.Stage, s.State, Waiting = s.State == StageState.Queued && s.QueuedAt == null })
            .Select(g => new { g.Key.Stage, g.Key.State, g.Key.Waiting, Count = g.Count(), Oldest = g.Min(s => s.QueuedAt) })
            .ToListAsync(cancellationToken);
        return PipelineStages.All.Union(counts.Select(c => c.Stage)).Select(stage =>
        {
            var of = counts.Where(c => c.Stage == stage).ToList();
            int Count(StageState state, bool waiting = false) => of.Where(c => c.State == state && c.Waiting == waiting).Sum(c => c.Count);
            var oldest = of.Where(c => c.State == StageState.Queued && !c.Waiting).Select(c => c.Oldest).FirstOrDefault();
            return new StageSummary(stage, Count(StageState.Queued), Count(StageState.Queued, waiting: true), Count(StageState.Running), Count(StageState.Done),
                Count(StageState.Failed), Count(StageState.Skipped), oldest, oldest is { } o ? Math.Round((now - o).TotalSeconds, 1) : null);
        }).ToList();
    }
}
