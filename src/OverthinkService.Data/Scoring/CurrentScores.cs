using Microsoft.EntityFrameworkCore;

namespace OverthinkService.Data.Scoring;

/// <summary>
/// "Current" scores, as every read means it: per trajectory, the newest row (by <c>created_at</c>, then id)
/// of one scorer name, whatever its version. Rescoring adds rows; only the newest counts.
/// </summary>
public static class CurrentScores
{
    /// <summary>The current score of <paramref name="scorerName"/> of every trajectory that has one (at most one row per trajectory).</summary>
    public static IQueryable<ScoreRecord> Of(OverthinkDbContext db, string scorerName)
    {
        ArgumentNullException.ThrowIfNull(db);
        // "No newer row exists": an anti-join Postgres runs as one pass over the scorer's rows.
        return db.Scores.AsNoTracking().Where(s => s.ScorerName == scorerName && !db.Scores.Any(n =>
            n.TrajectoryId == s.TrajectoryId && n.ScorerName == scorerName && (n.CreatedAt > s.CreatedAt || (n.CreatedAt == s.CreatedAt && n.Id > s.Id))));
    }
}
