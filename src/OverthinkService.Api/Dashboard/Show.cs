using System.Globalization;
using OverthinkService.Core.Scoring;
using OverthinkService.Core.Trajectories;

namespace OverthinkService.Api.Dashboard;

/// <summary>How the pages write numbers, dates, bands and outcomes (invariant culture: the same on every host).</summary>
public static class Show
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Score(double? value) => value is { } v ? v.ToString("0.0", Invariant) : "–";

    public static string Number(double value, string format = "0.##") => value.ToString(format, Invariant);

    public static string Count(int value) => value.ToString("#,0", Invariant);

    public static string Percent(double? fraction) => fraction is { } f ? (f * 100).ToString("0.0", Invariant) + " %" : "–";

    public static string Money(decimal? usd) => usd is { } v ? "$" + v.ToString(v < 10 ? "0.000" : "#,0.00", Invariant) : "–";

    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant) + " UTC" : "–";

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", Invariant);

    /// <summary>The CSS class of a score's band (band-fine, band-occasional, band-detached; band-none without a score).</summary>
    public static string Band(double? score) => score is { } s ? "band-" + BandName(ScoreBands.Of(s)) : "band-none";

    public static string BandName(ScoreBand band) => band switch
    {
        ScoreBand.Fine => "fine",
        ScoreBand.Occasional => "occasional",
        _ => "detached",
    };

    /// <summary>The camelCase name the API uses (resolved, unresolved, emptyPatch, unknown).</summary>
    public static string OutcomeName(OutcomeStatus outcome) => outcome switch
    {
        OutcomeStatus.Resolved => "resolved",
        OutcomeStatus.Unresolved => "unresolved",
        OutcomeStatus.EmptyPatch => "emptyPatch",
        _ => "unknown",
    };

    public static string OutcomeLabel(OutcomeStatus outcome) => outcome switch
    {
        OutcomeStatus.Resolved => "resolved",
        OutcomeStatus.Unresolved => "unresolved",
        OutcomeStatus.EmptyPatch => "empty patch",
        _ => "unknown",
    };

    public static string Model(string? model) => model ?? "(no model)";

    /// <summary>Text cut to <paramref name="max"/> characters with an ellipsis.</summary>
    public static string Cut(string? text, int max) => text is null ? "" : text.Length <= max ? text : text[..max] + "…";

    public static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
