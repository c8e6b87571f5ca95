using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using OverthinkService.Core.Audits;
using OverthinkService.Core.Replay;
using OverthinkService.Core.Scoring;
using OverthinkService.Core.Trajectories;
using OverthinkService.Data;
using OverthinkService.Data.Audits;
using OverthinkService.Data.Scoring;
using OverthinkService.Pipeline.Scheduling;
using OverthinkService.Pipeline.Stages;
using OverthinkService.Pipeline.Telemetry;
using Quartz;

namespace OverthinkService.Pipeline.Audits;

/// <summary>
/// One audit run: rescore the slice with the current deterministic scorer version (only trajectories lacking a
/// score of that version get a new row, so a repeated run adds nothing), compute the per-model distributions,
/// compare with the previous completed run, and store the run with its findings.
/// <para>
/// Idempotent under at-least-once delivery: a scheduled firing's run is identified by (audit, cron occurrence)
/// and a manual one by the run id the API created, so a redelivered firing either finds the run finished (and does
/// nothing) or takes over the run its dead worker left.
/// </para>
/// </summary>
public sealed partial class AuditRunner(
    IDbContextFactory<OverthinkDbContext> dbs,
    IEnumerable<ITrajectoryScorer> scorers,
    ClusterMembers cluster,
    InstanceIdentity me,
    TimeProvider time,
    ILogger<AuditRunner> logger)
{
    private const int ScoreBatch = 50;

    private readonly ITrajectoryScorer? _scorer =
        scorers.FirstOrDefault(s => s.Id.Name == DeterministicScorer.Name) ?? scorers.FirstOrDefault();

    public async Task RunAsync(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.MergedJobDataMap;
        if (!Guid.TryParse(data.GetString(JobKeys.AuditId), out var auditId))
        {
            LogBadJobData(context.JobDetail.Key.ToString());
            return;
        }

        Guid? runId = Guid.TryParse(data.GetString(JobKeys.RunId), out var id) ? id : null;
        var scheduledFor = StoredTime.Truncate(context.ScheduledFireTimeUtc ?? context.FireTimeUtc);
        using var activity = PipelineTelemetry.Source.StartActivity("audit run");
        activity?.SetTag("overthink.audit.id", auditId);
        var run = await ClaimAsync(auditId, runId, scheduledFor, cancellationToken);
        if (run is null)
        {
            return;
        }

        activity?.SetTag("overthink.audit.run.id", run.Id);
        try
        {
            await ExecuteAsync(run.Id, cancellationToken);
            PipelineTelemetry.AuditRuns.Add(1, new TagList { { "overthink.audit.outcome", "completed" } });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the run stays "running" for this instance; the recovered firing takes it over.
            throw;
        }
#pragma warning disable CA1031 // A failed run is recorded on the run; the next occurrence of the schedule tries again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogRunFailed(e, auditId, run.Id);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            PipelineTelemetry.AuditRuns.Add(1, new TagList { { "overthink.audit.outcome", "failed" } });
            await FailAsync(run.Id, TransientFailures.Describe(e));
        }
    }

    private async Task<AuditRunRecord?> ClaimAsync(Guid auditId, Guid? runId, DateTimeOffset scheduledFor, CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = StoredTime.Now(time);
        var audit = await db.Audits.FromSql($"SELECT * FROM audits WHERE id = {auditId} FOR UPDATE").AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        AuditRunRecord? run = runId is { } manual
            ? await db.AuditRuns.FirstOrDefaultAsync(r => r.Id == manual, cancellationToken)
            : await db.AuditRuns.FirstOrDefaultAsync(r => r.AuditId == auditId && r.Trigger == AuditRunTriggers.Schedule && r.ScheduledFor == scheduledFor, cancellationToken);
        if (audit is null)
        {
            LogAuditGone(auditId);
            return null;
        }

        if (run is null)
        {
            run = new AuditRunRecord
            {
                Id = runId ?? Guid.CreateVersion7(now),
                AuditId = auditId,
                Trigger = runId is null ? AuditRunTriggers.Schedule : AuditRunTriggers.Manual,
                Status = AuditRunStatuses.Queued,
                ScheduledFor = scheduledFor,
                CreatedAt = now,
            };
            db.AuditRuns.Add(run);
        }
        else if (run.Status is AuditRunStatuses.Completed or AuditRunStatuses.Failed)
        {
            LogAlreadyRan(auditId, run.Id, run.Status);
            return null;
        }
        else if (run.Status == AuditRunStatuses.Running && run.Instance is { } owner && owner != me.Id && await cluster.IsAliveAsync(owner, cancellationToken))
        {
            LogRunningElsewhere(auditId, run.Id, owner);
            return null;
        }

        run.Status = AuditRunStatuses.Running;
        run.Instance = me.Id;
        run.StartedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return run;
    }

    private async Task ExecuteAsync(Guid runId, CancellationToken cancellationToken)
    {
        if (_scorer is null)
        {
            throw new InvalidOperationException("no trajectory scorer is registered on this worker");
        }

        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var run = await db.AuditRuns.FirstAsync(r => r.Id == runId, cancellationToken);
        var audit = await db.Audits.AsNoTracking().FirstAsync(a => a.Id == run.AuditId, cancellationToken);
        var (from, to) = audit.Slice.Window(run.StartedAt ?? StoredTime.Now(time));
        var scorer = _scorer.Id;

        var slice = db.Trajectories.AsNoTracking();
        if (audit.Slice.Model is { } model)
        {
            slice = slice.Where(t => t.Model == model);
        }

        if (audit.Slice.Agent is { } agent)
        {
            slice = slice.Where(t => t.Agent == agent);
        }

        if (audit.Slice.Run is { } label)
        {
            slice = slice.Where(t => t.RunLabel == label);
        }

        if (from is { } f)
        {
            slice = slice.Where(t => t.CreatedAt >= f);
        }

        if (to is { } u)
        {
            slice = slice.Where(t => t.CreatedAt < u);
        }

        var rows = await slice
            .Select(t => new SliceRow(
                t.Id,
                t.Model,
                db.Scores.Where(s => s.TrajectoryId == t.Id && s.ScorerName == scorer.Name && s.ScorerVersion == scorer.Version)
                    .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
                    .Select(s => new ScoreValues(s.Overall, s.AnalysisParalysis, s.RogueActions, s.PrematureDisengagement))
                    .FirstOrDefault()))
            .ToListAsync(cancellationToken);

        var samples = rows.Where(r => r.Score is not null).Select(r => Sample(r.Model, r.Score!)).ToList();
        var missing = rows.Where(r => r.Score is null).ToList();
        foreach (var batch in missing.Chunk(ScoreBatch))
        {
            samples.AddRange(await ScoreAsync(db, batch, cancellationToken));
        }

        var snapshot = AuditStatistics.Compute(samples);
        var previous = await db.AuditRuns.AsNoTracking()
            .Where(r => r.AuditId == run.AuditId && r.Status == AuditRunStatuses.Completed && r.Id != run.Id)
            .OrderByDescending(r => r.FinishedAt).ThenByDescending(r => r.Id)
            .Select(r => new { r.Id, r.Snapshot })
            .FirstOrDefaultAsync(cancellationToken);

        run.ScorerVersion = scorer.ToString();
        run.WindowFrom = from;
        run.WindowTo = to;
        run.Trajectories = rows.Count;
        run.Rescored = missing.Count;
        run.Snapshot = snapshot;
        run.PreviousRunId = previous?.Id;
        run.Findings = AuditComparison.Compare(previous?.Snapshot, snapshot, audit.Thresholds);
        run.Status = AuditRunStatuses.Completed;
        run.FinishedAt = StoredTime.Now(time);
        await db.SaveChangesAsync(cancellationToken);
        LogRunCompleted(audit.Name, run.Id, rows.Count, missing.Count, run.Findings.Count);
    }

    private async Task<List<AuditSample>> ScoreAsync(OverthinkDbContext db, SliceRow[] batch, CancellationToken cancellationToken)
    {
        var ids = batch.Select(r => r.Id).ToList();
        var documents = await db.Trajectories.AsNoTracking().Where(t => ids.Contains(t.Id))
            .Select(t => new { t.Id, t.Document }).ToDictionaryAsync(t => t.Id, t => t.Document, cancellationToken);
        // The newest replay report of each, as the rescore stage uses it.
        var replays = (await db.Replays.AsNoTracking().Where(r => ids.Contains(r.TrajectoryId))
                .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
                .Select(r => new { r.TrajectoryId, r.Report }).ToListAsync(cancellationToken))
            .GroupBy(r => r.TrajectoryId).ToDictionary(g => g.Key, g => g.First().Report);
        var now = StoredTime.Now(time);
        var samples = new List<AuditSample>(batch.Length);
        foreach (var row in batch)
        {
            if (!documents.TryGetValue(row.Id, out var document))
            {
                continue;
            }

            var replay = replays.GetValueOrDefault(row.Id) is { Status: ReplayStatus.Completed or ReplayStatus.TimedOut } report ? report : null;
            var score = _scorer!.Score(document with { Outcome = Outcome.Unknown }, replay);
            db.Scores.Add(ScoreRecords.From(row.Id, score, PipelineScoreReasons.Audit, now));
            samples.Add(new AuditSample(row.Model, score.Overall, score.AnalysisParalysis.Score, score.RogueActions.Score, score.PrematureDisengagement.Score));
        }

        await db.SaveChangesAsync(cancellationToken);
        // The scores are written; stop tracking them (a large slice would otherwise pile up), but keep tracking the run.
        foreach (var entry in db.ChangeTracker.Entries<ScoreRecord>().ToList())
        {
            entry.State = EntityState.Detached;
        }

        return samples;
    }

    private async Task FailAsync(Guid runId, string error)
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await using var db = await dbs.CreateDbContextAsync(budget.Token);
            var now = StoredTime.Now(time);
            await db.AuditRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(
                s => s.SetProperty(r => r.Status, AuditRunStatuses.Failed).SetProperty(r => r.Error, error).SetProperty(r => r.FinishedAt, now),
                budget.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or DbUpdateException)
        {
            LogFailFailed(e, runId);
        }
    }

    // Audits read the deterministic scorer's rows, which always carry the three sub-scores.
    private static AuditSample Sample(string? model, ScoreValues s) =>
        new(model, s.Overall, s.AnalysisParalysis.GetValueOrDefault(), s.RogueActions.GetValueOrDefault(), s.PrematureDisengagement.GetValueOrDefault());

    private sealed record SliceRow(Guid Id, string? Model, ScoreValues? Score);

    private sealed record ScoreValues(double Overall, double? AnalysisParalysis, double? RogueActions, double? PrematureDisengagement);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit job {JobKey} carries no audit id; ignored")]
    private partial void LogBadJobData(string jobKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit {AuditId} no longer exists; nothing to run")]
    private partial void LogAuditGone(Guid auditId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit {AuditId} run {RunId} is already {Status}; a repeated delivery does nothing")]
    private partial void LogAlreadyRan(Guid auditId, Guid runId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit {AuditId} run {RunId} is running on live worker {Owner}; leaving it there")]
    private partial void LogRunningElsewhere(Guid auditId, Guid runId, string owner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit {Audit} run {RunId}: {Trajectories} trajectories, {Rescored} newly scored, {Findings} findings")]
    private partial void LogRunCompleted(string audit, Guid runId, int trajectories, int rescored, int findings);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit {AuditId} run {RunId} failed")]
    private partial void LogRunFailed(Exception exception, Guid auditId, Guid runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record audit run {RunId} as failed")]
    private partial void LogFailFailed(Exception exception, Guid runId);
}
