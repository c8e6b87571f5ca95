using System.Text.Json.Serialization;
using OverthinkService.Core.Scoring;
using OverthinkService.Core.Trajectories;
using OverthinkService.Data.Pipeline;

namespace OverthinkService.Api.Trajectories;

/// <summary>A stored trajectory as lists show it: what it is, how it ended, and its latest scores (without evidence).</summary>
public record TrajectorySummary
{
    public required Guid Id { get; init; }

    /// <summary>SHA-256 (hex) of the content as received; the same content is stored once.</summary>
    public required string ContentHash { get; init; }

    public required string TaskId { get; init; }

    public string? Run { get; init; }

    public string? Model { get; init; }

    public string? Agent { get; init; }

    public required string SourceFormat { get; init; }

    public required int StepCount { get; init; }

    public required int ToolCallCount { get; init; }

    /// <summary>Steps whose actions got an observation back (the paper's <c>interactions</c>); the finish step is not one.</summary>
    public required int InteractionCount { get; init; }

    public required FinishResponse Finish { get; init; }

    public required OutcomeResponse Outcome { get; init; }

    public required Usage Totals { get; init; }

    public required long ContentBytes { get; init; }

    public Guid? ImportId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The newest score of each scorer version (evidence only in the single-trajectory views).</summary>
    public IReadOnlyList<ScoreResponse> Scores { get; init; } = [];
}

/// <summary>One trajectory in full: the summary with score evidence, outcome history, pipeline state and the canonical document.</summary>
public sealed record TrajectoryDetail : TrajectorySummary
{
    /// <summary>Every outcome recorded for it, oldest first; the last one is <see cref="TrajectorySummary.Outcome"/>.</summary>
    [JsonPropertyOrder(1)]
    public IReadOnlyList<OutcomeResponse> OutcomeHistory { get; init; } = [];

    /// <summary>Follow-up stages (replay, judgment, ...) and their state.</summary>
    [JsonPropertyOrder(2)]
    public IReadOnlyList<StageResponse> Stages { get; init; } = [];

    /// <summary>The canonical trajectory (absent in ingest responses, which echo what was sent).</summary>
    [JsonPropertyOrder(3)]
    public Trajectory? Document { get; init; }
}

public sealed record FinishResponse(FinishKind Kind, string? Raw);

public sealed record OutcomeResponse(OutcomeStatus Status, string? Source, DateTimeOffset? RecordedAt = null);

/// <summary>
/// A follow-up stage: its state, attempts and why it failed or was skipped; who runs or ran it and when it was
/// queued, started, finished, and when the next attempt is due after a transient failure.
/// </summary>
public sealed record StageResponse(
    string Stage,
    StageState State,
    int Attempts,
    string? Reason,
    DateTimeOffset UpdatedAt,
    string? Owner = null,
    DateTimeOffset? QueuedAt = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    DateTimeOffset? NextAttemptAt = null);

/// <summary>One stored score. <see cref="Evidence"/> (the whole assessment) is present where a single trajectory is shown.</summary>
public sealed record ScoreResponse
{
    public required long Id { get; init; }

    public required string Scorer { get; init; }

    public required string Version { get; init; }

    public required double Overall { get; init; }

    public required ScoreBand Band { get; init; }

    /// <summary>Null when the scorer gives only an overall score (the LLM judge).</summary>
    public required double? AnalysisParalysis { get; init; }

    public required double? RogueActions { get; init; }

    public required double? PrematureDisengagement { get; init; }

    public required LoopResponse Loops { get; init; }

    /// <summary>Why it was computed: <c>ingest</c>, <c>rescore</c>, ...</summary>
    public required string Reason { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public OverthinkingScore? Evidence { get; init; }
}

public sealed record LoopResponse(int LongestRepeat, int RepeatedActions);

/// <summary>A page of a list: the items and the cursor of the next page (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);

/// <summary>One line's result in a batch: <c>status</c> 201 (stored), 200 (already stored) or a 4xx with <c>error</c>.</summary>
public sealed record BatchLineResult(long Line, int Status, Guid? Id = null, string? Error = null);
