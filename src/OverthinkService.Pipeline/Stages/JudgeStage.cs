using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OverthinkService.Core.Scoring;
using OverthinkService.Core.Trajectories;
using OverthinkService.Data;
using OverthinkService.Data.Scoring;
using OverthinkService.Judge;
using OverthinkService.Pipeline.Scheduling;

namespace OverthinkService.Pipeline.Stages;

/// <summary>
/// The LLM judge's holistic score as a score row (<c>llm-judge</c>, version <c>{model}+{promptId}</c>). A failed
/// judgment is never a score: transient ones (network, timeouts, 429/5xx after the client's own attempts) are
/// retried later, the rest (an unparsable answer, a refused request) fail the stage with the reason.
/// </summary>
public sealed class JudgeStage(IDbContextFactory<OverthinkDbContext> dbs, IServiceProvider services, InstanceIdentity me, TimeProvider time) : IStageWork
{
    public string Stage => PipelineStages.Judge;

    public async Task<StageOutcome> RunAsync(Guid trajectoryId, CancellationToken cancellationToken)
    {
        if (services.GetService<IOverthinkingJudge>() is not { } judge)
        {
            return StageOutcome.Skipped($"no judge is configured on worker {me.Id} (set Judge:BaseUrl and Judge:Model)");
        }

        Trajectory? document;
        await using (var db = await dbs.CreateDbContextAsync(cancellationToken))
        {
            document = await db.Trajectories.AsNoTracking().Where(t => t.Id == trajectoryId).Select(t => t.Document).FirstOrDefaultAsync(cancellationToken);
        }

        if (document is null)
        {
            return StageOutcome.Skipped("the trajectory no longer exists");
        }

        // Like the paper's judge, it must not see whether the fix worked.
        var result = await judge.JudgeAsync(document with { Outcome = Outcome.Unknown }, cancellationToken);
        if (!result.Succeeded)
        {
            var reason = $"judgment failed ({result.FailureKind}): {result.Failure}";
            return result.Transient ? StageOutcome.Retry(reason) : StageOutcome.Failed(reason);
        }

        var score = ToScore(result);
        return StageOutcome.Done(
            (db, _) =>
            {
                db.Scores.Add(ScoreRecords.From(trajectoryId, score, PipelineScoreReasons.Judge, StoredTime.Now(time)));
                return Task.CompletedTask;
            },
            $"judged {score.Overall:0.#} by {result.Model}");
    }

    /// <summary>
    /// The judge gives one holistic score, not one per pattern: the pattern sub-scores are stored as 0, and the
    /// summary holds the judge's reasoning followed by what the judgment cost (tokens, USD when prices are set).
    /// </summary>
    public static OverthinkingScore ToScore(JudgeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var usage = new List<string> { $"{result.Attempts} attempt(s)", $"{result.Duration.TotalSeconds:0.#} s" };
        if (result.PromptTokens is { } prompt)
        {
            usage.Add($"{prompt} prompt tokens");
        }

        if (result.CompletionTokens is { } completion)
        {
            usage.Add($"{completion} completion tokens");
        }

        if (result.Cost is { } cost)
        {
            usage.Add($"USD {cost:0.####}");
        }

        return new OverthinkingScore
        {
            Scorer = result.Scorer,
            Overall = result.Score ?? throw new ArgumentException("a failed judgment has no score", nameof(result)),
            AnalysisParalysis = PatternScore.Zero,
            RogueActions = PatternScore.Zero,
            PrematureDisengagement = PatternScore.Zero,
            HolisticOnly = true,
            Summary = $"{result.Reasoning} [LLM judge {result.Model}, holistic score only; {string.Join(", ", usage)}]".Trim(),
        };
    }
}
