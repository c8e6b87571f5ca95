using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OverthinkService.IntegrationTests.Infrastructure;

namespace OverthinkService.IntegrationTests.Api;

public sealed class HealthAndOpenApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Live_and_ready_answer_200_when_the_database_is_up_and_migrated()
    {
        using var live = await api.Client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        using var ready = await api.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal(["postgres", "quartz-schema", "schema"], report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).Order().ToArray());
    }

    [Fact]
    public async Task Ready_is_503_while_live_stays_200_when_the_database_cannot_be_reached()
    {
        // A port nothing listens on: the API must still start and say it is alive, but not ready.
        await using var server = await ApiServer.StartAsync(
            "Host=127.0.0.1;Port=1;Username=postgres;Database=nowhere;Timeout=2",
            new Dictionary<string, string?> { ["Database:ApplyMigrations"] = "false", ["Ingest:TempPath"] = api.TempPath });
        using var live = await server.Client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await server.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_openapi_document_lists_every_endpoint_with_an_operation_id_and_summary()
    {
        var document = await api.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        var expected = new Dictionary<string, string[]>
        {
            ["/api/v1/trajectories"] = ["get", "post"],
            ["/api/v1/trajectories/batch"] = ["post"],
            ["/api/v1/trajectories/{id}"] = ["get"],
            ["/api/v1/trajectories/{id}/scores"] = ["get"],
            ["/api/v1/trajectories/{id}/rescore"] = ["post"],
            ["/api/v1/tasks"] = ["get"],
            ["/api/v1/tasks/{taskId}/trajectories"] = ["get"],
            ["/api/v1/runs"] = ["get"],
            ["/api/v1/runs/import"] = ["post"],
            ["/api/v1/runs/imports/{id}"] = ["get"],
            ["/api/v1/trajectories/{id}/replays"] = ["get"],
            ["/api/v1/tasks/{taskId}/environment"] = ["get", "put", "delete"],
            ["/api/v1/tasks/{taskId}/environment/workspace"] = ["put", "delete"],
            ["/api/v1/tasks/{taskId}/replay"] = ["post"],
            ["/api/v1/tasks/{taskId}/selection"] = ["get"],
            ["/api/v1/experiments/lowest-overthinking"] = ["get"],
            ["/api/v1/jobs"] = ["get"],
            ["/api/v1/audits"] = ["get", "post"],
            ["/api/v1/audits/{id}"] = ["get", "put", "delete"],
            ["/api/v1/audits/{id}/run"] = ["post"],
            ["/api/v1/audits/{id}/runs"] = ["get"],
            ["/api/v1/audits/{id}/runs/{runId}"] = ["get"],
            ["/api/v1/overview"] = ["get"],
        };
        foreach (var (path, methods) in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} missing from the OpenAPI document");
            foreach (var method in methods)
            {
                Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path} missing");
                Assert.False(string.IsNullOrEmpty(operation.GetProperty("operationId").GetString()));
                Assert.False(string.IsNullOrEmpty(operation.GetProperty("summary").GetString()));
            }
        }

        var ingest = paths.GetProperty("/api/v1/trajectories").GetProperty("post");
        Assert.True(ingest.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        var parameters = ingest.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "format", "taskId", "model", "agent", "run", "resolved" }, parameters.ToHashSet());
    }
}
