using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OverthinkService.Api.Problems;
using OverthinkService.Core.Replay;
using OverthinkService.Data;

namespace OverthinkService.Api.Replays;

/// <summary>One replay of a trajectory: who ran it, when, and the whole report (actions, patch, tests, verdict).</summary>
public sealed record ReplayResponse(long Id, string Status, bool? Resolved, string? Image, string Instance, DateTimeOffset CreatedAt, ReplayReport Report);

/// <summary>The replay reports of a trajectory, newest first (the first is the current one).</summary>
public static class ReplaysApi
{
    public static RouteGroupBuilder MapReplaysApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var group = routes.MapGroup("/api/v1/trajectories/{id:guid}/replays").WithTags("Trajectories");
        group.MapGet("/", ListAsync).WithName("ListTrajectoryReplays")
            .WithSummary("Every replay report of the trajectory, newest first: per-action output and divergence, patch, tests, SWE-bench verdict");
        return group;
    }

    public static async Task<Results<Ok<List<ReplayResponse>>, ProblemHttpResult>> ListAsync(Guid id, OverthinkDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Trajectories.AnyAsync(t => t.Id == id, cancellationToken))
        {
            return ApiProblems.NotFound("trajectory", id.ToString());
        }

        return TypedResults.Ok(await ListOfAsync(db, id, cancellationToken));
    }

    /// <summary>The trajectory's replays, newest first (empty for an unknown id).</summary>
    public static Task<List<ReplayResponse>> ListOfAsync(OverthinkDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.Replays.AsNoTracking().Where(r => r.TrajectoryId == id)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Select(r => new ReplayResponse(r.Id, r.Status, r.Resolved, r.Image, r.Instance, r.CreatedAt, r.Report))
            .ToListAsync(cancellationToken);
}
