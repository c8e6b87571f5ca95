using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OverthinkService.IntegrationTests.Infrastructure;

namespace OverthinkService.IntegrationTests.Api;

/// <summary>Every real trajectory of the shared data set, posted as a client would, in a database of its own.</summary>
public sealed class RealTrajectoryTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Every_real_trajectory_is_created_once_then_recognised_with_the_same_id_and_its_steps_and_interactions_counted()
    {
        var files = Samples.PaperFiles();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file.Path);
            using var first = await api.Client.PostAsync($"/api/v1/trajectories?{file.Query}", new ByteArrayContent(bytes));
            var created = await first.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(first.StatusCode == HttpStatusCode.Created, $"{file.Path}: {(int)first.StatusCode} {created}");
            var id = created.GetProperty("id").GetGuid();
            Assert.Equal($"/api/v1/trajectories/{id}", first.Headers.Location?.OriginalString);
            Assert.Equal(file.ExpectedSteps(), created.GetProperty("stepCount").GetInt32());
            Assert.Equal(file.ExpectedInteractions(), created.GetProperty("interactionCount").GetInt32());
            Assert.Equal(file.Task, created.GetProperty("taskId").GetString());
            Assert.Equal(file.Model, created.GetProperty("model").GetString());
            Assert.Equal(file.Run, created.GetProperty("run").GetString());
            Assert.Equal("paper", created.GetProperty("sourceFormat").GetString());

            using var again = await api.Client.PostAsync($"/api/v1/trajectories?{file.Query}", new ByteArrayContent(bytes));
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            var repeated = await again.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(id, repeated.GetProperty("id").GetGuid());
        }

        await using var db = api.NewDb();
        Assert.Equal(files.Count, await db.Trajectories.CountAsync());
    }
}
