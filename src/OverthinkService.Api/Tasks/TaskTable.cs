using Microsoft.EntityFrameworkCore;
using OverthinkService.Api.Trajectories;
using OverthinkService.Core.Trajectories;
using OverthinkService.Data;
using OverthinkService.Data.Scoring;

namespace OverthinkService.Api.Tasks;

/// <summary>A task as the dashboard's table shows it: its candidates (among the filtered trajectories) and their scores.</summary>
public sealed record TaskRow(string TaskId, int Trajectories, int Resolved, int Unresolved, int Models, int Scored, double? LowestOverall, double? MeanOverall);

public enum TaskSortKey
{
    Task,
    Trajectories,
    Resolved,
    Lowest,
    Mean,
}

/// <summary>
/// Tasks over the trajectories <see cref="TrajectoryQueries.Filtered"/> keeps (the API list's filter), grouped and
/// sorted in the database; numbered pages, ties broken by task id.
/// </summary>
internal static class TaskTable
{
    public const int PageSize = 50;

    public static readonly IReadOnlyDictionary<string, TaskSortKey> Keys = new Dictionary<string, TaskSortKey>(StringComparer.OrdinalIgnoreCase)
    {
        ["task"] = TaskSortKey.Task,
        ["trajectories"] = TaskSortKey.Trajectories,
        ["resolved"] = TaskSortKey.Resolved,
        ["lowest"] = TaskSortKey.Lowest,
        ["mean"] = TaskSortKey.Mean,
    };

    public static async Task<TablePage<TaskRow>> PageAsync(
        OverthinkDbContext db, TrajectoryFilter filter, TaskSortKey key, bool descending, int page, CancellationToken cancellationToken)
    {
        var filtered = TrajectoryQueries.Filtered(db, filter);
        var total = await filtered.Select(t => t.TaskId).Distinct().CountAsync(cancellationToken);
        var current = CurrentScores.Of(db, filter.Scorer);
        var grouped =
            from t in filtered
            join s in current on t.Id equals s.TrajectoryId into scores
            from s in scores.DefaultIfEmpty()
            group new { t, Overall = s == null ? (double?)null : s.Overall } by t.TaskId into g
            select new
            {
                TaskId = g.Key,
                Trajectories = g.Count(),
                Resolved = g.Count(x => x.t.OutcomeStatus == OutcomeStatus.Resolved),
                Unresolved = g.Count(x => x.t.OutcomeStatus == OutcomeStatus.Unresolved || x.t.OutcomeStatus == OutcomeStatus.EmptyPatch),
                Models = g.Select(x => x.t.Model).Distinct().Count(),
                Scored = g.Count(x => x.Overall != null),
                LowestOverall = g.Min(x => x.Overall),
                MeanOverall = g.Average(x => x.Overall),
            };

        var ordered = key switch
        {
            TaskSortKey.Trajectories => descending ? grouped.OrderByDescending(r => r.Trajectories) : grouped.OrderBy(r => r.Trajectories),
            TaskSortKey.Resolved => descending ? grouped.OrderByDescending(r => r.Resolved) : grouped.OrderBy(r => r.Resolved),
            TaskSortKey.Lowest => TableOrder.NullsLast(grouped, r => r.LowestOverall, descending),
            TaskSortKey.Mean => TableOrder.NullsLast(grouped, r => r.MeanOverall, descending),
            _ => grouped.OrderBy(r => 0),
        };
        ordered = key == TaskSortKey.Task && descending ? ordered.ThenByDescending(r => r.TaskId) : ordered.ThenBy(r => r.TaskId);
        var rows = await ordered.Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        return new TablePage<TaskRow>(
            rows.Select(r => new TaskRow(r.TaskId, r.Trajectories, r.Resolved, r.Unresolved, r.Models, r.Scored, r.LowestOverall,
                r.MeanOverall is { } mean ? Math.Round(mean, 2) : null)).ToList(),
            total, page, PageSize);
    }
}
