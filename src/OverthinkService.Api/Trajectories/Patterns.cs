using System.Diagnostics.CodeAnalysis;

namespace OverthinkService.Api.Trajectories;

/// <summary>The paper's three overthinking patterns, as filters and shares name them.</summary>
public enum Pattern
{
    AnalysisParalysis,
    RogueActions,
    PrematureDisengagement,
}

/// <summary>
/// When a pattern "shows": its sub-score is at least 4, the lower bound of the paper's middle band (4–7,
/// "occasional over-reliance on internal reasoning"). Pattern filters and the overview's pattern shares use it.
/// </summary>
public static class PatternThreshold
{
    public const double Value = 4;

    /// <summary>Query values: the short names the dashboard shows (ap, ra, pd) and the full camelCase names.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Pattern? pattern)
    {
        pattern = text?.Trim().ToLowerInvariant() switch
        {
            "ap" or "analysisparalysis" => Pattern.AnalysisParalysis,
            "ra" or "rogueactions" => Pattern.RogueActions,
            "pd" or "prematuredisengagement" => Pattern.PrematureDisengagement,
            _ => null,
        };
        return pattern is not null;
    }

    public static string ShortName(Pattern pattern) => pattern switch
    {
        Pattern.AnalysisParalysis => "ap",
        Pattern.RogueActions => "ra",
        _ => "pd",
    };

    public static string Label(Pattern pattern) => pattern switch
    {
        Pattern.AnalysisParalysis => "Analysis paralysis",
        Pattern.RogueActions => "Rogue actions",
        _ => "Premature disengagement",
    };
}
