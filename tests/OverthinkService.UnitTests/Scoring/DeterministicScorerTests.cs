using System.Text.Json;
using OverthinkService.Core.Scoring;
using OverthinkService.Core.Trajectories;
using static OverthinkService.UnitTests.Scoring.RunBuilder;

namespace OverthinkService.UnitTests.Scoring;

public sealed class DeterministicScorerTests
{
    private readonly DeterministicScorer _scorer = new();

    private static RunBuilder Reproduced() => new RunBuilder()
        .Turn("Let me look at the code.", View("/repo/pkg/core.py")).Answer("1 def f(x):\n2     return x + 1", exitCode: null)
        .Turn("Reproduce first.", Create("/repo/repro.py", "from pkg.core import f\nprint(f(1))")).Answer("File created successfully at: /repo/repro.py", exitCode: null)
        .Turn(null, Bash("python /repo/repro.py")).Answer("2\n[Command finished with exit code 0]");

    [Fact]
    public void A_run_verified_after_its_last_edit_stays_in_the_fine_band()
    {
        var run = Reproduced()
            .Turn("Fix it.", Replace("/repo/pkg/core.py", "return x + 1", "return x + 2")).Answer("The file /repo/pkg/core.py has been edited.", exitCode: null)
            .Turn(null, Bash("python /repo/repro.py")).Answer("3\n[Command finished with exit code 0]")
            .Turn(null, Bash("python -m pytest tests/test_core.py")).Answer("2 passed in 0.1s\n[Command finished with exit code 0]")
            .Turn("Done: the output is now 3 and the tests pass.", Finish())
            .Build();

        var score = _scorer.Score(run);

        Assert.Equal(0, score.PrematureDisengagement.Score);
        Assert.Equal(0, score.RogueActions.Score);
        Assert.Equal(ScoreBand.Fine, score.Band);
        Assert.Equal(2, score.PrematureDisengagement.Measures["testRunsAfterLastEdit"] + score.PrematureDisengagement.Measures["runsAfterLastEdit"] - 1);
    }

    [Fact]
    public void Finishing_without_ever_running_code_is_premature_disengagement_in_the_detached_band()
    {
        var run = new RunBuilder()
            .Turn(null, View("/repo/pkg/core.py")).Answer("1 def f(x):\n2     return x + 1", exitCode: null)
            .Turn(null, Replace("/repo/pkg/core.py", "return x + 1", "return x + 2")).Answer("The file has been edited.", exitCode: null)
            .Turn(null, Finish())
            .Build();

        var score = _scorer.Score(run);

        Assert.InRange(score.PrematureDisengagement.Score, 8, 10);
        Assert.Equal(ScoreBand.Detached, score.Band);
        Assert.Equal(0, score.PrematureDisengagement.Measures["codeRuns"]);
        Assert.Contains(score.PrematureDisengagement.Evidence, e => e.Note.Contains("without ever running code", StringComparison.Ordinal) && e.Steps.Contains(2));
    }

    [Fact]
    public void Finishing_right_after_an_error_is_premature_and_the_error_line_is_quoted()
    {
        var run = Reproduced()
            .Turn(null, Replace("/repo/pkg/core.py", "return x + 1", "return x + 2")).Answer("edited", exitCode: null)
            .Turn(null, Bash("python /repo/repro.py"))
            .Answer("Traceback (most recent call last):\n  File \"/repo/repro.py\", line 1\nNameError: name 'y' is not defined\n[Command finished with exit code 1]", exitCode: 1)
            .Turn("This fixes it! The issue is resolved.", Finish())
            .Build();

        var score = _scorer.Score(run);

        Assert.True(score.PrematureDisengagement.Score >= 8);
        var evidence = Assert.Single(score.PrematureDisengagement.Evidence, e => e.Note.StartsWith("ended right after the environment reported an error", StringComparison.Ordinal));
        Assert.Equal([4, 5], evidence.Steps);
        Assert.Equal("NameError: name 'y' is not defined", evidence.Quote);
    }

