using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using OverthinkService.Core.Replay;
using OverthinkService.Core.Trajectories;
using OverthinkService.Sandbox;

namespace OverthinkService.IntegrationTests.Sandbox;

/// <summary>What a sandbox must not allow, tried for real: network, memory, processes, time, the root filesystem, root.</summary>
[Collection(SandboxTests.Name)]
public sealed class IsolationTests(DockerFixture docker) : SandboxTest(docker)
{
    private static Trajectory Commands(params string[] commands) => new()
    {
        TaskId = "isolation",
        SourceFormat = "test",
        Steps = commands.Select((c, i) => new Step
        {
            Index = i,
            ToolCalls = [new ToolCall { Name = "execute_bash", Arguments = new Dictionary<string, string> { ["command"] = c } }],
        }).ToList(),
    };

    private async Task<ReplayReport> ReplayAsync(SandboxOptions options, params string[] commands)
    {
        var environment = DemoTask.Environment() with { SetupCommands = [] };
        var report = await Replayer(options).ReplayAsync(Commands(commands), environment, await DemoTask.WorkspaceAsync(), "isolation", CancellationToken.None);
        Assert.True(report.Actions.Count == commands.Length, $"{report.Actions.Count} of {commands.Length} actions replayed; replay {report.Status}: {report.Reason}");
        return report;
    }

    [Fact]
    public async Task No_network_reaches_outside_the_sandbox_neither_the_internet_nor_the_host()
    {
        var host = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? IPAddress.Parse("172.17.0.1");
        const string Connect = "python3 -c \"import socket; socket.create_connection(('{0}', {1}), timeout=5); print('CONNECTED')\"";

        var report = await ReplayAsync(Options,
            string.Format(System.Globalization.CultureInfo.InvariantCulture, Connect, "1.1.1.1", 53),
            string.Format(System.Globalization.CultureInfo.InvariantCulture, Connect, host, 22),
            "ls /sys/class/net");

        Assert.All(report.Actions.Take(2), a =>
        {
            Assert.Equal(ActionReplayStatus.Failed, a.Status);
            Assert.DoesNotContain("CONNECTED", a.Output, StringComparison.Ordinal);
            Assert.Contains("Network is unreachable", a.Output, StringComparison.Ordinal);
        });
        Assert.Equal("lo", report.Actions[2].Output.Trim());
    }

    [Fact]
    public async Task A_memory_hog_is_killed_at_the_limit_and_recorded_as_out_of_memory()
    {
        var report = await ReplayAsync(Options with { Memory = "96m" },
            "python3 -c \"x = bytearray(400 * 1024 * 1024); print('sur' + 'vived')\"",
            "echo still here");

        var hog = report.Actions[0];
        Assert.Equal(ActionReplayStatus.OutOfMemory, hog.Status);
        Assert.Equal(137, hog.ExitCode);
        Assert.DoesNotContain("survived", hog.Output, StringComparison.Ordinal);
        Assert.Contains("OOM killer", hog.Note, StringComparison.Ordinal);
        Assert.Equal(ActionReplayStatus.Succeeded, report.Actions[1].Status);
        Assert.Equal(ReplayStatus.Completed, report.Status);
    }

