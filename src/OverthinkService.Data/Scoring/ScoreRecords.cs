using OverthinkService.Core.Scoring;

namespace OverthinkService.Data.Scoring;

public static class ScoreRecords
{
    public static ScoreRecord From(Guid trajectoryId, OverthinkingScore score, string reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(score);
        return new ScoreRecord
        {
            TrajectoryId = trajectoryId,
            ScorerName = score.Scorer.Name,
            ScorerVersion = score.Scorer.Version,
            Overall = score.Overall,
            AnalysisParalysis = score.HolisticOnly ? null : score.AnalysisParalysis.Score,
            RogueActions = score.HolisticOnly ? null : score.RogueActions.Score,
            PrematureDisengagement = score.HolisticOnly ? null : score.PrematureDisengagement.Score,
            LoopLongestRepeat = score.Loops.LongestRepeat,
            LoopRepeatedActions = score.Loops.RepeatedActions,
            Reason = reason,
            Evidence = score,
            CreatedAt = now,
        };
    }
}
