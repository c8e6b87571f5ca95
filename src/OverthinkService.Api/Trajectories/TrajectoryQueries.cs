using Microsoft.EntityFrameworkCore;
using OverthinkService.Core.Scoring;
using OverthinkService.Core.Trajectories;
using OverthinkService.Data;
using OverthinkService.Data.Scoring;
using OverthinkService.Data.Trajectories;

namespace OverthinkService.Api.Trajectories;

/// <summary>
/// The filters of a trajectory list; null means "any". The score filters (<see cref="MinOverall"/>,
/// <see cref="MaxOverall"/>, <see cref="Pattern"/>) look at each trajectory's current score from
/// <see cref="Scorer"/>: a trajectory without one never matches them.
/// </summary>
public sealed record TrajectoryFilter(string? TaskId, string? Model, string? Run, string? Agent, Guid? ImportId)
{
    public OutcomeStatus? Outcome { get; init; }

    public double? MinOverall { get; init; }

    public double? MaxOverall { get; init; }

    /// <summary>Only trajectories whose sub-score for this pattern is at least <see cref="PatternThreshold.Value"/>.</summary>
    public Pattern? Pattern { get; init; }

    public string Scorer { get; init; } = DeterministicScorer.Name;

    public bool FiltersOnScore => MinOverall is not null || MaxOverall is not null || Pattern is not null;
}

/// <summary>Read-side projections of stored trajectories (no tracking, only the columns each view needs).</summary>
internal static class TrajectoryQueries
{
    /// <summary>The stored trajectories that pass <paramref name="filter"/>: what the API's lists and the dashboard's tables page through.</summary>
    public static IQueryable<TrajectoryRecord> Filtered(OverthinkDbContext db, TrajectoryFilter filter)
    {
        var query = db.Trajectories.AsNoTracking();
        if (filter.TaskId is { } taskId)
        {
            query = query.Where(t => t.TaskId == taskId);
        }

        if (filter.Model is { } model)
        {
            query = query.Where(t => t.Model == model);
        }

        if (filter.Run is { } run)
        {
            query = query.Where(t => t.RunLabel == run);
        }

        if (filter.Agent is { } agent)
        {
            query = query.Where(t => t.Agent == agent);
        }

        if (filter.ImportId is { } importId)
        {
            query = query.Where(t => t.ImportId == importId);
        }

        if (filter.Outcome is { } outcome)
        {
            query = query.Where(t => t.OutcomeStatus == outcome);
        }

        if (filter.FiltersOnScore)
        {
            var current = CurrentScores.Of(db, filter.Scorer);
            if (filter.MinOverall is { } min)
            {
                current = current.Where(s => s.Overall >= min);
            }

            if (filter.MaxOverall is { } max)
            {
                current = current.Where(s => s.Overall <= max);
            }

            current = filter.Pattern switch
            {
                Trajectories.Pattern.AnalysisParalysis => current.Where(s => s.AnalysisParalysis >= PatternThreshold.Value),
                Trajectories.Pattern.RogueActions => current.Where(s => s.RogueActions >= PatternThreshold.Value),
                Trajectories.Pattern.PrematureDisengagement => current.Where(s => s.PrematureDisengagement >= PatternThreshold.Value),
                _ => current,
            };
            query = query.Where(t => current.Any(s => s.TrajectoryId == t.Id));
        }

        return query;
    }

    public static async Task<Page<TrajectorySummary>> ListAsync(
        OverthinkDbContext db, TrajectoryFilter filter, KeysetCursor? after, int limit, CancellationToken cancellationToken)
    {
        var query = Filtered(db, filter);
        if (after is { } cursor)
        {
            // Row-value comparison: (created_at, id) < (@c, @i) walks the (created_at, id) order with one index range.
            query = query.Where(t => EF.Functions.LessThan(ValueTuple.Create(t.CreatedAt, t.Id), ValueTuple.Create(cursor.CreatedAt, cursor.Id)));
        }

        var rows = await query
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .Take(limit + 1)
            .Select(Summary)
            .ToListAsync(cancellationToken);
        var hasMore = rows.Count > limit;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        var items = await WithScoresAsync(db, rows, cancellationToken);
        var next = hasMore ? new KeysetCursor(rows[^1].CreatedAt, rows[^1].Id).Encode() : null;
        return new Page<TrajectorySummary>(items, next);
    }

    /// <summary>The summaries with the newest score of each scorer version (no evidence).</summary>
    public static async Task<List<TrajectorySummary>> WithScoresAsync(OverthinkDbContext db, List<TrajectorySummary> rows, CancellationToken cancellationToken)
    {
        var scores = await LatestScoresAsync(db, rows.Select(r => r.Id).ToList(), withEvidence: false, cancellationToken);
        return rows.Select(r => r with { Scores = scores.GetValueOrDefault(r.Id, []) }).ToList();
    }

