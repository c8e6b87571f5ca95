using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using OverthinkService.Data;
using OverthinkService.Data.Scoring;
using OverthinkService.Data.Trajectories;

namespace OverthinkService.Api.Trajectories;

/// <summary>What a trajectory table can be ordered by.</summary>
public enum TrajectorySortKey
{
    Created,
    Overall,
    AnalysisParalysis,
    RogueActions,
    PrematureDisengagement,
    Steps,
    Cost,
}

public sealed record TrajectorySort(TrajectorySortKey Key, bool Descending)
{
    public static readonly TrajectorySort Default = new(TrajectorySortKey.Created, Descending: true);

    public static readonly IReadOnlyDictionary<string, TrajectorySortKey> Keys = new Dictionary<string, TrajectorySortKey>(StringComparer.OrdinalIgnoreCase)
    {
        ["created"] = TrajectorySortKey.Created,
        ["overall"] = TrajectorySortKey.Overall,
        ["ap"] = TrajectorySortKey.AnalysisParalysis,
        ["ra"] = TrajectorySortKey.RogueActions,
        ["pd"] = TrajectorySortKey.PrematureDisengagement,
        ["steps"] = TrajectorySortKey.Steps,
        ["cost"] = TrajectorySortKey.Cost,
    };

    public static string Name(TrajectorySortKey key) => Keys.First(k => k.Value == key).Key;

    /// <summary><c>sort</c> (a key of <see cref="Keys"/>) and <c>dir</c> (asc or desc; default desc) as a sort, or what is wrong with them.</summary>
    public static (TrajectorySort? Sort, string? Parameter, string? Error) Parse(string? sort, string? dir)
    {
        var key = TrajectorySortKey.Created;
        if (!string.IsNullOrWhiteSpace(sort) && !Keys.TryGetValue(sort.Trim(), out key))
        {
            return (null, "sort", $"sort must be one of {string.Join(", ", Keys.Keys)} (got '{sort}').");
        }

        var descending = true;
        if (!string.IsNullOrWhiteSpace(dir))
        {
            switch (dir.Trim().ToLowerInvariant())
            {
                case "asc": descending = false; break;
                case "desc": descending = true; break;
                default: return (null, "dir", $"dir must be asc or desc (got '{dir}').");
            }
        }

        return (new TrajectorySort(key, descending), null, null);
    }
}

/// <summary>The orderings the dashboard's tables share, translated to SQL.</summary>
internal static class TableOrder
{
    /// <summary>Rows without a <paramref name="key"/> last whatever the direction, the others by it.</summary>
    public static IOrderedQueryable<T> NullsLast<T, TKey>(IQueryable<T> rows, Expression<Func<T, TKey>> key, bool descending)
    {
        var isNull = Expression.Lambda<Func<T, bool>>(Expression.Equal(key.Body, Expression.Constant(null, key.Body.Type)), key.Parameters);
        return Then(rows.OrderBy(isNull), key, descending);
    }

    public static IOrderedQueryable<T> Then<T, TKey>(IOrderedQueryable<T> rows, Expression<Func<T, TKey>> key, bool descending) =>
        descending ? rows.ThenByDescending(key) : rows.ThenBy(key);
}

/// <summary>One page of a sorted table, with the total the filter matches.</summary>
public sealed record TablePage<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>
/// The dashboard's trajectory table: <see cref="TrajectoryQueries.Filtered"/> (the API list's filter) ordered by any
/// column, numbered pages. Unscored trajectories sort last whatever the direction; every order ends in
/// (created_at, id), a total order, so a page holds the same rows however often it is asked for.
/// </summary>
internal static class TrajectoryTable
{
    public const int PageSize = 50;

    public static async Task<TablePage<TrajectorySummary>> PageAsync(
        OverthinkDbContext db, TrajectoryFilter filter, TrajectorySort sort, int page, CancellationToken cancellationToken)
    {
        var filtered = TrajectoryQueries.Filtered(db, filter);
        var total = await filtered.CountAsync(cancellationToken);

        var current = CurrentScores.Of(db, filter.Scorer);
        var rows =
            from t in filtered
            join s in current on t.Id equals s.TrajectoryId into scores
            from s in scores.DefaultIfEmpty()
            select new Row
            {
                Trajectory = t,
                Overall = s == null ? null : s.Overall,
                AnalysisParalysis = s == null ? null : s.AnalysisParalysis,
                RogueActions = s == null ? null : s.RogueActions,
                PrematureDisengagement = s == null ? null : s.PrematureDisengagement,
            };

        var ordered = sort.Key switch
        {
            TrajectorySortKey.Overall => TableOrder.NullsLast(rows, r => r.Overall, sort.Descending),
            TrajectorySortKey.AnalysisParalysis => TableOrder.NullsLast(rows, r => r.AnalysisParalysis, sort.Descending),
            TrajectorySortKey.RogueActions => TableOrder.NullsLast(rows, r => r.RogueActions, sort.Descending),
            TrajectorySortKey.PrematureDisengagement => TableOrder.NullsLast(rows, r => r.PrematureDisengagement, sort.Descending),
            TrajectorySortKey.Steps => TableOrder.Then(rows.OrderBy(r => 0), r => r.Trajectory.StepCount, sort.Descending),
            TrajectorySortKey.Cost => TableOrder.NullsLast(rows, r => r.Trajectory.Cost, sort.Descending),
            _ => rows.OrderBy(r => 0),
        };
        // The tie-break (and the whole order for "created") follows the direction asked for.
        ordered = sort.Descending
            ? ordered.ThenByDescending(r => r.Trajectory.CreatedAt).ThenByDescending(r => r.Trajectory.Id)
            : ordered.ThenBy(r => r.Trajectory.CreatedAt).ThenBy(r => r.Trajectory.Id);

        var summaries = await ordered.Skip((page - 1) * PageSize).Take(PageSize)
            .Select(r => r.Trajectory).Select(TrajectoryQueries.Summary)
            .ToListAsync(cancellationToken);
        return new TablePage<TrajectorySummary>(await TrajectoryQueries.WithScoresAsync(db, summaries, cancellationToken), total, page, PageSize);
    }

    private sealed class Row
    {
        public required TrajectoryRecord Trajectory { get; init; }

        public double? Overall { get; init; }

        public double? AnalysisParalysis { get; init; }

        public double? RogueActions { get; init; }

        public double? PrematureDisengagement { get; init; }
    }
}
