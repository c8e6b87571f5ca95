using Microsoft.EntityFrameworkCore;
using OverthinkService.Core.Scoring;
using OverthinkService.Core.Selection;
using OverthinkService.Core.Trajectories;
using OverthinkService.Data.Scoring;

namespace OverthinkService.Data.Selection;

/// <summary>
/// Loads selection candidates from the database: each stored trajectory that passes the filter, with its
/// current outcome and its current score from the chosen scorer, in one query that reads only the columns
/// selection needs (never the jsonb document or evidence).
/// </summary>
public static class SelectionCandidates
{
    /// <summary>
    /// The candidates, ordered by task, then ingest time. "Current score" is the newest row (by
    /// <c>created_at</c>, then id) of the chosen scorer's name, or of the name and version when the choice
    /// pins one; rescoring adds rows, so history never leaks into selection. A trajectory without such a
    /// row comes back with no score (and no scorer).
    /// </summary>
    public static async Task<List<Candidate>> LoadAsync(
        OverthinkDbContext db, ScorerChoice scorer, CandidateFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(filter);

        var trajectories = db.Trajectories.AsNoTracking();
        if (filter.TaskIds is { Count: > 0 } tasks)
        {
            var ids = tasks.ToArray();
            trajectories = trajectories.Where(t => ids.Contains(t.TaskId));
        }

        if (filter.Runs is { Count: > 0 } runs)
        {
            var labels = runs.ToArray();
            trajectories = trajectories.Where(t => t.RunLabel != null && labels.Contains(t.RunLabel));
        }

        if (filter.Models is { Count: > 0 } models)
        {
            var names = models.ToArray();
            trajectories = trajectories.Where(t => t.Model != null && names.Contains(t.Model));
        }

        if (filter.Agents is { Count: > 0 } agents)
        {
            var names = agents.ToArray();
            trajectories = trajectories.Where(t => t.Agent != null && names.Contains(t.Agent));
        }

        // Inlined by EF into the projection below: the newest matching score row per trajectory, which EF
        // writes as ROW_NUMBER() over the scores joined back. The window would number every score of the
        // scorer; with a filter (one task, some runs) it numbers only those of the filtered trajectories.
        IQueryable<ScoreRecord> scores = db.Scores.Where(s => s.ScorerName == scorer.Name);
        if (scorer.Version is { } version)
        {
            scores = scores.Where(s => s.ScorerVersion == version);
        }

        if (filter is { TaskIds.Count: > 0 } or { Runs.Count: > 0 } or { Models.Count: > 0 } or { Agents.Count: > 0 })
        {
            var filtered = trajectories.Select(t => t.Id);
            scores = scores.Where(s => filtered.Contains(s.TrajectoryId));
        }

        var rows = await trajectories
            .OrderBy(t => t.TaskId).ThenBy(t => t.CreatedAt).ThenBy(t => t.Id)
            .Select(t => new Row(
                t.Id,
                t.TaskId,
                t.RunLabel,
                t.Model,
                t.Agent,
                t.Cost,
                t.PromptTokens,
                t.CompletionTokens,
                t.ReasoningTokens,
                t.StepCount,
                t.OutcomeStatus,
                t.CreatedAt,
                scores.Where(s => s.TrajectoryId == t.Id)
                    .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id)
                    .Select(s => new ScoreRow(s.ScorerVersion, s.Overall, s.AnalysisParalysis, s.RogueActions, s.PrematureDisengagement))
                    .FirstOrDefault()))
            .ToListAsync(cancellationToken);

        return rows.Select(r => r.ToCandidate(scorer.Name)).ToList();
    }

    private sealed record ScoreRow(string Version, double Overall, double? AnalysisParalysis, double? RogueActions, double? PrematureDisengagement);

    private sealed record Row(
        Guid Id,
        string TaskId,
        string? Run,
        string? Model,
        string? Agent,
        decimal? Cost,
        long? PromptTokens,
        long? CompletionTokens,
        long? ReasoningTokens,
        int StepCount,
        OutcomeStatus Outcome,
        DateTimeOffset CreatedAt,
        ScoreRow? Score)
    {
        public Candidate ToCandidate(string scorerName) => new()
        {
            TaskId = TaskId,
            TrajectoryId = Id.ToString(),
            Run = Run,
            Model = Model,
            Agent = Agent,
            Overall = Score?.Overall,
            AnalysisParalysis = Score?.AnalysisParalysis,
            RogueActions = Score?.RogueActions,
            PrematureDisengagement = Score?.PrematureDisengagement,
            Scorer = Score is null ? null : new ScorerId(scorerName, Score.Version),
            Cost = Cost,
            PromptTokens = PromptTokens,
            CompletionTokens = CompletionTokens,
            ReasoningTokens = ReasoningTokens,
            StepCount = StepCount,
            Outcome = Outcome,
            IngestedAt = CreatedAt,
        };
    }
}
