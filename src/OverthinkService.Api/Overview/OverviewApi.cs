using Microsoft.AspNetCore.Http.HttpResults;
using OverthinkService.Api.Problems;
using OverthinkService.Data;

namespace OverthinkService.Api.Overview;

/// <summary><c>GET /api/v1/overview</c>: the figures the dashboard's overview shows, as JSON.</summary>
public static class OverviewApi
{
    public static RouteGroupBuilder MapOverviewApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var group = routes.MapGroup("/api/v1/overview").WithTags("Overview");
        group.MapGet("/", GetAsync)
            .WithName("GetOverview")
            .WithSummary("Counts of trajectories, tasks and runs, and per model the overall scores by band and by rounded score, and pattern shares")
            .WithDescription("Each trajectory counts with the newest score of one scorer (scorer=, default deterministic); " +
                             "trajectories without a score from it count as unscored. A pattern shows when its sub-score is at least 4.");
        return group;
    }

    public static async Task<Results<Ok<OverviewResponse>, ProblemHttpResult>> GetAsync(
        OverthinkDbContext db, string? scorer, CancellationToken cancellationToken)
    {
        if (scorer is not null && string.IsNullOrWhiteSpace(scorer))
        {
            return ApiProblems.InvalidQuery("scorer", "scorer must name a scorer, e.g. deterministic; leave it out for the default.");
        }

        return TypedResults.Ok(await OverviewQuery.GetAsync(db, scorer?.Trim() ?? OverviewQuery.DefaultScorer, cancellationToken));
    }
}
