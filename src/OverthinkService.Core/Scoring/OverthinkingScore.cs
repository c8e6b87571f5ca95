using System.Text.Json.Serialization;

namespace OverthinkService.Core.Scoring;

/// <summary>A scorer's name and version. Scores are stored per (name, version); rescoring never overwrites history.</summary>
public sealed record ScorerId(string Name, string Version)
{
    public override string ToString() => $"{Name}@{Version}";
}

/// <summary>
/// An overthinking assessment on the paper's 0–10 scale: the overall score, one sub-score per pattern,
/// and the evidence each rests on.
/// </summary>
public sealed record OverthinkingScore
{
    public required ScorerId Scorer { get; init; }

    /// <summary>0–10; 0–3 fine, 4–7 occasional over-reliance on internal reasoning, 8–10 detached from the environment.</summary>
    public required double Overall { get; init; }

    public required PatternScore AnalysisParalysis { get; init; }

    public required PatternScore RogueActions { get; init; }

    public required PatternScore PrematureDisengagement { get; init; }

    /// <summary>
    /// False for a holistic scorer (the LLM judge) that gives only the overall score: its three pattern scores are
    /// placeholders, and the stored sub-scores are left empty rather than recorded as 0.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool HolisticOnly { get; init; }

    /// <summary>Repetition of the same action: reported on its own, never folded into <see cref="Overall"/>.</summary>
    public LoopSignal Loops { get; init; } = LoopSignal.None;

    /// <summary>
    /// What the sandbox replay showed, when a usable replay report was given (null without one, or when it was
    /// skipped): its status, the actions whose real outcome differs from the transcript, the tests. The
    /// sub-scores cite the findings that moved them as <see cref="EvidenceSource.Replay"/> evidence.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReplaySignal? Replay { get; init; }

    /// <summary>One or two sentences saying why the overall score is what it is.</summary>
    public string Summary { get; init; } = "";

    public ScoreBand Band => ScoreBands.Of(Overall);
}

/// <summary>A 0–10 sub-score for one pattern with the evidence it rests on and the quantities measured.</summary>
public sealed record PatternScore
{
    public static readonly PatternScore Zero = new() { Score = 0 };

    public required double Score { get; init; }

    public IReadOnlyList<Evidence> Evidence { get; init; } = [];

    /// <summary>Measured quantities by name (e.g. <c>maxCallsInOneTurn</c>, <c>reasoningCharsPerAction</c>).</summary>
    public IReadOnlyDictionary<string, double> Measures { get; init; } = new Dictionary<string, double>();
}

/// <summary>One piece of evidence: the steps (0-based <see cref="Trajectories.Step.Index"/>) it points at, what it shows, and a short quote.</summary>
public sealed record Evidence(IReadOnlyList<int> Steps, string Note, string? Quote = null)
{
    /// <summary>
    /// Where the evidence comes from: the transcript (the default, left out of JSON) or the sandbox replay
    /// (whose notes also start with <c>replay:</c>, for readers that only see the text).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public EvidenceSource Source { get; init; }
}

public enum EvidenceSource
{
    /// <summary>Read from the trajectory as recorded.</summary>
    Transcript,

    /// <summary>Seen when the sandbox re-ran the actions and the task's tests (<see cref="Replay.ReplayReport"/>).</summary>
    Replay,
}

public sealed record LoopSignal
{
    public static readonly LoopSignal None = new();

    /// <summary>Longest run of consecutive identical actions.</summary>
    public int LongestRepeat { get; init; }

    /// <summary>Actions identical to an earlier action.</summary>
    public int RepeatedActions { get; init; }

    /// <summary>Longest run of consecutive turns answered by the same error.</summary>
    public int LongestSameErrorRun { get; init; }

    /// <summary>The harness itself stopped the run for looping.</summary>
    public bool StoppedByHarness { get; init; }

    public IReadOnlyList<Evidence> Evidence { get; init; } = [];
}

public enum ScoreBand
{
    /// <summary>0–3: always interacting with the environment.</summary>
    Fine,

    /// <summary>4–7: sometimes relies too much on internal reasoning, but still interacts.</summary>
    Occasional,

    /// <summary>8–10: detached from the environment.</summary>
    Detached,
}

public static class ScoreBands
{
    /// <summary>Band of a 0–10 score; bands are closed at their integer bounds after rounding half away from zero (3.4 → fine, 3.5 → occasional).</summary>
    public static ScoreBand Of(double score)
    {
        var rounded = Math.Round(score, MidpointRounding.AwayFromZero);
        return rounded <= 3 ? ScoreBand.Fine : rounded <= 7 ? ScoreBand.Occasional : ScoreBand.Detached;
    }
}
