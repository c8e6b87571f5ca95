using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OverthinkService.Core.Replay;
using OverthinkService.Core.Trajectories;
using OverthinkService.Sandbox.Docker;
using OverthinkService.Sandbox.Sandboxes;

namespace OverthinkService.Sandbox.Replay;

/// <summary>
/// Re-executes a trajectory's actions in a throwaway sandbox and grades its result the SWE-bench way.
/// <list type="number">
/// <item>Start a sandbox from the task's image (or the base image), lay out the workspace (the workspace archive,
/// or the image's own contents at the workspace path), run the setup commands.</item>
/// <item>Replay every tool call in order, several calls of one turn one by one: shell commands through a shell
/// whose cwd and environment persist, <c>str_replace_editor</c> with its real semantics. Record output, exit code,
/// duration and divergence from the recorded observation; a timed-out command is killed and the replay goes on.</item>
/// <item>Grade: with a final patch, on a fresh sandbox (patch applied as the SWE-bench harness does); without one, on
/// the workspace the replay left. Run the test command, parse it, decide resolved.</item>
/// </list>
/// Containers are removed in <c>finally</c>. Expected outcomes (missing image, setup failure, patch that does not
/// apply, time limit) are reports; only an unreachable daemon (<see cref="DockerUnavailableException"/>, transient)
/// and the caller's cancellation are thrown.
/// </summary>
public sealed partial class Replayer(SandboxManager sandboxes, ILogger<Replayer> logger, TimeProvider time)
{
    private readonly SandboxOptions _options = sandboxes.Options;
    private readonly Grader _grader = new(sandboxes.Options);

    /// <inheritdoc cref="ReplayAsync(Trajectory, TaskEnvironment, Func{CancellationToken, Task{Stream}}?, string?, CancellationToken)"/>
    public Task<ReplayReport> ReplayAsync(
        Trajectory trajectory, TaskEnvironment environment, Func<CancellationToken, Task<Stream>>? workspaceArchive, CancellationToken cancellationToken) =>
        ReplayAsync(trajectory, environment, workspaceArchive, trajectoryId: null, cancellationToken);

    /// <summary>
    /// Replays <paramref name="trajectory"/> in <paramref name="environment"/>. <paramref name="workspaceArchive"/> opens the
    /// workspace tarball (tar or tar.gz with the repository's files at its root); it may be called twice (the replay and a
    /// fresh grading sandbox). <paramref name="trajectoryId"/> goes into the containers' <c>overthink.trajectory</c> label.
    /// </summary>
    public async Task<ReplayReport> ReplayAsync(
        Trajectory trajectory, TaskEnvironment environment, Func<CancellationToken, Task<Stream>>? workspaceArchive, string? trajectoryId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        ArgumentNullException.ThrowIfNull(environment);
        if (Precheck(trajectory, environment, workspaceArchive) is { } early)
        {
            return early;
        }

        var workspace = WorkspaceMount.Normalise(environment.WorkspacePath);
        var image = string.IsNullOrWhiteSpace(environment.Image) ? _options.BaseImage : environment.Image.Trim();
        var label = trajectoryId ?? DefaultLabel(trajectory);
        var plan = ActionPlan.From(trajectory);
        using var activity = ReplayTelemetry.Source.StartActivity("sandbox.replay");
        activity?.SetTag("overthink.task", trajectory.TaskId);
        activity?.SetTag("overthink.trajectory", label);
        activity?.SetTag("overthink.image", image);
        logger.ReplayStarting(label, trajectory.TaskId, image, plan.Count);

        var started = time.GetTimestamp();
        var actions = new List<ReplayedAction>(plan.Count);
        using var replayLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        replayLimit.CancelAfter(_options.ReplayTimeout);
        ReplayReport report;
        try
        {
            report = await RunAsync(trajectory, environment, workspaceArchive, workspace, image, label, plan, actions, replayLimit.Token);
        }
        catch (OperationCanceledException) when (replayLimit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            report = new ReplayReport
            {
                Status = ReplayStatus.TimedOut,
                Reason = $"the replay hit its time limit of {_options.ReplayTimeout} (Sandbox:ReplayTimeout) after {actions.Count} of {plan.Count} actions",
                Actions = actions.ToList(),
            };
        }
        catch (DockerException e) when (!e.IsTransient)
        {
            report = ReplayReport.Failed(e.Message, actions.ToList());
        }
        catch (SandboxFileException e)
        {
            report = ReplayReport.Failed(e.Message, actions.ToList());
        }

        report = report with { Duration = time.GetElapsedTime(started), Image = image };
        activity?.SetTag("overthink.status", report.Status.ToString());
        activity?.SetTag("overthink.resolved", report.Resolved);
        if (report.Status is ReplayStatus.Failed or ReplayStatus.TimedOut)
        {
            activity?.SetStatus(ActivityStatusCode.Error, report.Reason);
            logger.ReplayFailed(label, report.Reason);
        }

        logger.ReplayFinished(label, report.Status, report.Duration, report.Resolved);
        return report;
    }

