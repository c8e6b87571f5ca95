using OverthinkService.Core.Scoring;

namespace OverthinkService.Data.Scoring;

/// <summary>
/// One score of one trajectory by one scorer version. Never updated: a rescore adds a row, so the
/// history of every (scorer, version) stays readable. Several rows for the same (trajectory, scorer,
/// version) are allowed on purpose: the same version rescoring with new evidence (a replay) may
/// conclude differently, and both conclusions are history. "Current" is the newest row.
/// </summary>
public sealed class ScoreRecord
{
    public long Id { get; init; }

    public required Guid TrajectoryId { get; init; }

    public required string ScorerName { get; init; }

    public required string ScorerVersion { get; init; }

    public required double Overall { get; init; }

    /// <summary>The pattern sub-scores; null when the scorer gives only an overall score (the LLM judge).</summary>
    public required double? AnalysisParalysis { get; init; }

    public required double? RogueActions { get; init; }

    public required double? PrematureDisengagement { get; init; }

    /// <summary>The loop signal (longest run of identical consecutive actions), kept apart from the score as the rubric asks.</summary>
    public required int LoopLongestRepeat { get; init; }

    public required int LoopRepeatedActions { get; init; }

    /// <summary>Why this score was computed: <see cref="ScoreReasons"/>.</summary>
    public required string Reason { get; init; }

    /// <summary>The whole assessment with its evidence, as jsonb.</summary>
    public required OverthinkingScore Evidence { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

public static class ScoreReasons
{
    public const string Ingest = "ingest";
    public const string Rescore = "rescore";
}