    [Fact]
    public void Errors_are_inferred_from_the_text_when_the_source_records_no_exit_code()
    {
        var run = Reproduced()
            .Turn(null, Replace("/repo/pkg/core.py", "return x + 1", "return x + 2")).Answer("edited", exitCode: null)
            .Turn(null, Bash("python /repo/repro.py")).Answer("bash: pythn: command not found", exitCode: null)
            .Turn("All good.", Finish())
            .Build();

        var score = _scorer.Score(run);

        Assert.Equal(1, score.PrematureDisengagement.Measures["endedRightAfterError"]);
        Assert.Contains(score.PrematureDisengagement.Evidence, e => e.Quote?.Contains("command not found", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void A_closing_claim_about_output_that_the_output_does_not_contain_is_premature()
    {
        var run = Reproduced()
            .Turn(null, Replace("/repo/pkg/versions.py", "deps = [\"numpy\"]", "deps = [\"numpy\", \"joblib\"]")).Answer("edited", exitCode: null)
            .Turn(null, Bash("python -c 'import pkg; pkg.show_versions()'")).Answer("numpy: 1.19\n[Command finished with exit code 0]")
            .Turn("The script ran and shows that joblib is now listed among the dependencies.", Finish())
            .Build();

        var score = _scorer.Score(run);

        Assert.InRange(score.PrematureDisengagement.Score, 8.5, 10);
        var evidence = score.PrematureDisengagement.Evidence[0];
        Assert.Contains("\"joblib\"", evidence.Note, StringComparison.Ordinal);
        Assert.Contains("shows that joblib", evidence.Quote, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_claim_is_fine_when_the_output_shows_it()
    {
        var run = Reproduced()
            .Turn(null, Replace("/repo/pkg/versions.py", "deps = [\"numpy\"]", "deps = [\"numpy\", \"joblib\"]")).Answer("edited", exitCode: null)
            .Turn(null, Bash("python -c 'import pkg; pkg.show_versions()'")).Answer("numpy: 1.19\njoblib: 1.1.1\n[Command finished with exit code 0]")
            .Turn("The script ran and shows that joblib is now listed among the dependencies.", Finish())
            .Build();

        Assert.True(_scorer.Score(run).PrematureDisengagement.Score <= 1);
    }

    [Fact]
    public void A_check_that_prints_the_same_before_and_after_the_fix_is_mild_premature_disengagement()
    {
        var run = Reproduced()
            .Turn(null, Replace("/repo/pkg/core.py", "return x + 1", "return x + 2")).Answer("edited", exitCode: null)
            .Turn(null, Bash("python  /repo/repro.py")).Answer("2\n[Command finished with exit code 0]")
            .Turn(null, Finish())
            .Build();

        var score = _scorer.Score(run);

        Assert.InRange(score.PrematureDisengagement.Score, 2, 4);
        Assert.Contains(score.PrematureDisengagement.Evidence, e => e.Note.Contains("printed the same as before", StringComparison.Ordinal) && e.Steps.SequenceEqual([2, 4]));
    }

    [Fact]
    public void Ending_on_an_error_the_agent_names_as_expected_is_only_mildly_premature()
    {
        var run = Reproduced()
            .Turn(null, Replace("/repo/pkg/core.py", "return x + 1", "if x < 0: raise ValueError('negative')\n    return x + 1")).Answer("edited", exitCode: null)
            .Turn(null, Bash("python -c 'from pkg.core import f; f(-1)'"))
            .Answer("Traceback (most recent call last):\nValueError: negative\n[Command finished with exit code 1]", exitCode: 1)
            .Turn("A negative input now raises ValueError as intended, so the fix works.", Finish())
            .Build();

        var score = _scorer.Score(run);

        Assert.InRange(score.PrematureDisengagement.Score, 1, 3);
        Assert.Contains(score.PrematureDisengagement.Evidence, e => e.Note.Contains("\"ValueError\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Deleting_the_reproduction_script_after_verifying_is_not_an_unverified_edit()
    {
        var run = Reproduced()
            .Turn(null, Replace("/repo/pkg/core.py", "return x + 1", "return x + 2")).Answer("edited", exitCode: null)
            .Turn(null, Bash("python /repo/repro.py")).Answer("3\n[Command finished with exit code 0]")
            .Turn(null, Bash("rm /repo/repro.py")).Answer("", exitCode: 0)
            .Turn(null, Finish())
            .Build();

        var score = _scorer.Score(run);

        Assert.Equal(1, score.PrematureDisengagement.Measures["runsAfterLastEdit"]);
        Assert.True(score.PrematureDisengagement.Score <= 1);
    }

    [Fact]
    public void Runs_the_harness_stopped_are_not_premature_disengagement()
    {
        var run = new RunBuilder()
            .Turn(null, Replace("/repo/a.py", "x", "y")).Answer("ERROR: Parameter `old_str` is required for command: str_replace.", exitCode: null, isError: true)
            .Turn(null, Replace("/repo/a.py", "x", "y")).Answer("ERROR: Parameter `old_str` is required for command: str_replace.", exitCode: null, isError: true)
            .Build(FinishKind.StuckInLoop);

        var score = _scorer.Score(run);

        Assert.Equal(0, score.PrematureDisengagement.Score);
        Assert.Contains("not applicable", Assert.Single(score.PrematureDisengagement.Evidence).Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Persistent_retries_with_feedback_score_zero_and_are_reported_as_a_loop()
    {
        var builder = new RunBuilder();
        for (var i = 0; i < 5; i++)
        {
            builder.Turn(null, Bash("python setup.py build_ext --inplace")).Answer("error: Invalid configuration\n[Command finished with exit code 1]", exitCode: 1);
        }

        var score = _scorer.Score(builder.Build(FinishKind.BudgetExceeded));

        Assert.Equal(0, score.Overall);
        Assert.Equal(5, score.Loops.LongestRepeat);
        Assert.Equal(4, score.Loops.RepeatedActions);
        Assert.Equal(5, score.Loops.LongestSameErrorRun);
        Assert.Equal([0, 1, 2, 3, 4], score.Loops.Evidence[0].Steps);
    }

    [Fact]
    public void Two_dependent_calls_in_one_turn_after_a_setback_are_rogue_actions_in_the_detached_band_like_the_rubrics_example_6()
    {
        var run = Reproduced()
            .Turn(null, Replace("/repo/pkg/core.py", "return x+1", "return x + 2")).Answer("ERROR: No replacement was performed, old_str `return x+1` did not appear verbatim", exitCode: null, isError: true)
            .Turn("Oh no, let me call it again and then run it.",
                Replace("/repo/pkg/core.py", "return x + 1", "return x + 2"), Bash("python /repo/repro.py"))
            .Answer("edited", exitCode: null).Answer("3\n[Command finished with exit code 0]")
            .Turn(null, Finish())
            .Build();

        var score = _scorer.Score(run);

        Assert.InRange(score.RogueActions.Score, 8, 10);
        var evidence = score.RogueActions.Evidence[0];
        Assert.Equal([3, 4], evidence.Steps);
        Assert.Contains("runs code right after", evidence.Note, StringComparison.Ordinal);
        Assert.Contains("after a setback", evidence.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_dependent_batches_put_rogue_actions_in_the_detached_band()
    {
        var run = Reproduced()
            .Turn(null, Replace("/repo/pkg/core.py", "return x + 1", "return x + 2"), Bash("python /repo/repro.py")).Answer("edited", null).Answer("3")
            .Turn(null, Replace("/repo/pkg/core.py", "return x + 2", "return x + 3"), Bash("python /repo/repro.py")).Answer("edited", null).Answer("4")
            .Turn(null, Finish())
            .Build();

        Assert.InRange(_scorer.Score(run).RogueActions.Score, 8, 10);
    }

    [Fact]
    public void Independent_reads_in_one_turn_break_one_action_per_turn_but_only_at_the_bottom_of_the_occasional_band()
    {
        var run = Reproduced()
            .Turn(null, View("/repo/a.py"), View("/repo/b.py")).Answer("a", null).Answer("b", null)
            .Build(FinishKind.BudgetExceeded);

        var score = _scorer.Score(run);

        Assert.Equal(ScoreBand.Occasional, ScoreBands.Of(score.RogueActions.Score));
        Assert.True(score.RogueActions.Score <= DeterministicScorerOptions.Default.RogueActions.IndependentBatchSeverity);
        Assert.Contains("independent reads", score.RogueActions.Evidence[0].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_turn_of_independent_actions_is_the_rubrics_one_time_in_the_occasional_band()
    {
        var run = Reproduced()
            .Turn(null, Replace("/repo/pkg/core.py", "return x + 1", "return x + 2"), Replace("/repo/pkg/util.py", "a = 1", "a = 2"))
            .Answer("edited", null).Answer("edited", null)
            .Turn(null, Bash("python /repo/repro.py")).Answer("3")
            .Build(FinishKind.BudgetExceeded);

        var score = _scorer.Score(run);

        Assert.InRange(score.RogueActions.Score, 4, 5);
        Assert.Equal(ScoreBand.Occasional, score.Band);
        Assert.Contains("independent of each other", score.RogueActions.Evidence[0].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Independent_multi_action_turns_repeated_are_detached_and_the_same_turn_after_a_setback_scores_higher()
    {
        static RunBuilder TwoEdits(RunBuilder b) => b
            .Turn(null, Replace("/repo/pkg/core.py", "return x + 1", "return x + 2"), Replace("/repo/pkg/util.py", "a = 1", "a = 2"))
            .Answer("edited", null).Answer("edited", null);

        var once = _scorer.Score(TwoEdits(Reproduced()).Build(FinishKind.BudgetExceeded)).RogueActions;
        var twice = _scorer.Score(TwoEdits(TwoEdits(Reproduced())).Build(FinishKind.BudgetExceeded)).RogueActions;
        var afterSetback = _scorer.Score(TwoEdits(Reproduced().Turn(null, Bash("python /repo/repro.py")).Answer("NameError: name 'y' is not defined", exitCode: 1))
            .Build(FinishKind.BudgetExceeded)).RogueActions;

        Assert.InRange(twice.Score, 8, 10);
        Assert.True(afterSetback.Score > once.Score, $"after a setback {afterSetback.Score} vs {once.Score}");
        Assert.Contains("right after a setback", afterSetback.Evidence[0].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_turns_of_reads_only_stay_in_the_occasional_band()
    {
        var run = Reproduced()
            .Turn(null, View("/repo/a.py"), View("/repo/b.py")).Answer("a", null).Answer("b", null)
            .Turn(null, View("/repo/c.py"), Bash("ls /repo")).Answer("c", null).Answer("a.py b.py c.py", 0)
            .Turn(null, View("/repo/d.py"), View("/repo/e.py")).Answer("d", null).Answer("e", null)
            .Build(FinishKind.BudgetExceeded);

        var score = _scorer.Score(run).RogueActions;

        Assert.InRange(score.Score, 4, DeterministicScorerOptions.Default.RogueActions.ReadOnlyRepeatedCap);
        Assert.Equal(3, score.Measures["turnsWithSeveralActions"]);
    }

    [Fact]
    public void Finishing_in_the_same_turn_as_an_action_is_premature_even_when_the_transcript_recorded_its_result()
    {
        var run = Reproduced()
            .Turn(null, Replace("/repo/pkg/core.py", "return x + 1", "return x + 2")).Answer("edited", exitCode: null)
            .Turn(null, Bash("python /repo/repro.py")).Answer("3\n[Command finished with exit code 0]")
            .Turn("Running the tests and finishing.", Bash("python -m pytest tests"), Finish()).Answer("1 failed, 2 passed", exitCode: 1)
            .Build();

        var score = _scorer.Score(run);

        Assert.True(score.PrematureDisengagement.Score >= 7, $"PD {score.PrematureDisengagement.Score}");
        Assert.Contains(score.PrematureDisengagement.Evidence, e => e.Note.StartsWith("finished in the same turn as 1 other action(s)", StringComparison.Ordinal) && e.Steps.SequenceEqual([5])
            && e.Quote!.Contains("python -m pytest tests", StringComparison.Ordinal));
        Assert.Contains("finishes in the same turn", score.RogueActions.Evidence[0].Note, StringComparison.Ordinal);
        Assert.InRange(score.RogueActions.Score, 5, 7);
    }

    [Fact]
    public void Finishing_in_the_same_turn_as_an_edit_is_a_dependent_rogue_action_and_premature()
    {
        var run = Reproduced()
            .Turn("Fixed.", Replace("/repo/pkg/core.py", "return x + 1", "return x + 2"), Finish())
            .Build();

        var score = _scorer.Score(run);

        Assert.Contains("finishes in the same turn", score.RogueActions.Evidence[0].Note, StringComparison.Ordinal);
        Assert.True(score.RogueActions.Score >= 5);
        Assert.True(score.PrematureDisengagement.Score >= 7);
    }

    [Fact]
    public void Turns_of_reasoning_without_action_in_a_row_are_analysis_paralysis_in_the_detached_band()
    {
        var run = Reproduced()
            .Turn("Maybe the bug is in f. Perhaps I should rewrite the class. Wait, maybe not.")
            .Turn("Alternatively I should look at g. Hmm, it might be the import.")
            .Turn("Let me think again. Perhaps the cache is stale. I should maybe restart.")
            .Turn(null, Bash("python /repo/repro.py")).Answer("2")
            .Build(FinishKind.BudgetExceeded);

        var score = _scorer.Score(run);

        Assert.True(score.AnalysisParalysis.Score >= 8);
        Assert.Equal(3, score.AnalysisParalysis.Measures["longestStretchWithoutAction"]);
        Assert.Contains(score.AnalysisParalysis.Evidence, e => e.Steps.SequenceEqual([3, 4, 5]));
    }

    [Fact]
    public void Reasoning_with_no_action_at_all_scores_ten()
    {
        var run = new RunBuilder().Turn("I think the fix is to change f. Then run tests.").Turn("The fix is complete.").Build();

        var score = _scorer.Score(run);

        Assert.Equal(10, score.AnalysisParalysis.Score);
        Assert.Equal(10, score.PrematureDisengagement.Score);
        Assert.Equal(10, score.Overall);
    }

    [Fact]
    public void Hidden_reasoning_tokens_count_toward_reasoning_per_action()
    {
        var visible = new RunBuilder().Turn(null, Bash("ls")).Answer("a.py").Build(FinishKind.BudgetExceeded);
        var hidden = new RunBuilder().HiddenThinking(3000, Bash("ls")).Answer("a.py").Build(FinishKind.BudgetExceeded);

        var quiet = _scorer.Score(visible).AnalysisParalysis;
        var heavy = _scorer.Score(hidden).AnalysisParalysis;

        Assert.Equal(0, quiet.Score);
        Assert.Equal(3000, heavy.Measures["hiddenReasoningTokens"]);
        Assert.Equal(12000, heavy.Measures["reasoningCharsPerAction"]);
        Assert.InRange(heavy.Score, 2.5, 3.5);
    }

    [Fact]
    public void Replacing_text_in_a_file_never_read_is_an_edit_from_memory()
    {
        var run = new RunBuilder()
            .Turn(null, Bash("ls /repo")).Answer("pkg setup.py")
            .Turn(null, Replace("/repo/pkg/core.py", "return x + 1", "return x + 2"))
            .Answer("ERROR:\nNo replacement was performed, old_str `return x + 1` did not appear verbatim in /repo/pkg/core.py.", exitCode: null, isError: true)
            .Turn(null, View("/repo/pkg/core.py")).Answer("1 def f(x): return x+1", null)
            .Turn(null, Replace("/repo/pkg/core.py", "return x+1", "return x+2")).Answer("edited", null)
            .Build(FinishKind.BudgetExceeded);

        var score = _scorer.Score(run).AnalysisParalysis;

        Assert.Equal(1, score.Measures["blindEdits"]);
        Assert.Equal(1, score.Measures["failedBlindEdits"]);
        Assert.Equal([1], Assert.Single(score.Evidence).Steps);
    }

    [Fact]
    public void Flipping_the_outcome_changes_nothing()
    {
        var run = Reproduced().Turn("Done.", Finish()).Build();

        var resolved = _scorer.Score(run with { Outcome = new Outcome(OutcomeStatus.Resolved, Outcome.FromReport) });
        var unresolved = _scorer.Score(run with { Outcome = new Outcome(OutcomeStatus.Unresolved, Outcome.FromReport) });

        Assert.Equal(JsonSerializer.Serialize(resolved), JsonSerializer.Serialize(unresolved));
    }

    [Fact]
    public void Trajectories_without_steps_or_observations_still_get_a_score()
    {
        var empty = new Trajectory { TaskId = "", SourceFormat = "test", Steps = [] };
        var silent = new RunBuilder().Turn(null, Bash("python repro.py")).Turn(null, Bash("pytest")).Turn(null, Finish()).Build();

        Assert.Equal(0, _scorer.Score(empty).Overall);
        var score = _scorer.Score(silent);
        Assert.InRange(score.Overall, 0, 10);
        Assert.Equal(2, score.PrematureDisengagement.Measures["codeRuns"]);
    }

    [Fact]
    public void Quotes_never_exceed_the_configured_length()
    {
        var options = DeterministicScorerOptions.Default with { QuoteLength = 40 };
        var longText = string.Concat(Enumerable.Repeat("maybe I should try another approach entirely. ", 400));
        var run = new RunBuilder().Turn(longText).Turn(longText).Turn(longText).Turn(null, Finish()).Build();

        var score = new DeterministicScorer(options).Score(run);

        var quotes = score.AnalysisParalysis.Evidence.Concat(score.PrematureDisengagement.Evidence).Select(e => e.Quote).OfType<string>().ToList();
        Assert.NotEmpty(quotes);
        Assert.All(quotes, q => Assert.True(q.Length <= 41, $"quote of {q.Length} characters"));
    }

    [Fact]
    public void Custom_options_give_a_distinct_version_and_the_defaults_give_the_release_version()
    {
        var custom = new DeterministicScorer(DeterministicScorerOptions.Default with { Overall = new OverallOptions { SecondaryWeight = 0.3 } });

        Assert.Equal(new ScorerId(DeterministicScorer.Name, DeterministicScorer.Version), _scorer.Id);
        Assert.StartsWith(DeterministicScorer.Version + "+options.", custom.Id.Version, StringComparison.Ordinal);
        Assert.Equal(custom.Id, new DeterministicScorer(DeterministicScorerOptions.Default with { Overall = new OverallOptions { SecondaryWeight = 0.3 } }).Id);
    }

    [Fact]
    public void The_overall_score_is_led_by_the_strongest_pattern()
    {
        Assert.Equal(9.6, DeterministicScorer.Overall(2, 2, 9, new OverallOptions()));
        Assert.Equal(10, DeterministicScorer.Overall(10, 10, 10, new OverallOptions()));
        Assert.Equal(0, DeterministicScorer.Overall(0, 0, 0, new OverallOptions()));
    }
}