    private ReplayReport? Precheck(Trajectory trajectory, TaskEnvironment environment, Func<CancellationToken, Task<Stream>>? workspaceArchive)
    {
        try
        {
            WorkspaceMount.Normalise(environment.WorkspacePath);
        }
        catch (ArgumentException e)
        {
            return ReplayReport.Failed($"the task environment is not usable: {e.Message}");
        }

        if (TestOutputParsers.Create(environment.TestFramework) is null)
        {
            return ReplayReport.Failed(
                $"the task environment's test framework '{environment.TestFramework}' has no parser; supported: {string.Join(", ", TestOutputParsers.Supported)}");
        }

        if (string.IsNullOrWhiteSpace(environment.TestCommand))
        {
            return ReplayReport.Failed("the task environment has no test command");
        }

        if (string.IsNullOrWhiteSpace(environment.Image) && workspaceArchive is null)
        {
            return ReplayReport.Skipped(
                $"the task environment names no image and no workspace archive was supplied: there is no repository to lay out on {_options.BaseImage}");
        }

        return trajectory.Steps.Count == 0 && string.IsNullOrWhiteSpace(trajectory.FinalPatch)
            ? ReplayReport.Skipped("the trajectory has no steps and no final patch: nothing to replay or grade")
            : null;
    }

    private async Task<ReplayReport> RunAsync(
        Trajectory trajectory, TaskEnvironment environment, Func<CancellationToken, Task<Stream>>? workspaceArchive, string workspace,
        string image, string label, ActionPlan plan, List<ReplayedAction> actions, CancellationToken cancellationToken)
    {
        var chained = new List<ChainedFailure>();
        TestRun? tests = null;
        PatchApplication? patch = null;
        var hasPatch = !string.IsNullOrWhiteSpace(trajectory.FinalPatch);

        // Nothing to re-run and a patch to grade: the grading sandbox is all that is needed.
        if (plan.Count > 0 || !hasPatch)
        {
            await using (var sandbox = await sandboxes.StartAsync(image, workspace, label, cancellationToken))
            {
                if (await PrepareAsync(sandbox, environment, workspaceArchive, workspace, image, label, cancellationToken) is { } setupFailure)
                {
                    return ReplayReport.Failed(setupFailure);
                }

                var run = new ActionRun(sandbox, new ShellSession(sandbox, workspace), new StrReplaceEditor(workspace),
                    await sandbox.OomKillCountAsync(cancellationToken));
                // The replay's own bookkeeping is setup, not an agent action: a short Sandbox:ActionTimeout must not fail it.
                if (await run.Shell.InitialiseAsync(_options.TestTimeout, cancellationToken) is { } shellFailure)
                {
                    return ReplayReport.Failed(shellFailure);
                }

                foreach (var turn in plan.Turns)
                {
                    var failedAt = -1;
                    var after = new List<int>();
                    foreach (var planned in turn)
                    {
                        ReplayedAction replayed;
                        try
                        {
                            replayed = await ReplayActionAsync(planned, run, cancellationToken);
                        }
                        catch (DockerConflictException e)
                        {
                            return ReplayReport.Failed(await StoppedReasonAsync(sandbox, planned, e, cancellationToken), actions.ToList());
                        }

                        var ran = replayed.Status != ActionReplayStatus.NotReplayable;
                        if (failedAt >= 0 && ran)
                        {
                            replayed = replayed with { AfterFailedCall = true };
                            after.Add(planned.CallIndex);
                        }
                        else if (failedAt < 0 && ran && replayed.Status != ActionReplayStatus.Succeeded)
                        {
                            failedAt = planned.CallIndex;
                        }

                        actions.Add(replayed);
                    }

                    if (after.Count > 0)
                    {
                        chained.Add(new ChainedFailure(turn[0].StepIndex, failedAt, after));
                    }
                }

                if (!hasPatch)
                {
                    tests = await GradeAsync(sandbox, environment, workspace, cancellationToken);
                }
            }
        }

        if (hasPatch)
        {
            await using var grading = await sandboxes.StartAsync(image, workspace, label, cancellationToken);
            if (await PrepareAsync(grading, environment, workspaceArchive, workspace, image, label, cancellationToken) is { } setupFailure)
            {
                return ReplayReport.Failed($"grading sandbox: {setupFailure}", actions.ToList()) with { ChainedFailures = chained };
            }

            using (ReplayTelemetry.Source.StartActivity("sandbox.apply-patch"))
            {
                patch = await _grader.ApplyPatchAsync(grading, workspace, trajectory.FinalPatch!, cancellationToken);
            }

            if (!patch.Applied)
            {
                return new ReplayReport
                {
                    Status = ReplayStatus.Failed,
                    Reason = "the final patch does not apply (git apply, git apply --reject and patch --fuzz=5 all failed); SWE-bench counts this as unresolved",
                    Actions = actions.ToList(),
                    ChainedFailures = chained,
                    Patch = patch,
                    Resolved = false,
                    GradedOn = GradedOn.FinalPatch,
                    FinishedUnresolved = AgentFinished(trajectory),
                };
            }

            tests = await GradeAsync(grading, environment, workspace, cancellationToken);
        }

        return new ReplayReport
        {
            Status = ReplayStatus.Completed,
            Reason = tests!.Execution.TimedOut ? $"the test command hit its time limit of {_options.TestTimeout} (Sandbox:TestTimeout)" : null,
            Actions = actions.ToList(),
            ChainedFailures = chained,
            Patch = patch,
            Tests = tests.Tests,
            Resolved = tests.Resolved,
            GradedOn = hasPatch ? GradedOn.FinalPatch : GradedOn.ReplayedWorkspace,
            FinishedUnresolved = AgentFinished(trajectory) && !tests.Resolved,
            TestExitCode = tests.Execution.ExitCode,
            TestOutput = tests.Execution.Output,
        };
    }