    /// <summary>The summary with the latest scores and their evidence, outcome history and stages; the document when asked.</summary>
    public static async Task<TrajectoryDetail?> GetAsync(OverthinkDbContext db, Guid id, bool withDocument, CancellationToken cancellationToken)
    {
        var summary = await db.Trajectories.AsNoTracking().Where(t => t.Id == id).Select(Summary).FirstOrDefaultAsync(cancellationToken);
        if (summary is null)
        {
            return null;
        }

        var scores = await LatestScoresAsync(db, [id], withEvidence: true, cancellationToken);
        var detail = new TrajectoryDetail
        {
            Id = summary.Id,
            ContentHash = summary.ContentHash,
            TaskId = summary.TaskId,
            Run = summary.Run,
            Model = summary.Model,
            Agent = summary.Agent,
            SourceFormat = summary.SourceFormat,
            StepCount = summary.StepCount,
            ToolCallCount = summary.ToolCallCount,
            InteractionCount = summary.InteractionCount,
            Finish = summary.Finish,
            Outcome = summary.Outcome,
            Totals = summary.Totals,
            ContentBytes = summary.ContentBytes,
            ImportId = summary.ImportId,
            CreatedAt = summary.CreatedAt,
            Scores = scores.GetValueOrDefault(id, []),
        };
        var outcomes = await db.Outcomes.AsNoTracking().Where(o => o.TrajectoryId == id).OrderBy(o => o.RecordedAt).ThenBy(o => o.Id)
            .Select(o => new OutcomeResponse(o.Status, o.Source, o.RecordedAt)).ToListAsync(cancellationToken);
        var stages = await db.TrajectoryStages.AsNoTracking().Where(s => s.TrajectoryId == id).OrderBy(s => s.Stage)
            .Select(s => new StageResponse(s.Stage, s.State, s.Attempts, s.Reason, s.UpdatedAt, s.Owner, s.QueuedAt, s.StartedAt, s.FinishedAt, s.NextAttemptAt))
            .ToListAsync(cancellationToken);
        var document = withDocument
            ? await db.Trajectories.AsNoTracking().Where(t => t.Id == id).Select(t => t.Document).FirstAsync(cancellationToken)
            : null;
        return detail with { OutcomeHistory = outcomes, Stages = stages, Document = document };
    }

    /// <summary>The canonical document alone (for exports).</summary>
    public static Task<Trajectory?> DocumentAsync(OverthinkDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.Trajectories.AsNoTracking().Where(t => t.Id == id).Select(t => (Trajectory?)t.Document).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Every score of a trajectory, oldest first, with evidence: the full history.</summary>
    public static Task<List<ScoreResponse>> ScoreHistoryAsync(OverthinkDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.Scores.AsNoTracking().Where(s => s.TrajectoryId == id).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id)
            .Select(s => ToResponse(s, true)).ToListAsync(cancellationToken);

    public static ScoreResponse ToResponse(ScoreRecord s, bool withEvidence) => new()
    {
        Id = s.Id,
        Scorer = s.ScorerName,
        Version = s.ScorerVersion,
        Overall = s.Overall,
        Band = ScoreBands.Of(s.Overall),
        AnalysisParalysis = s.AnalysisParalysis,
        RogueActions = s.RogueActions,
        PrematureDisengagement = s.PrematureDisengagement,
        Loops = new LoopResponse(s.LoopLongestRepeat, s.LoopRepeatedActions),
        Reason = s.Reason,
        CreatedAt = s.CreatedAt,
        Evidence = withEvidence ? s.Evidence : null,
    };

    private static async Task<Dictionary<Guid, IReadOnlyList<ScoreResponse>>> LatestScoresAsync(
        OverthinkDbContext db, List<Guid> ids, bool withEvidence, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var scores = db.Scores.AsNoTracking().Where(s => ids.Contains(s.TrajectoryId));
        // Without evidence, project the columns only: the jsonb evidence can be large.
        var rows = withEvidence
            ? await scores.ToListAsync(cancellationToken)
            : await scores.Select(s => new ScoreRecord
            {
                Id = s.Id,
                TrajectoryId = s.TrajectoryId,
                ScorerName = s.ScorerName,
                ScorerVersion = s.ScorerVersion,
                Overall = s.Overall,
                AnalysisParalysis = s.AnalysisParalysis,
                RogueActions = s.RogueActions,
                PrematureDisengagement = s.PrematureDisengagement,
                LoopLongestRepeat = s.LoopLongestRepeat,
                LoopRepeatedActions = s.LoopRepeatedActions,
                Reason = s.Reason,
                CreatedAt = s.CreatedAt,
                Evidence = null!,
            }).ToListAsync(cancellationToken);
        return rows
            .GroupBy(s => s.TrajectoryId)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<ScoreResponse>)g
                    .GroupBy(s => (s.ScorerName, s.ScorerVersion))
                    .Select(v => v.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).First())
                    .OrderBy(s => s.ScorerName, StringComparer.Ordinal).ThenBy(s => s.ScorerVersion, StringComparer.Ordinal)
                    .Select(s => ToResponse(s, withEvidence))
                    .ToList());
    }

    public static readonly System.Linq.Expressions.Expression<Func<TrajectoryRecord, TrajectorySummary>> Summary = t => new TrajectorySummary
    {
        Id = t.Id,
        ContentHash = Convert.ToHexStringLower(t.ContentHash),
        TaskId = t.TaskId,
        Run = t.RunLabel,
        Model = t.Model,
        Agent = t.Agent,
        SourceFormat = t.SourceFormat,
        StepCount = t.StepCount,
        ToolCallCount = t.ToolCallCount,
        InteractionCount = t.InteractionCount,
        Finish = new FinishResponse(t.FinishKind, t.FinishRaw),
        Outcome = new OutcomeResponse(t.OutcomeStatus, t.OutcomeSource, null),
        Totals = new Usage { PromptTokens = t.PromptTokens, CompletionTokens = t.CompletionTokens, ReasoningTokens = t.ReasoningTokens, Cost = t.Cost },
        ContentBytes = t.ContentBytes,
        ImportId = t.ImportId,
        CreatedAt = t.CreatedAt,
    };
}
