using System.Globalization;
using OverthinkService.Core.Trajectories;

namespace OverthinkService.Api.Trajectories;

/// <summary>
/// The list filters as query text (the API's and the dashboard's tables take the same parameters), turned into a
/// <see cref="TrajectoryFilter"/> or the first thing wrong with them: which parameter, and why.
/// </summary>
public sealed record TrajectoryFilterInput
{
    public string? TaskId { get; init; }

    public string? Model { get; init; }

    public string? Run { get; init; }

    public string? Agent { get; init; }

    public Guid? ImportId { get; init; }

    public string? Outcome { get; init; }

    public string? MinScore { get; init; }

    public string? MaxScore { get; init; }

    public string? Pattern { get; init; }

    public static readonly IReadOnlyList<string> OutcomeValues = ["resolved", "unresolved", "emptyPatch", "unknown"];

    public (TrajectoryFilter? Filter, string? Parameter, string? Error) Parse()
    {
        OutcomeStatus? outcome = null;
        if (Blank(Outcome) is { } o)
        {
            if (!Enum.TryParse<OutcomeStatus>(o, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || o.Any(char.IsDigit))
            {
                return (null, "outcome", $"outcome must be one of {string.Join(", ", OutcomeValues)} (got '{o}').");
            }

            outcome = parsed;
        }

        var (min, minError) = Score(MinScore, "minScore");
        if (minError is not null)
        {
            return (null, "minScore", minError);
        }

        var (max, maxError) = Score(MaxScore, "maxScore");
        if (maxError is not null)
        {
            return (null, "maxScore", maxError);
        }

        if (min > max)
        {
            return (null, "minScore", $"minScore ({min}) is above maxScore ({max}); the range would match nothing.");
        }

        Pattern? pattern = null;
        if (Blank(Pattern) is { } p)
        {
            if (!PatternThreshold.TryParse(p, out pattern))
            {
                return (null, "pattern", $"pattern must be ap, ra or pd (analysis paralysis, rogue actions, premature disengagement; sub-score ≥ {PatternThreshold.Value}), got '{p}'.");
            }
        }

        var filter = new TrajectoryFilter(Blank(TaskId), Blank(Model), Blank(Run), Blank(Agent), ImportId)
        {
            Outcome = outcome,
            MinOverall = min,
            MaxOverall = max,
            Pattern = pattern,
        };
        return (filter, null, null);
    }

    private static (double? Value, string? Error) Score(string? text, string name)
    {
        if (Blank(text) is not { } t)
        {
            return (null, null);
        }

        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0 || value > 10)
        {
            return (null, $"{name} must be a number from 0 to 10 (got '{t}').");
        }

        return (value, null);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