    private async Task<TestRun> GradeAsync(SandboxContainer sandbox, TaskEnvironment environment, string workspace, CancellationToken cancellationToken)
    {
        using var activity = ReplayTelemetry.Source.StartActivity("sandbox.tests");
        var run = await _grader.RunTestsAsync(sandbox, environment, workspace, cancellationToken);
        activity?.SetTag("overthink.resolved", run.Resolved);
        return run;
    }

    /// <summary>Lays out the workspace and runs the setup commands; a non-null result is why that failed.</summary>
    private async Task<string?> PrepareAsync(
        SandboxContainer sandbox, TaskEnvironment environment, Func<CancellationToken, Task<Stream>>? workspaceArchive, string workspace,
        string image, string label, CancellationToken cancellationToken)
    {
        using var activity = ReplayTelemetry.Source.StartActivity("sandbox.prepare");
        if (workspaceArchive is not null)
        {
            var mkdir = await sandbox.ExecAsync(["mkdir", "-p", "--", workspace], _options.TestTimeout, cancellationToken, outputLimit: 2048);
            if (!mkdir.Succeeded)
            {
                return $"could not create the workspace {workspace}: {mkdir.Output.Trim()}";
            }

            await using var archive = await workspaceArchive(cancellationToken);
            try
            {
                await sandbox.UploadAsync(workspace, archive, cancellationToken);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException
                                      || (e is HttpRequestException && e.InnerException is InvalidDataException or FormatException or EndOfStreamException))
            {
                return $"the workspace archive is not a readable tar or tar.gz: {(e.InnerException ?? e).Message}";
            }
        }
        else
        {
            // The tmpfs hides whatever the image has at the mount point: copy the image's own contents into it.
            await sandboxes.CopyFromImageAsync(sandbox, image, sandbox.WorkspaceMount, label, cancellationToken);
        }

        foreach (var command in environment.SetupCommands)
        {
            var result = await sandbox.RunAsync(command, _options.TestTimeout, cancellationToken, workspace);
            if (!result.Succeeded)
            {
                var why = result.TimedOut ? $"timed out after {_options.TestTimeout}" : $"failed with exit code {result.ExitCode}";
                return $"setup command `{command}` {why}: {BoundedOutput.Truncate(result.Output.Trim(), 2000)}";
            }
        }

        return null;
    }

    private static async Task<string> StoppedReasonAsync(SandboxContainer sandbox, PlannedAction planned, DockerConflictException e, CancellationToken cancellationToken)
    {
        var state = await sandbox.InspectAsync(cancellationToken);
        var why = state is null ? "it is gone"
            : state.State.OOMKilled ? "its main process was killed by the OOM killer"
            : $"it is {state.State.Status} (exit code {state.State.ExitCode})";
        return $"the sandbox stopped before step {planned.StepIndex} call {planned.CallIndex} could run: {why} ({e.DaemonMessage})";
    }

    /// <summary>The agent declared the task done: its finish reason says so, or its last turn called finish / submit.</summary>
    internal static bool AgentFinished(Trajectory trajectory) =>
        trajectory.Finish.Kind == FinishKind.Finished
        || (trajectory.Steps.Count > 0 && trajectory.Steps[^1].ToolCalls.Any(c => c.Name is "finish" or "submit"));

    private static string DefaultLabel(Trajectory trajectory)
    {
        var parts = new[] { trajectory.TaskId, trajectory.Run, trajectory.Model }.Where(p => !string.IsNullOrWhiteSpace(p)).ToArray();
        return parts.Length == 0 ? "unnamed" : string.Join('/', parts);
    }
}
