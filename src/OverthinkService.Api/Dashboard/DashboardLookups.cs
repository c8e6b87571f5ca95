using Microsoft.EntityFrameworkCore;
using OverthinkService.Data;

namespace OverthinkService.Api.Dashboard;

/// <summary>The values the filter forms offer: stored models and run labels.</summary>
public sealed record FilterChoices(IReadOnlyList<string> Models, IReadOnlyList<string> Runs);

internal static class DashboardLookups
{
    public static async Task<FilterChoices> ChoicesAsync(OverthinkDbContext db, CancellationToken cancellationToken)
    {
        var models = await db.Trajectories.AsNoTracking().Where(t => t.Model != null).Select(t => t.Model!).Distinct().OrderBy(m => m).ToListAsync(cancellationToken);
        var runs = await db.Runs.AsNoTracking().OrderBy(r => r.Label).Select(r => r.Label).ToListAsync(cancellationToken);
        return new FilterChoices(models, runs);
    }
}
