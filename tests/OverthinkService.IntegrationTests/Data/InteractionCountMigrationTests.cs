using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OverthinkService.Data;
using OverthinkService.IntegrationTests.Infrastructure;

namespace OverthinkService.IntegrationTests.Data;

/// <summary>The migration that adds <c>interaction_count</c> fills it in for trajectories stored before it.</summary>
public sealed class InteractionCountMigrationTests
{
    [Fact]
    public async Task Rows_stored_before_the_column_existed_get_their_interactions_counted_from_the_document()
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

        await migrator.MigrateAsync();
        var counted = await db.Trajectories.OrderBy(t => t.TaskId).ThenBy(t => t.RunLabel)
            .Select(t => new { t.TaskId, t.RunLabel, t.InteractionCount }).ToListAsync();
        var expected = files.OrderBy(f => f.Task, StringComparer.Ordinal).ThenBy(f => f.Run, StringComparer.Ordinal)
            .Select(f => new { TaskId = f.Task, RunLabel = (string?)f.Run, InteractionCount = f.ExpectedInteractions() }).ToList();
        Assert.Equal(expected, counted);
        Assert.All(counted, c => Assert.True(c.InteractionCount > 0));
    }
}
