using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OverthinkService.Data.Pipeline;
using OverthinkService.IntegrationTests.Pipeline;
using OverthinkService.IntegrationTests.Sandbox;
using OverthinkService.Pipeline.Stages;
using OverthinkService.Sandbox.Sandboxes;

namespace OverthinkService.IntegrationTests.Environments;

/// <summary>The API with the demo task's environment and workspace registered; no judge; workers started by the tests.</summary>
public sealed class DemoEnvironmentFixture : PipelineFixture
{
    protected override IReadOnlyDictionary<string, string> ClusterSettings =>
        base.ClusterSettings.Where(kv => !kv.Key.StartsWith("Judge:", StringComparison.Ordinal)).ToDictionary();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var environment = await File.ReadAllTextAsync(Path.Combine(DemoTask.Root, "task", "environment.json"));
        using (var put = await Client.PutAsync($"/api/v1/tasks/{DemoTaskId}/environment", new StringContent(environment, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var workspace = await OverthinkService.Sandbox.Replay.WorkspaceArchive.ToTarGzAsync(Path.Combine(DemoTask.Root, "task", "repo"), DateTimeOffset.UnixEpoch, CancellationToken.None);
        using var upload = await Client.PutAsync($"/api/v1/tasks/{DemoTaskId}/environment/workspace", new ByteArrayContent(workspace));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
    }

    public const string DemoTaskId = "demo__textkit-1";
}

/// <summary>Replays on real worker processes and a real Docker engine: the worker's sandboxes never outlive it for long.</summary>
[Collection(SandboxTests.Name)]
public sealed class ReplayRecoveryTests(DockerFixture docker, DemoEnvironmentFixture cluster) : IClassFixture<DemoEnvironmentFixture>
{
    [Fact]
    public async Task A_worker_killed_mid_replay_and_restarted_removes_its_orphan_sandbox_and_the_replay_completes_once()
    {
        var owner = DockerFixture.OwnerPrefix + "replayer";
        var worker = cluster.StartWorker(owner);
        var id = await IngestSleepyAsync();

        // The sandbox is up and the replay is inside its 20 s sleep.
        string? sandbox = null;
        await Eventually.HoldsAsync(
            async () => (sandbox = (await SandboxesAsync(owner, id)).FirstOrDefault()) is not null,
            TimeSpan.FromSeconds(60), async () => worker.Tail() + await cluster.DiagnosticsAsync());
        await Task.Delay(TimeSpan.FromSeconds(4));
        await worker.KillAsync();
        Assert.Contains(sandbox, await SandboxesAsync(owner, id));

        var restarted = cluster.StartWorker(owner);
        await Eventually.HoldsAsync(
            async () => !(await SandboxesAsync(owner, id)).Contains(sandbox!),
            TimeSpan.FromSeconds(30), () => Task.FromResult($"orphan {sandbox} still there\n{restarted.Tail()}"));
        // The sweep logs after the removal, and the worker's output reaches the test a little later still.
        await Eventually.HoldsAsync(
            () => Task.FromResult(restarted.Output.Contains("Sandbox orphan sweep removed 1 containers", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(15), () => Task.FromResult($"no sweep report from the restarted worker\n{restarted.Tail()}"));

        // The recovered firing replays again on the restarted worker, and the rescore follows.
        await Eventually.HoldsAsync(
            async () => (await cluster.StagesAsync(PipelineStages.Rescore)).Any(s => s.TrajectoryId == id && s.State is StageState.Done or StageState.Failed or StageState.Skipped),
            TimeSpan.FromSeconds(120), async () => restarted.Tail() + await cluster.DiagnosticsAsync());

        var replay = (await cluster.StagesAsync(PipelineStages.Replay)).Single(s => s.TrajectoryId == id);
        Assert.Equal(StageState.Done, replay.State);
        Assert.Equal(
            [(1, StageRunOutcomes.Abandoned), (2, StageRunOutcomes.Done)],
            (await cluster.RunsAsync(PipelineStages.Replay)).Where(r => r.TrajectoryId == id).Select(r => (r.Attempt, r.Outcome)));
        await using var db = cluster.NewDb();
        var report = await db.Replays.AsNoTracking().SingleAsync(r => r.TrajectoryId == id);
        Assert.Equal("completed", report.Status);
        var sleep = Assert.Single(report.Report.Actions, a => a.Summary.Contains("sleep", StringComparison.Ordinal));
        Assert.True(sleep.Duration >= TimeSpan.FromSeconds(19), $"the sleep took {sleep.Duration}");
        Assert.Equal(1, await db.Scores.CountAsync(s => s.TrajectoryId == id && s.Reason == PipelineScoreReasons.Replay));
        // Every sandbox the replays started is gone.
        Assert.Empty(await SandboxesAsync(owner, id));
        Assert.Empty(await docker.SweepAsync(owner));
    }

    private async Task<Guid> IngestSleepyAsync()
    {
        var document = new JsonObject
        {
            ["initial_issue"] = "wrap() splits a line of exactly `width` characters.",
            ["interactions"] = new JsonArray(
                new JsonObject
                {
                    ["response"] = "Let me look at the code first.\n<function=execute_bash>\n<parameter=command>\nsleep 20 && ls textkit\n</parameter>\n</function>",
                    ["observation"] = "EXECUTION RESULT of [execute_bash]:\n__init__.py\nslug.py\nwrap.py\n[Command finished with exit code 0]",
                }),
            ["final_response"] = "I looked; nothing to change.",
            ["final_finish_reason"] = "FINISHED_WITH_STOP_ACTION",
        };
        using var response = await cluster.Client.PostAsync(
            $"/api/v1/trajectories?taskId={DemoEnvironmentFixture.DemoTaskId}&model=sleepy&run=sleepy-run",
            new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var replay = body.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("stage").GetString() == PipelineStages.Replay);
        Assert.Equal("queued", replay.GetProperty("state").GetString());
        return body.GetProperty("id").GetGuid();
    }

    private async Task<List<string>> SandboxesAsync(string owner, Guid trajectory) =>
        (await docker.Docker.ListContainersAsync(new Dictionary<string, string?> { [SandboxManager.SandboxLabel] = null }, CancellationToken.None))
            .Where(c => c.Labels?.GetValueOrDefault(SandboxManager.OwnerLabel) == owner
                        && c.Labels?.GetValueOrDefault(SandboxManager.TrajectoryLabel) == trajectory.ToString())
            .Select(c => c.Id)
            .ToList();
}
