using OverthinkService.Core.Scoring;

namespace OverthinkService.Api.Dashboard;

/// <summary>One piece of a score's evidence as the trajectory page shows it: an anchor id, its pattern, what it says, the steps it rests on.</summary>
public sealed record EvidenceItem(string Anchor, string Pattern, string PatternLabel, Evidence Evidence);

/// <summary>Evidence laid onto the steps: which items cite each step, and the quotes to mark in its text.</summary>
public sealed class StepEvidence
{
    private readonly Dictionary<int, List<EvidenceItem>> _byStep = [];

    public StepEvidence(OverthinkingScore? score)
    {
        if (score is null)
        {
            return;
        }

        Add("ap", "Analysis paralysis", score.AnalysisParalysis.Evidence);
        Add("ra", "Rogue actions", score.RogueActions.Evidence);
        Add("pd", "Premature disengagement", score.PrematureDisengagement.Evidence);
        Add("loop", "Loop signal", score.Loops.Evidence);
    }

    public List<EvidenceItem> Items { get; } = [];

    public IReadOnlyList<EvidenceItem> At(int step) => _byStep.TryGetValue(step, out var items) ? items : [];

    public bool Cites(int step) => _byStep.ContainsKey(step);

    private void Add(string pattern, string label, IReadOnlyList<Evidence> evidence)
    {
        for (var i = 0; i < evidence.Count; i++)
        {
            var item = new EvidenceItem($"ev-{pattern}-{i}", pattern, label, evidence[i]);
            Items.Add(item);
            foreach (var step in evidence[i].Steps.Distinct())
            {
                if (!_byStep.TryGetValue(step, out var list))
                {
                    _byStep[step] = list = [];
                }

                list.Add(item);
            }
        }
    }

    /// <summary>
    /// <paramref name="text"/> cut into plain and marked pieces where a quote of the step's evidence occurs
    /// (quotes may be shortened with an ellipsis, which is dropped before looking; very short ones are not marked).
    /// </summary>
    public static List<(string Text, string? Anchor)> Mark(string text, IReadOnlyList<EvidenceItem> items)
    {
        var spans = new List<(int Start, int End, string Anchor)>();
        foreach (var item in items)
        {
            var quote = item.Evidence.Quote?.Trim().Trim('…').Replace("...", "", StringComparison.Ordinal).Trim();
            if (quote is not { Length: >= 8 })
            {
                continue;
            }

            var at = text.IndexOf(quote, StringComparison.Ordinal);
            if (at >= 0 && !spans.Any(s => at < s.End && at + quote.Length > s.Start))
            {
                spans.Add((at, at + quote.Length, item.Anchor));
            }
        }

        var pieces = new List<(string, string?)>();
        var position = 0;
        foreach (var (start, end, anchor) in spans.OrderBy(s => s.Start))
        {
            pieces.Add((text[position..start], null));
            pieces.Add((text[start..end], anchor));
            position = end;
        }

        pieces.Add((text[position..], null));
        return pieces;
    }
}
