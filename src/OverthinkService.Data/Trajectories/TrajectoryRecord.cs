using OverthinkService.Core.Trajectories;

namespace OverthinkService.Data.Trajectories;

/// <summary>
/// A stored trajectory: the canonical document as jsonb plus the columns lists filter and sort on.
/// Identity is the SHA-256 of the bytes as received, so the same content is stored once.
/// </summary>
public sealed class TrajectoryRecord
{
    /// <summary>A version-7 UUID: ordered by creation, so new rows land at the end of the primary key index.</summary>
    public required Guid Id { get; init; }

    /// <summary>SHA-256 of the content as received (the request body, the NDJSON line, or the source file).</summary>
    public required byte[] ContentHash { get; init; }

    public required string TaskId { get; init; }

    public string? RunLabel { get; init; }

    public string? Model { get; init; }

    public string? Agent { get; init; }

    public required string SourceFormat { get; init; }

    public required int StepCount { get; init; }

    public required int ToolCallCount { get; init; }

    /// <summary>
    /// Environment interactions: steps whose actions got an observation back. The paper's files count these
    /// as <c>interactions</c>; a closing response with no observation (the finish) is a step but not one of them.
    /// </summary>
    public required int InteractionCount { get; init; }

    public required FinishKind FinishKind { get; init; }

    public string? FinishRaw { get; init; }

    /// <summary>The current outcome; its history lives in <see cref="OutcomeRecord"/>.</summary>
    public required OutcomeStatus OutcomeStatus { get; set; }

    public string? OutcomeSource { get; set; }

    public long? PromptTokens { get; init; }

    public long? CompletionTokens { get; init; }

    public long? ReasoningTokens { get; init; }

    public decimal? Cost { get; init; }

    /// <summary>Bytes of the content as received.</summary>
    public required long ContentBytes { get; init; }

    /// <summary>The run import that brought this trajectory in, if any.</summary>
    public Guid? ImportId { get; init; }

    /// <summary>Stored with microsecond precision (Postgres' own), so a cursor carries the exact stored value.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    public required Trajectory Document { get; init; }
}
