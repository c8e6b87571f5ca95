using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OverthinkService.Api.Problems;
using OverthinkService.Core.Scoring;
using OverthinkService.Core.Selection;
using OverthinkService.Data;
using OverthinkService.Data.Selection;

namespace OverthinkService.Api.Selection;

/// <summary>
/// The lowest-overthinking pick among one task's candidates, and the paper's selection experiment (LO@k
/// against single runs, a random pick and pass@k) over every task. See <c>docs/selection.md</c>.
/// </summary>
public static class SelectionApi
{
    public static RouteGroupBuilder MapSelectionApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var group = routes.MapGroup("/api/v1").WithTags("Selection");

        group.MapGet("/tasks/{taskId}/selection", SelectAsync)
            .WithName("SelectTaskCandidate")
            .WithSummary("The task's lowest-overthinking candidate, every candidate ranked with its scores, cost and tokens, and why the winner won")
            .WithDescription("scorer= chooses the scores: a name (default deterministic; or llm-judge) takes each trajectory's newest score " +
                             "from that scorer, name@version pins a version. run= and model= (comma-separated lists) limit the candidates. " +
                             "Candidates without a score are listed with the reason and never picked. format=markdown (or Accept: text/markdown) " +
                             "answers with a Markdown table.")
            .Produces<TaskSelectionResponse>(StatusCodes.Status200OK, "application/json", "text/markdown")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/experiments/lowest-overthinking", ExperimentAsync)
            .WithName("LowestOverthinkingExperiment")
            .WithSummary("The paper's selection experiment: single runs, a random pick, LO@k and pass@k with 90 % Wilson intervals and cost")
            .WithDescription("k= (required) candidates per task; runs= the runs compared (comma-separated; default every run with candidates, " +
                             "earliest first); model=, agent=, task= filter the candidates; scorer= as for a task's selection. Tasks with more than " +
                             "k candidates average over every k-subset. detail=true adds each task's candidates and subsets. format=markdown " +
                             "(or Accept: text/markdown) answers with the Markdown table.")
            .Produces<ExperimentReport>(StatusCodes.Status200OK, "application/json", "text/markdown");

        return group;
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> SelectAsync(
        HttpRequest request,
        OverthinkDbContext db,
        [FromServices] IEnumerable<ITrajectoryScorer> scorers,
        string taskId,
        string? scorer,
        string? run,
        string? model,
        string? format,
        CancellationToken cancellationToken)
    {
        var (choice, scorerError) = await SelectionRequests.ResolveScorerAsync(scorer, scorers, db, cancellationToken);
        if (choice is null)
        {
            return ApiProblems.InvalidQuery("scorer", scorerError!);
        }

        if (!SelectionRequests.TryChooseMarkdown(format, request, out var markdown, out var formatError))
        {
            return ApiProblems.InvalidQuery("format", formatError);
        }

        var filter = new CandidateFilter
        {
            TaskIds = [taskId],
            Runs = CandidateFilter.SplitList(run),
            Models = CandidateFilter.SplitList(model),
        };
        var found = await SelectionOfAsync(db, choice, filter, cancellationToken);
        if (found is not var (selection, response))
        {
            return ApiProblems.NotFound("task", taskId);
        }

        return markdown
            ? TypedResults.Text(SelectionMarkdown.Render(selection), SelectionRequests.MarkdownContentType)
            : TypedResults.Text(System.Text.Json.JsonSerializer.Serialize(response, SelectionJson.Options), SelectionRequests.JsonContentType);
    }

    /// <summary>
    /// The selection among the candidates of the one task in <paramref name="filter"/>, and its answer; null when the
    /// task does not exist. The endpoint above and the dashboard's task page both call it.
    /// </summary>
    internal static async Task<(TaskSelection Selection, TaskSelectionResponse Response)?> SelectionOfAsync(
        OverthinkDbContext db, ScorerChoice choice, CandidateFilter filter, CancellationToken cancellationToken)
    {
        var taskId = filter.TaskIds is [var only] ? only : throw new ArgumentException("The filter must name exactly one task.", nameof(filter));
        var candidates = await SelectionCandidates.LoadAsync(db, choice, filter, cancellationToken);
        if (candidates.Count == 0 && !await db.Tasks.AnyAsync(t => t.Id == taskId, cancellationToken))
        {
            return null;
        }

        var selection = LowestOverthinkingSelector.Select(taskId, candidates);
        return (selection, TaskSelectionResponse.From(selection, choice, filter with { TaskIds = null }, Notes(candidates, choice, filter)));
    }

    public static async Task<Results<ContentHttpResult, ValidationProblem>> ExperimentAsync(
        HttpRequest request,
        OverthinkDbContext db,
        [FromServices] IEnumerable<ITrajectoryScorer> scorers,
        string? runs,
        string? k,
        string? model,
        string? agent,
        string? task,
        string? scorer,
        string? format,
        string? detail,
        CancellationToken cancellationToken)
    {
        var (experiment, choice, errors) = await ExperimentInput.ParseAsync(db, scorers, runs, k, model, agent, task, scorer, cancellationToken);
        void Add(string parameter, string message)
        {
            if (!errors.TryGetValue(parameter, out var list))
            {
                errors[parameter] = list = [];
            }

            list.Add(message);
        }

        if (!SelectionRequests.TryChooseMarkdown(format, request, out var markdown, out var formatError))
        {
            Add("format", formatError);
        }

        var withDetail = false;
        if (!string.IsNullOrWhiteSpace(detail) && !bool.TryParse(detail.Trim(), out withDetail))
        {
            Add("detail", $"detail must be true or false (got '{detail}').");
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(
                errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
                detail: string.Join(" ", errors.SelectMany(e => e.Value)),
                title: "The experiment request is invalid",
                type: ApiProblems.TypePrefix + "invalid-experiment");
        }

        var candidates = await SelectionCandidates.LoadAsync(db, choice!, experiment.Filter, cancellationToken);
        var report = LowestOverthinkingExperiment.Run(candidates, experiment);
        return markdown
            ? TypedResults.Text(SelectionMarkdown.Render(report), SelectionRequests.MarkdownContentType)
            : TypedResults.Text(SelectionJson.Serialize(report, withDetail), SelectionRequests.JsonContentType);
    }

    private static List<string> Notes(List<Candidate> candidates, ScorerChoice scorer, CandidateFilter filter)
    {
        var notes = new List<string>();
        if (candidates.Count == 0)
        {
            var applied = new List<string>();
            if (filter.Runs is { Count: > 0 } runs)
            {
                applied.Add($"run={string.Join(",", runs)}");
            }

            if (filter.Models is { Count: > 0 } models)
            {
                applied.Add($"model={string.Join(",", models)}");
            }

            notes.Add(applied.Count > 0
                ? $"No trajectory of this task matches {string.Join(" and ", applied)}; leave the filters out to see every candidate."
                : "The task has no stored trajectories.");
            return notes;
        }

        var unscored = candidates.Count(c => !c.IsScored);
        if (unscored > 0)
        {
            notes.Add($"{unscored} of {candidates.Count} candidates have no score from {scorer}: listed, never picked." +
                      (scorer.Name == ScorerChoice.LlmJudge ? " The judge scores a trajectory only when the pipeline asks it to." : ""));
        }

        var versions = candidates.Where(c => c.IsScored).Select(c => c.Scorer!.ToString()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (versions.Count > 1)
        {
            notes.Add($"Scores come from more than one scorer version ({string.Join(", ", versions)}); their scales may differ. " +
                      "Pin one with scorer=name@version, or rescore the older ones.");
        }

        return notes;
    }
}
