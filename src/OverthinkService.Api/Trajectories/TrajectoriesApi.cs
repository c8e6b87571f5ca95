using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OverthinkService.Api.Hosting;
using OverthinkService.Api.Problems;
using OverthinkService.Core.Trajectories;
using OverthinkService.Core.Trajectories.Formats;
using OverthinkService.Data;
using OverthinkService.Data.Scoring;
using OverthinkService.Data.Trajectories.Ingest;
using OverthinkService.Pipeline.Stages;

namespace OverthinkService.Api.Trajectories;

/// <summary>Ingest one trajectory or a batch, read them back, list them, and their scores.</summary>
public static class TrajectoriesApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static RouteGroupBuilder MapTrajectoriesApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var group = routes.MapGroup("/api/v1/trajectories").WithTags("Trajectories");

        group.MapPost("/", IngestAsync)
            .WithName("IngestTrajectory")
            .WithSummary("Store one trajectory in any supported format")
            .WithDescription("The body is one JSON document. The format is detected unless format= names it; taskId, model, agent, run " +
                             "and resolved fill in what the content lacks. The same content again answers 200 with the id stored the first time.")
            .DescribeRawBody("One trajectory document in any supported format.", "application/json");

        group.MapPost("/batch", IngestBatch)
            .WithName("IngestTrajectoryBatch")
            .WithSummary("Store many trajectories from NDJSON, one result line per input line")
            .WithDescription("The body is streamed line by line; each line is one trajectory stored in its own transaction, and the answer " +
                             "streams back one NDJSON line per input line: {line, status, id | error}. Blank lines are skipped.")
            .DescribeRawBody("One trajectory document per line.", "application/x-ndjson")
            .Produces<BatchLineResult>(StatusCodes.Status200OK, "application/x-ndjson");

        group.MapGet("/", ListAsync)
            .WithName("ListTrajectories")
            .WithSummary("List trajectories, newest first, with keyset pagination")
            .WithDescription("Filters: taskId, model, run, agent, importId; outcome (resolved, unresolved, emptyPatch, unknown); minScore and " +
                             "maxScore (0–10, the current deterministic overall score, bounds included); pattern (ap, ra or pd: that sub-score ≥ 4). " +
                             "Score filters leave out trajectories without a score.");

        group.MapGet("/{id:guid}", GetAsync)
            .WithName("GetTrajectory")
            .WithSummary("One trajectory: summary, scores with evidence, outcome history, pipeline state and the canonical document")
            .WithDescription("?as=atif answers with the trajectory exported as ATIF (Harbor / Terminal-Bench) instead, streamed.");

        group.MapGet("/{id:guid}/scores", ScoresAsync)
            .WithName("GetTrajectoryScores")
            .WithSummary("Every score of a trajectory, all scorers and versions, oldest first");

        group.MapPost("/{id:guid}/rescore", RescoreAsync)
            .WithName("RescoreTrajectory")
            .WithSummary("Score the trajectory again with the current scorers; earlier scores are kept. With a judge configured, also queues a judgment.");

        return group;
    }

    public static async Task<Results<Created<TrajectoryDetail>, Ok<TrajectoryDetail>, ProblemHttpResult>> IngestAsync(
        HttpContext context,
        TrajectoryIngestor ingestor,
        OverthinkDbContext db,
        IOptions<IngestOptions> options,
        string? format,
        string? taskId,
        string? model,
        string? agent,
        string? run,
        bool? resolved,
        CancellationToken cancellationToken)
    {
        var request = IngestRequests.From(format, taskId, model, agent, run, resolved);
        if (request.Format is { } named && TrajectoryFormats.Find(named) is null)
        {
            return ApiProblems.UnknownFormat(named);
        }

        var limit = options.Value.MaxBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return ApiProblems.TooLarge(limit, "trajectory");
        }

        RequestBody.LiftServerLimit(context);
        var result = await ingestor.IngestAsync(context.Request.Body, request, cancellationToken);
        if (result is not IngestStored stored)
        {
            return ApiProblems.For(result);
        }

        var detail = await TrajectoryQueries.GetAsync(db, stored.Id, withDocument: false, cancellationToken)
            ?? throw new InvalidOperationException($"trajectory {stored.Id} vanished right after it was stored");
        return stored.Created
            ? TypedResults.Created($"/api/v1/trajectories/{stored.Id}", detail)
            : TypedResults.Ok(detail);
    }

    public static Results<PushStreamHttpResult, ProblemHttpResult> IngestBatch(
        HttpContext context,
        TrajectoryIngestor ingestor,
        ILoggerFactory loggers,
        IOptions<IngestOptions> options,
        string? format,
        string? taskId,
        string? model,
        string? agent,
        string? run,
        bool? resolved)
    {
        var request = IngestRequests.From(format, taskId, model, agent, run, resolved);
        if (request.Format is { } named && TrajectoryFormats.Find(named) is null)
        {
            return ApiProblems.UnknownFormat(named);
        }

        // The batch as a whole has no size limit (it is streamed); each line is bounded by MaxBodyBytes.
        RequestBody.LiftServerLimit(context);
        var batch = new NdjsonBatch(ingestor, options.Value.MaxBodyBytes, loggers.CreateLogger<NdjsonBatch>());
        return TypedResults.Stream(
            output => batch.RunAsync(context.Request.BodyReader, output, request, context.RequestAborted),
            contentType: "application/x-ndjson");
    }

    public static async Task<Results<Ok<Page<TrajectorySummary>>, ProblemHttpResult>> ListAsync(
        OverthinkDbContext db,
        string? taskId,
        string? model,
        string? run,
        string? agent,
        Guid? importId,
        string? outcome,
        string? minScore,
        string? maxScore,
        string? pattern,
        int? limit,
        string? cursor,
        CancellationToken cancellationToken)
    {
        if (Paging.Validate(limit, cursor, out var after) is { } problem)
        {
            return problem;
        }

        var input = new TrajectoryFilterInput
        {
            TaskId = taskId, Model = model, Run = run, Agent = agent, ImportId = importId,
            Outcome = outcome, MinScore = minScore, MaxScore = maxScore, Pattern = pattern,
        };
        var (filter, parameter, error) = input.Parse();
        if (filter is null)
        {
            return ApiProblems.InvalidQuery(parameter!, error!);
        }

        return TypedResults.Ok(await TrajectoryQueries.ListAsync(db, filter, after, limit ?? DefaultLimit, cancellationToken));
    }

    public static async Task<Results<Ok<TrajectoryDetail>, PushStreamHttpResult, ProblemHttpResult>> GetAsync(
        OverthinkDbContext db, Guid id, string? @as, CancellationToken cancellationToken)
    {
        if (string.Equals(@as, "atif", StringComparison.OrdinalIgnoreCase))
        {
            var document = await TrajectoryQueries.DocumentAsync(db, id, cancellationToken);
            return document is null
                ? ApiProblems.NotFound("trajectory", id.ToString())
                : TypedResults.Stream(stream => AtifExport.WriteAsync(document, stream, cancellationToken: cancellationToken), AtifExport.ContentType);
        }

        if (@as is not null && !string.Equals(@as, "canonical", StringComparison.OrdinalIgnoreCase))
        {
            return ApiProblems.InvalidQuery("as", $"Unsupported export '{@as}'; supported: canonical (the default), atif.");
        }

        var detail = await TrajectoryQueries.GetAsync(db, id, withDocument: true, cancellationToken);
        return detail is null ? ApiProblems.NotFound("trajectory", id.ToString()) : TypedResults.Ok(detail);
    }

    public static async Task<Results<Ok<List<ScoreResponse>>, ProblemHttpResult>> ScoresAsync(
        OverthinkDbContext db, Guid id, CancellationToken cancellationToken)
    {
        if (!await TrajectoryExistsAsync(db, id, cancellationToken))
        {
            return ApiProblems.NotFound("trajectory", id.ToString());
        }

        return TypedResults.Ok(await TrajectoryQueries.ScoreHistoryAsync(db, id, cancellationToken));
    }

    public static async Task<Results<Ok<List<ScoreResponse>>, ProblemHttpResult>> RescoreAsync(
        TrajectoryRescorer rescorer, OverthinkDbContext db, StagePlanner planner, JudgeAvailability judge, Guid id, string? scorer, CancellationToken cancellationToken)
    {
        if (rescorer.Scorers.Count == 0)
        {
            return ApiProblems.NoScorer();
        }

        if (scorer is not null && !rescorer.Scorers.Any(s => string.Equals(s.Name, scorer, StringComparison.OrdinalIgnoreCase)))
        {
            return ApiProblems.InvalidQuery("scorer", $"No scorer '{scorer}'; registered: {string.Join(", ", rescorer.Scorers.Select(s => s.Name))}.");
        }

        var rows = await RescoreNowAsync(rescorer, db, planner, judge, id, scorer, cancellationToken);
        return rows is null
            ? ApiProblems.NotFound("trajectory", id.ToString())
            : TypedResults.Ok(rows.Select(r => TrajectoryQueries.ToResponse(r, withEvidence: true)).ToList());
    }

    /// <summary>Rescores with the current scorers (one, when named) and, with a judge configured, queues a judgment; null for an unknown trajectory.</summary>
    internal static async Task<IReadOnlyList<ScoreRecord>?> RescoreNowAsync(
        TrajectoryRescorer rescorer, OverthinkDbContext db, StagePlanner planner, JudgeAvailability judge, Guid id, string? scorer, CancellationToken cancellationToken)
    {
        var rows = await rescorer.RescoreAsync(id, scorer, replay: null, ScoreReasons.Rescore, cancellationToken);
        // With a judge configured, a rescore also asks for a fresh judgment (a worker runs it; see the trajectory's stages).
        if (rows is not null && judge.IsConfigured)
        {
            await planner.RequeueAsync(db, [id], PipelineStages.Judge, cancellationToken);
        }

        return rows;
    }

    private static Task<bool> TrajectoryExistsAsync(OverthinkDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.Trajectories.AnyAsync(t => t.Id == id, cancellationToken);
}

