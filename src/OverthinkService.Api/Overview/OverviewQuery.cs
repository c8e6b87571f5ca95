using Microsoft.EntityFrameworkCore;
using OverthinkService.Api.Trajectories;
using OverthinkService.Core.Scoring;
using OverthinkService.Core.Trajectories;
using OverthinkService.Data;
using OverthinkService.Data.Scoring;

namespace OverthinkService.Api.Overview;

/// <summary>
/// How much is stored, and per model how the current overall scores fall into the paper's bands and onto the
/// 0–10 scale, how often each pattern shows, and the resolve rate. Computed in the database (grouped), so the
/// answer stays small however many trajectories there are. The API's overview and the dashboard's both call it.
/// </summary>
public static class OverviewQuery
{
    public const string DefaultScorer = DeterministicScorer.Name;

    // ScoreBands.Of rounds half away from zero, then 0–3 is fine, 4–7 occasional, 8–10 detached; for the
    // 0–10 scale that is: fine below 3.5, detached from 7.5, occasional in between.
    private const double OccasionalFrom = 3.5;
    private const double DetachedFrom = 7.5;

    public static async Task<OverviewResponse> GetAsync(OverthinkDbContext db, string scorer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var perModel = await db.Trajectories.AsNoTracking()
            .GroupBy(t => t.Model)
            .Select(g => new
            {
                Model = g.Key,
                Count = g.Count(),
                Resolved = g.Count(t => t.OutcomeStatus == OutcomeStatus.Resolved),
                Unresolved = g.Count(t => t.OutcomeStatus == OutcomeStatus.Unresolved || t.OutcomeStatus == OutcomeStatus.EmptyPatch),
            })
            .ToListAsync(cancellationToken);

        var current = CurrentScores.Of(db, scorer);
        var scored = await (
                from s in current
                join t in db.Trajectories on s.TrajectoryId equals t.Id
                group s by t.Model into g
                select new
                {
                    Model = g.Key,
                    Scored = g.Count(),
                    Fine = g.Count(s => s.Overall < OccasionalFrom),
                    Occasional = g.Count(s => s.Overall >= OccasionalFrom && s.Overall < DetachedFrom),
                    Detached = g.Count(s => s.Overall >= DetachedFrom),
                    Mean = g.Average(s => s.Overall),
                    Measured = g.Count(s => s.AnalysisParalysis != null),
                    Ap = g.Count(s => s.AnalysisParalysis >= PatternThreshold.Value),
                    Ra = g.Count(s => s.RogueActions >= PatternThreshold.Value),
                    Pd = g.Count(s => s.PrematureDisengagement >= PatternThreshold.Value),
                    MeanAp = g.Average(s => s.AnalysisParalysis),
                    MeanRa = g.Average(s => s.RogueActions),
                    MeanPd = g.Average(s => s.PrematureDisengagement),
                })
            .ToListAsync(cancellationToken);

        // Rounded half away from zero like ScoreBands.Of (scores are never negative, so floor(x + 0.5));
        // Postgres' round() on double precision rounds half to even.
        var bins = await (
                from s in current
                join t in db.Trajectories on s.TrajectoryId equals t.Id
                group s by new { t.Model, Bin = Math.Floor(s.Overall + 0.5) } into g
                select new { g.Key.Model, g.Key.Bin, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var models = perModel
            .Select(m =>
            {
                var s = scored.FirstOrDefault(x => x.Model == m.Model);
                var histogram = new int[11];
                foreach (var bin in bins.Where(b => b.Model == m.Model))
                {
                    histogram[(int)Math.Clamp(bin.Bin, 0, 10)] += bin.Count;
                }

                return new ModelOverview
                {
                    Model = m.Model,
                    Trajectories = m.Count,
                    Scored = s?.Scored ?? 0,
                    Bands = new BandCounts(s?.Fine ?? 0, s?.Occasional ?? 0, s?.Detached ?? 0),
                    MeanOverall = s is null ? null : Math.Round(s.Mean, 2),
                    Resolved = m.Resolved,
                    Unresolved = m.Unresolved,
                    Histogram = histogram,
                    // A holistic scorer (the LLM judge) measures no pattern: nothing to count, not zero.
                    Patterns = s is null || s.Measured == 0
                        ? PatternCounts.None
                        : new PatternCounts(s.Ap, s.Ra, s.Pd, Round(s.MeanAp), Round(s.MeanRa), Round(s.MeanPd)),
                };
            })
            .OrderByDescending(m => m.Trajectories).ThenBy(m => m.Model ?? "\uffff", StringComparer.Ordinal)
            .ToList();

        static double? Round(double? mean) => mean is { } m ? Math.Round(m, 2) : null;

        return new OverviewResponse
        {
            Trajectories = models.Sum(m => m.Trajectories),
            Tasks = await db.Tasks.CountAsync(cancellationToken),
            Runs = await db.Runs.CountAsync(cancellationToken),
            Scorer = scorer,
            Scored = models.Sum(m => m.Scored),
            Models = models,
        };
    }
}

public sealed record OverviewResponse
{
    public required int Trajectories { get; init; }

    public required int Tasks { get; init; }

    public required int Runs { get; init; }

    /// <summary>The scorer whose newest score per trajectory the bands count.</summary>
    public required string Scorer { get; init; }

    /// <summary>Trajectories with a score from <see cref="Scorer"/>.</summary>
    public required int Scored { get; init; }

    /// <summary>A pattern "shows" in a trajectory when its sub-score is at least this (see <see cref="PatternCounts"/>).</summary>
    public double PatternThreshold { get; init; } = Api.Trajectories.PatternThreshold.Value;

    /// <summary>Per model (null: trajectories that name none), most trajectories first.</summary>
    public required IReadOnlyList<ModelOverview> Models { get; init; }
}

public sealed record ModelOverview
{
    public string? Model { get; init; }

    public required int Trajectories { get; init; }

    public required int Scored { get; init; }

    /// <summary>Scored trajectories per band of the paper's scale (<see cref="ScoreBand"/>).</summary>
    public required BandCounts Bands { get; init; }

    /// <summary>Mean overall score of the scored trajectories; null when none is scored.</summary>
    public double? MeanOverall { get; init; }

    public required int Resolved { get; init; }

    /// <summary>Unresolved, empty patches included.</summary>
    public required int Unresolved { get; init; }

    /// <summary>Scored trajectories per overall score rounded to a whole number: index 0 to 10.</summary>
    public IReadOnlyList<int> Histogram { get; init; } = new int[11];

    public PatternCounts Patterns { get; init; } = PatternCounts.None;
}

public sealed record BandCounts(int Fine, int Occasional, int Detached);

/// <summary>
/// Scored trajectories in which each pattern shows (its sub-score is at least <see cref="Api.Trajectories.PatternThreshold.Value"/>),
/// and the mean sub-scores; the share is the count over <see cref="ModelOverview.Scored"/>.
/// </summary>
public sealed record PatternCounts(
    int AnalysisParalysis, int RogueActions, int PrematureDisengagement,
    double? MeanAnalysisParalysis, double? MeanRogueActions, double? MeanPrematureDisengagement)
{
    public static readonly PatternCounts None = new(0, 0, 0, null, null, null);
}
