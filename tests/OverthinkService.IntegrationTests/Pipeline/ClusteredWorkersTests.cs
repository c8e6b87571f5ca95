using Microsoft.EntityFrameworkCore;
using OverthinkService.Data.Pipeline;
using OverthinkService.Pipeline.Stages;

namespace OverthinkService.IntegrationTests.Pipeline;

/// <summary>Two worker processes on one database: the API's ingest queues judgments; the workers share them.</summary>
public sealed class TwoWorkersFixture : PipelineFixture
{
    protected override IReadOnlyList<string> InitialWorkers => ["worker-a", "worker-b"];
}

[Collection(WorkerProcessTests.Name)]
public sealed class ClusteredWorkersTests(TwoWorkersFixture cluster) : IClassFixture<TwoWorkersFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Two_workers_share_a_batch_of_forty_judgments_and_run_each_exactly_once()
    {
        var seeds = Enumerable.Range(1000, 40).ToList();
        var ids = new Dictionary<Guid, int>();
        foreach (var seed in seeds)
        {
            ids[await cluster.IngestAsync(seed, taskId: "batch-task")] = seed;
        }

        await Eventually.HoldsAsync(
            async () => (await cluster.StagesAsync(PipelineStages.Judge)).Count(s => ids.ContainsKey(s.TrajectoryId) && s.State == StageState.Done) == ids.Count,
            Patience, cluster.DiagnosticsAsync);

        var runs = (await cluster.RunsAsync(PipelineStages.Judge)).Where(r => ids.ContainsKey(r.TrajectoryId)).ToList();
        // One attempt per stage, each finished: no job ran twice, not even partly.
        Assert.Equal(ids.Count, runs.Count);
        Assert.Equal(ids.Count, runs.Select(r => r.TrajectoryId).Distinct().Count());
        Assert.All(runs, r => Assert.Equal((StageRunOutcomes.Done, 1), (r.Outcome, r.Attempt)));
        // Both workers took part.
        var byWorker = runs.GroupBy(r => r.Instance).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["worker-a", "worker-b"], byWorker.Keys.Order(StringComparer.Ordinal));
        Assert.All(byWorker.Values, n => Assert.True(n > 0));
        // The judge was asked once per trajectory, and each trajectory has exactly one judge score, with its answer.
        Assert.All(seeds, s => Assert.Equal(1, cluster.JudgeRequests.GetValueOrDefault(s)));
        await using var db = cluster.NewDb();
        var scores = await db.Scores.AsNoTracking().Where(s => ids.Keys.Contains(s.TrajectoryId) && s.ScorerName == "llm-judge")
            .Select(s => new { s.TrajectoryId, s.Overall, s.Reason, s.ScorerVersion, s.AnalysisParalysis, s.RogueActions, s.PrematureDisengagement }).ToListAsync();
        Assert.Equal(ids.Count, scores.Count);
        // The judge gives a holistic score only: its pattern sub-scores are empty, never a measured 0.
        Assert.All(scores, s => Assert.Equal((null, null, null), (s.AnalysisParalysis, s.RogueActions, s.PrematureDisengagement)));
        Assert.All(scores, s => Assert.Equal(ids[s.TrajectoryId] % 11, s.Overall));
        Assert.All(scores, s => Assert.Equal(PipelineScoreReasons.Judge, s.Reason));
        Assert.All(scores, s => Assert.StartsWith("loopback-judge+", s.ScorerVersion, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_judge_that_keeps_failing_is_retried_with_back_off_and_given_up_after_the_maximum_attempts()
    {
        var id = await cluster.IngestAsync(2001);

        await Eventually.HoldsAsync(async () => (await Stage(id)).State == StageState.Failed, Patience, cluster.DiagnosticsAsync);

        var stage = await Stage(id);
        Assert.Equal(3, stage.Attempts);
        Assert.StartsWith("gave up after 3 attempts: judgment failed (ServerError)", stage.Reason, StringComparison.Ordinal);
        var runs = (await cluster.RunsAsync(PipelineStages.Judge)).Where(r => r.TrajectoryId == id).ToList();
        Assert.Equal([(1, StageRunOutcomes.Retry), (2, StageRunOutcomes.Retry), (3, StageRunOutcomes.Failed)], runs.Select(r => (r.Attempt, r.Outcome)));
        // Back-off: RetryDelay 1 s with jitter ±20 %, then 2 s (the cap).
        Assert.True(runs[1].StartedAt - runs[0].FinishedAt!.Value >= TimeSpan.FromSeconds(0.75), $"first retry after {runs[1].StartedAt - runs[0].FinishedAt}");
        Assert.True(runs[2].StartedAt - runs[1].FinishedAt!.Value >= TimeSpan.FromSeconds(1.5), $"second retry after {runs[2].StartedAt - runs[1].FinishedAt}");
        Assert.Equal(3, cluster.JudgeRequests.GetValueOrDefault(2001));
        await using var db = cluster.NewDb();
        Assert.False(await db.Scores.AnyAsync(s => s.TrajectoryId == id && s.ScorerName == "llm-judge"));
    }

    [Fact]
    public async Task A_judge_that_recovers_after_a_transient_failure_gives_its_score_on_the_next_attempt()
    {
        var id = await cluster.IngestAsync(2507);

        await Eventually.HoldsAsync(async () => (await Stage(id)).State == StageState.Done, Patience, cluster.DiagnosticsAsync);

        Assert.Equal(2, (await Stage(id)).Attempts);
        var runs = (await cluster.RunsAsync(PipelineStages.Judge)).Where(r => r.TrajectoryId == id).ToList();
        Assert.Equal([StageRunOutcomes.Retry, StageRunOutcomes.Done], runs.Select(r => r.Outcome));
        Assert.Contains("503", runs[0].Reason, StringComparison.Ordinal);
        await using var db = cluster.NewDb();
        var score = await db.Scores.AsNoTracking().SingleAsync(s => s.TrajectoryId == id && s.ScorerName == "llm-judge");
        Assert.Equal(2507 % 11, score.Overall);
    }

    [Fact]
    public async Task An_unparsable_judgment_fails_the_stage_at_once_and_is_never_a_score()
    {
        var id = await cluster.IngestAsync(3003);

        await Eventually.HoldsAsync(async () => (await Stage(id)).State == StageState.Failed, Patience, cluster.DiagnosticsAsync);

        var stage = await Stage(id);
        Assert.Equal(1, stage.Attempts);
        Assert.Contains("UnusableAnswer", stage.Reason, StringComparison.Ordinal);
        Assert.Contains("<answer>", stage.Reason, StringComparison.Ordinal);
        Assert.Equal(1, cluster.JudgeRequests.GetValueOrDefault(3003));
        await using var db = cluster.NewDb();
        Assert.False(await db.Scores.AnyAsync(s => s.TrajectoryId == id && s.ScorerName == "llm-judge"));
    }

    [Fact]
    public async Task A_rescore_request_adds_a_deterministic_score_and_queues_a_fresh_judgment()
    {
        var id = await cluster.IngestAsync(1501);
        await Eventually.HoldsAsync(async () => (await Stage(id)).State == StageState.Done, Patience, cluster.DiagnosticsAsync);

        using var response = await cluster.Client.PostAsync($"/api/v1/trajectories/{id}/rescore", null);
        response.EnsureSuccessStatusCode();
        await Eventually.HoldsAsync(
            async () => cluster.JudgeRequests.GetValueOrDefault(1501) == 2 && (await Stage(id)).State == StageState.Done,
            Patience, cluster.DiagnosticsAsync);

        await using var db = cluster.NewDb();
        Assert.Equal(2, await db.Scores.CountAsync(s => s.TrajectoryId == id && s.ScorerName == "llm-judge"));
        Assert.Equal(2, await db.Scores.CountAsync(s => s.TrajectoryId == id && s.ScorerName == "deterministic"));
        // The stage starts a fresh round of attempts; its history keeps both.
        Assert.Equal(1, (await Stage(id)).Attempts);
        Assert.Equal(2, (await cluster.RunsAsync(PipelineStages.Judge)).Count(r => r.TrajectoryId == id && r.Outcome == StageRunOutcomes.Done));
    }

    [Fact]
    public async Task The_jobs_overview_shows_both_workers_alive_and_the_counts_by_stage_and_state()
    {
        var id = await cluster.IngestAsync(1777);
        await Eventually.HoldsAsync(async () => (await Stage(id)).State == StageState.Done, Patience, cluster.DiagnosticsAsync);

        using var json = System.Text.Json.JsonDocument.Parse(await cluster.Client.GetStringAsync("/api/v1/jobs"));
        var root = json.RootElement;
        var instances = root.GetProperty("scheduler").GetProperty("instances").EnumerateArray()
            .Select(i => (i.GetProperty("instance").GetString(), i.GetProperty("alive").GetBoolean())).ToList();
        Assert.Contains(("worker-a", true), instances);
        Assert.Contains(("worker-b", true), instances);
        var judge = root.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("stage").GetString() == PipelineStages.Judge);
        await using var db = cluster.NewDb();
        var doneInDb = await db.TrajectoryStages.CountAsync(s => s.Stage == PipelineStages.Judge && s.State == StageState.Done);
        Assert.True(judge.GetProperty("done").GetInt32() >= 1);
        Assert.True(judge.GetProperty("done").GetInt32() <= doneInDb);
        var replay = root.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("stage").GetString() == PipelineStages.Replay);
        Assert.True(replay.GetProperty("skipped").GetInt32() >= 1, "trajectories of a task without an environment skip the replay");
    }

    private async Task<TrajectoryStageRecord> Stage(Guid id, string stage = PipelineStages.Judge)
    {
        await using var db = cluster.NewDb();
        return await db.TrajectoryStages.AsNoTracking().SingleAsync(s => s.TrajectoryId == id && s.Stage == stage);
    }
}