/// <summary>Query parameters shared by the ingest endpoints, turned into an <see cref="IngestRequest"/>.</summary>
internal static class IngestRequests
{
    public static IngestRequest From(string? format, string? taskId, string? model, string? agent, string? run, bool? resolved) => new()
    {
        Format = string.IsNullOrWhiteSpace(format) ? null : format.Trim(),
        Hints = new TrajectoryHints
        {
            TaskId = NullIfBlank(taskId),
            Model = NullIfBlank(model),
            Agent = NullIfBlank(agent),
            Run = NullIfBlank(run),
            Resolved = resolved,
        },
    };

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

internal static class RequestBody
{
    /// <summary>
    /// Hands the body-size limit from the server to the ingest code, which enforces the configured limit
    /// while streaming and answers 413 with a problem instead of a dropped connection.
    /// </summary>
    public static void LiftServerLimit(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = null;
        }
    }
}

internal static class Paging
{
    public static ProblemHttpResult? Validate(int? limit, string? cursor, out KeysetCursor? after)
    {
        after = null;
        if (limit is < 1 or > TrajectoriesApi.MaxLimit)
        {
            return ApiProblems.InvalidQuery("limit", $"limit must be between 1 and {TrajectoriesApi.MaxLimit} (default {TrajectoriesApi.DefaultLimit}).");
        }

        if (cursor is null)
        {
            return null;
        }

        if (!KeysetCursor.TryDecode(cursor, out var decoded))
        {
            return ApiProblems.InvalidQuery("cursor", "The cursor is not one this API handed out; use the nextCursor of the previous page, or leave it out to start.");
        }

        after = decoded;
        return null;
    }
}
