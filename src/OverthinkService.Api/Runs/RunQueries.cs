using Microsoft.EntityFrameworkCore;
using OverthinkService.Core.Trajectories;
using OverthinkService.Data;
using OverthinkService.Data.Scoring;

namespace OverthinkService.Api.Runs;

/// <summary>A run label with its counts, resolve rate and mean current score.</summary>
public sealed record RunRow(
    string Run, string? Model, string? Agent, int Trajectories, int Resolved, int Unresolved, int Scored, double? MeanOverall, DateTimeOffset CreatedAt)
{
    /// <summary>Resolved over resolved + unresolved (outcome known); null when no outcome is known.</summary>
    public double? ResolveRate => Resolved + Unresolved == 0 ? null : (double)Resolved / (Resolved + Unresolved);
}

/// <summary>Runs in label order with their counts: <c>GET /api/v1/runs</c> and the dashboard's runs page.</summary>
public static class RunQueries
{
    public static async Task<List<RunRow>> ListAsync(OverthinkDbContext db, string scorer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var counts = await db.Trajectories.AsNoTracking().Where(t => t.RunLabel != null)
            .GroupBy(t => t.RunLabel!)
            .Select(g => new
            {
                Run = g.Key,
                Count = g.Count(),
                Resolved = g.Count(t => t.OutcomeStatus == OutcomeStatus.Resolved),
                Unresolved = g.Count(t => t.OutcomeStatus == OutcomeStatus.Unresolved || t.OutcomeStatus == OutcomeStatus.EmptyPatch),
            })
            .ToDictionaryAsync(c => c.Run, StringComparer.Ordinal, cancellationToken);
        var scores = await (
                from s in CurrentScores.Of(db, scorer)
                join t in db.Trajectories on s.TrajectoryId equals t.Id
                where t.RunLabel != null
                group s.Overall by t.RunLabel into g
                select new { Run = g.Key!, Scored = g.Count(), Mean = g.Average() })
            .ToDictionaryAsync(s => s.Run, StringComparer.Ordinal, cancellationToken);
        var runs = await db.Runs.AsNoTracking().OrderBy(r => r.Label).ToListAsync(cancellationToken);
        return runs.Select(r =>
        {
            var c = counts.GetValueOrDefault(r.Label);
            var s = scores.GetValueOrDefault(r.Label);
            return new RunRow(r.Label, r.Model, r.Agent, c?.Count ?? 0, c?.Resolved ?? 0, c?.Unresolved ?? 0, s?.Scored ?? 0,
                s is null ? null : Math.Round(s.Mean, 2), r.CreatedAt);
        }).ToList();
    }
}
