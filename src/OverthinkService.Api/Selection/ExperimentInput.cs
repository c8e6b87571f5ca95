using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using OverthinkService.Core.Scoring;
using OverthinkService.Core.Selection;
using OverthinkService.Data;
using OverthinkService.Data.Selection;

namespace OverthinkService.Api.Selection;

/// <summary>
/// The experiment's query values (k, runs, model, agent, task, scorer) checked and turned into a request: what
/// <c>GET /api/v1/experiments/lowest-overthinking</c> and the dashboard's experiment page both start from.
/// </summary>
internal static class ExperimentInput
{
    /// <summary>The request and scorer, or per parameter what is wrong (then the request is not to be run).</summary>
    public static async Task<(ExperimentRequest Request, ScorerChoice? Scorer, Dictionary<string, List<string>> Errors)> ParseAsync(
        OverthinkDbContext db,
        [FromServices] IEnumerable<ITrajectoryScorer> scorers,
        string? runs,
        string? k,
        string? model,
        string? agent,
        string? task,
        string? scorer,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string parameter, string message)
        {
            if (!errors.TryGetValue(parameter, out var list))
            {
                errors[parameter] = list = [];
            }

            list.Add(message);
        }

        int? parsedK = null;
        if (string.IsNullOrWhiteSpace(k))
        {
            Add("k", "k is required: how many candidates per task the selector chooses among (e.g. k=2).");
        }
        else if (int.TryParse(k.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            parsedK = value;
        }
        else
        {
            Add("k", $"k must be a whole number (got '{k}').");
        }

        var filter = new CandidateFilter
        {
            Runs = CandidateFilter.SplitList(runs),
            Models = CandidateFilter.SplitList(model),
            Agents = CandidateFilter.SplitList(agent),
            TaskIds = CandidateFilter.SplitList(task),
        };
        var experiment = new ExperimentRequest { K = parsedK ?? 1, Filter = filter };
        foreach (var (parameter, messages) in experiment.Validate())
        {
            foreach (var message in messages)
            {
                Add(parameter, message);
            }
        }

        if (filter.Runs is { Count: > 0 } named)
        {
            var unknown = await SelectionLookups.UnknownRunsAsync(db, named, cancellationToken);
            if (unknown.Count > 0)
            {
                var some = await SelectionLookups.SomeRunsAsync(db, 20, cancellationToken);
                Add("runs", $"Unknown run label{(unknown.Count == 1 ? "" : "s")}: {string.Join(", ", unknown)}. " +
                            (some.Count == 0 ? "No runs are stored yet." : $"Stored runs include: {string.Join(", ", some)} (GET /api/v1/runs lists them all)."));
            }
        }

        var (choice, scorerError) = await SelectionRequests.ResolveScorerAsync(scorer, scorers, db, cancellationToken);
        if (choice is null)
        {
            Add("scorer", scorerError!);
        }

        return (experiment, choice, errors);
    }
}