    [Fact]
    public async Task A_fork_bomb_is_contained_by_the_pids_limit_and_the_replay_goes_on()
    {
        var started = TimeProvider.System.GetTimestamp();

        var report = await ReplayAsync(Options with { Pids = 64, ActionTimeout = TimeSpan.FromSeconds(5) },
            // The busy loop (a builtin, no fork needed) keeps the command alive until its time limit, when the whole
            // process group, bomb included, is killed: a bomb left in the background would starve the next actions
            // just as it would have starved the agent's own shell.
            ":(){ :|:& };:; while :; do :; done",
            "echo alive",
            "cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/pids/pids.events 2>/dev/null || cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/pids.events");

        Assert.Equal(ReplayStatus.Completed, report.Status);
        Assert.Equal(ActionReplayStatus.TimedOut, report.Actions[0].Status);
        Assert.Equal(ActionReplayStatus.Succeeded, report.Actions[1].Status);
        Assert.Equal("alive", report.Actions[1].Output.Trim());
        var pids = report.Actions[2].Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("64", pids[0].Trim());
        Assert.True(long.Parse(pids.Single(l => l.StartsWith("max ", StringComparison.Ordinal))[4..], System.Globalization.CultureInfo.InvariantCulture) > 0,
            "the bomb ran into the pids limit");
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(90));
        Assert.Equal("1.41", (await Docker.Docker.PingAsync(CancellationToken.None)).ApiVersion);
    }

    [Fact]
    public async Task An_endless_command_is_killed_at_the_action_timeout_and_the_next_action_runs()
    {
        var report = await ReplayAsync(Options with { ActionTimeout = TimeSpan.FromSeconds(2) },
            "echo before; sleep 600; echo after",
            "echo next");

        var endless = report.Actions[0];
        Assert.Equal(ActionReplayStatus.TimedOut, endless.Status);
        Assert.Contains("before", endless.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("after", endless.Output, StringComparison.Ordinal);
        Assert.InRange(endless.Duration, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
        Assert.Equal(ActionReplayStatus.Succeeded, report.Actions[1].Status);
    }

    [Fact]
    public async Task A_command_that_ignores_the_terminate_signal_is_killed_after_the_grace_period()
    {
        var report = await ReplayAsync(Options with { ActionTimeout = TimeSpan.FromSeconds(2) },
            "trap '' TERM; echo stubborn; while true; do :; done",
            "echo next");

        var stubborn = report.Actions[0];
        Assert.Equal(ActionReplayStatus.TimedOut, stubborn.Status);
        Assert.Equal(137, stubborn.ExitCode);
        Assert.InRange(stubborn.Duration, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(20));
        Assert.Equal(ActionReplayStatus.Succeeded, report.Actions[1].Status);
    }

    [Fact]
    public async Task Background_processes_outlive_their_command_as_in_the_agents_own_shell()
    {
        var report = await ReplayAsync(Options with { ActionTimeout = TimeSpan.FromSeconds(5) },
            "setsid sleep 600 > /dev/null 2>&1 & echo started",
            "ps -eo args= | grep -c '^sleep 600$' || true",
            "cd /tmp && export REPLAYED=yes",
            "pwd; echo $REPLAYED");

        Assert.Equal(ActionReplayStatus.Succeeded, report.Actions[0].Status);
        Assert.Equal("1", report.Actions[1].Output.Trim());
        Assert.Equal("/tmp\nyes", report.Actions[3].Output.Trim());
    }

    [Fact]
    public async Task The_root_filesystem_is_read_only_the_user_is_not_root_and_has_no_capabilities()
    {
        var report = await ReplayAsync(Options,
            "id -u; id -g",
            "touch /usr/evil",
            "touch /workspace/textkit/ok && echo workspace-writable",
            "touch /tmp/ok && echo tmp-writable",
            "grep -E '^(CapEff|NoNewPrivs)' /proc/self/status");

        Assert.Equal("1000\n1000", report.Actions[0].Output.Trim());
        Assert.Equal(ActionReplayStatus.Failed, report.Actions[1].Status);
        Assert.Contains("Read-only file system", report.Actions[1].Output, StringComparison.Ordinal);
        Assert.Contains("workspace-writable", report.Actions[2].Output, StringComparison.Ordinal);
        Assert.Contains("tmp-writable", report.Actions[3].Output, StringComparison.Ordinal);
        Assert.Contains("CapEff:\t0000000000000000", report.Actions[4].Output, StringComparison.Ordinal);
        Assert.Contains("NoNewPrivs:\t1", report.Actions[4].Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_workspace_tmpfs_is_size_limited()
    {
        var report = await ReplayAsync(Options with { TmpfsSize = "16m" },
            "head -c 40000000 /dev/zero > /workspace/big.bin; echo exit=$?");

        Assert.Contains("No space left on device", report.Actions[0].Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_running_sandbox_carries_the_limits_and_labels_on_the_daemon()
    {
        var manager = Manager();
        await using var sandbox = await manager.StartAsync(manager.Options.BaseImage, "/workspace/x", "inspect-me", CancellationToken.None);

        var inspect = (await sandbox.InspectAsync(CancellationToken.None))!;

        Assert.True(inspect.State.Running);
        Assert.True(inspect.HostConfig!.ReadonlyRootfs);
        Assert.Equal("none", inspect.HostConfig.NetworkMode);
        Assert.Equal(["ALL"], inspect.HostConfig.CapDrop);
        Assert.Equal(512L << 20, inspect.HostConfig.Memory);
        Assert.Equal(inspect.HostConfig.Memory, inspect.HostConfig.MemorySwap);
        Assert.Equal(128, inspect.HostConfig.PidsLimit);
        Assert.Equal("1000:1000", inspect.Config!.User);
        Assert.Equal(Owner, inspect.Config.Labels!["overthink.owner"]);
        Assert.Equal("inspect-me", inspect.Config.Labels["overthink.trajectory"]);
    }
}
