using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OverthinkService.Data;
using OverthinkService.IntegrationTests.Infrastructure;

namespace OverthinkService.IntegrationTests.Data;

/// <summary>Migrations that change what stored rows mean also fix the rows stored before them.</summary>
public sealed class DataMigrationTests
{
    private const string EmptyEvidence = "{}";

    [Fact]
    public async Task Rows_stored_before_are_brought_up_to_date_interactions_counted_and_judge_sub_scores_emptied()
    {
        await using var database = await TestDatabase.CreateAsync("interaction_count");
        var files = Samples.PaperFiles().Take(4).ToList();
        await using (var api = await ApiServer.StartAsync(database.ConnectionString))
        {
            foreach (var file in files)
            {
                using var posted = await api.Client.PostAsync($"/api/v1/trajectories?{file.Query}", new ByteArrayContent(await File.ReadAllBytesAsync(file.Path)));
                Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            }
        }

        await using var db = OverthinkDatabase.CreateContext(database.ConnectionString);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("20261201000000_PipelineEnvironmentsAudits");
        Assert.Equal(0, await db.Database.SqlQuery<int>(
            $"SELECT count(*)::int AS \"Value\" FROM information_schema.columns WHERE table_name = 'trajectories' AND column_name = 'interaction_count'").SingleAsync());

        // A judge score as the old schema stored it: zeros for the patterns it never measured.
        var judged = await db.Trajectories.Select(t => t.Id).FirstAsync();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO scores (trajectory_id, scorer_name, scorer_version, overall, analysis_paralysis, rogue_actions,
                                premature_disengagement, loop_longest_repeat, loop_repeated_actions, reason, evidence, created_at)
            VALUES ({judged}, 'llm-judge', 'm+p', 7, 0, 0, 0, 0, 0, 'judge', CAST({EmptyEvidence} AS jsonb), now())
            """);

        await migrator.MigrateAsync();
        var judge = await db.Scores.Where(s => s.ScorerName == "llm-judge")
            .Select(s => new { s.Overall, s.AnalysisParalysis, s.RogueActions, s.PrematureDisengagement }).SingleAsync();
        Assert.Equal((7.0, null, null, null), (judge.Overall, judge.AnalysisParalysis, judge.RogueActions, judge.PrematureDisengagement));
        var deterministic = await db.Scores.Where(s => s.ScorerName == "deterministic").Select(s => s.AnalysisParalysis).ToListAsync();
        Assert.Equal(files.Count, deterministic.Count);
        Assert.All(deterministic, ap => Assert.NotNull(ap));

        var counted = await db.Trajectories.OrderBy(t => t.TaskId).ThenBy(t => t.RunLabel)
            .Select(t => new { t.TaskId, t.RunLabel, t.InteractionCount }).ToListAsync();
        var expected = files.OrderBy(f => f.Task, StringComparer.Ordinal).ThenBy(f => f.Run, StringComparer.Ordinal)
            .Select(f => new { TaskId = f.Task, RunLabel = (string?)f.Run, InteractionCount = f.ExpectedInteractions() }).ToList();
        Assert.Equal(expected, counted);
        Assert.All(counted, c => Assert.True(c.InteractionCount > 0));
    }
}
