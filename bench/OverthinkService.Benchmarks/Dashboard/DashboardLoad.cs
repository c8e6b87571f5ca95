using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OverthinkService.Api.Hosting;
using OverthinkService.Data;

namespace OverthinkService.Benchmarks.Dashboard;

/// <summary>
/// <c>dotnet run -c Release --project bench/OverthinkService.Benchmarks -- dashboard "Host=...;Username=postgres" [trajectories] [requests]</c>:
/// a database of its own (created, dropped at the end unless --keep), the real API in this process, N synthetic
/// trajectories stored through the real ingest (<c>POST /api/v1/trajectories/batch</c>, scored as they arrive), then
/// every dashboard page requested in turn, timed from the first byte sent to the last byte read; median and p95 per
/// page, and the ratio to <c>/health/live</c> timed in the same loop (a request that touches no data).
/// </summary>
internal static class DashboardLoad
{
    private static readonly string[] Models = ["o1-low", "o1-high", "claude-3-5-sonnet", "deepseek-r1", "gpt-4o"];

    public static async Task<int> RunAsync(string[] args)
    {
        var connection = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("OVERTHINK_BENCH_POSTGRES")
            ?? throw new ArgumentException("Pass a PostgreSQL connection string (or set OVERTHINK_BENCH_POSTGRES), e.g. \"Host=127.0.0.1;Port=55432;Username=postgres\".");
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var requests = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
        var keep = args.Contains("--keep");
        var database = "overthink_bench_dashboard";

        var builder = new NpgsqlConnectionStringBuilder(connection) { Database = "postgres" };
        await using (var admin = new NpgsqlConnection(builder.ConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE); CREATE DATABASE {database}", admin);
            await drop.ExecuteNonQueryAsync();
        }

        builder.Database = database;
        var app = ApiHost.Build([$"--urls=http://127.0.0.1:0", $"--ConnectionStrings:Overthink={builder.ConnectionString}", "--Database:ApplyMigrations=true", "--Logging:LogLevel:Default=Warning"]);
        await app.ApplyMigrationsIfConfiguredAsync();
        await app.StartAsync();
        try
        {
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(30) };
            await SeedAsync(client, count);
            await MeasureAsync(client, requests);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            if (!keep)
            {
                NpgsqlConnection.ClearAllPools();
                builder.Database = "postgres";
                await using var admin = new NpgsqlConnection(builder.ConnectionString);
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }
        }

        return 0;
    }

    /// <summary>One run per model over count / 5 tasks; each run's tasks in two batches (resolved and not), so outcomes vary.</summary>
    private static async Task SeedAsync(HttpClient client, int count)
    {
        var tasks = Math.Max(1, count / Models.Length);
        var clock = Stopwatch.StartNew();
        for (var r = 0; r < Models.Length; r++)
        {
            var run = $"{Models[r]}_maxiter_30_bench-run_{r + 1}";
            foreach (var resolved in new[] { true, false })
            {
                // Stronger runs resolve more tasks: 45 % for the first, 25 % for the last.
                var share = 45 - (r * 5);
                bool Resolved(int task) => (HashCode.Combine(r, task, "resolved") & 0x7fffffff) % 100 < share;
                using var body = new MemoryStream();
                SyntheticRuns.WriteBatch(body, Models[r], r, tasks, task => Resolved(task) == resolved);
                body.Position = 0;
                using var content = new StreamContent(body);
                content.Headers.ContentType = new("application/x-ndjson");
                using var response = await client.PostAsync(
                    $"/api/v1/trajectories/batch?run={Uri.EscapeDataString(run)}&resolved={(resolved ? "true" : "false")}", content);
                response.EnsureSuccessStatusCode();
                var failed = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                    .Count(line => JsonDocument.Parse(line).RootElement.GetProperty("status").GetInt32() >= 400);
                if (failed > 0)
                {
                    throw new InvalidOperationException($"{failed} synthetic trajectories of {run} were refused");
                }
            }

            Console.WriteLine($"seeded {run}: {tasks} trajectories ({clock.Elapsed.TotalSeconds:0} s so far)");
        }
    }

    private static async Task MeasureAsync(HttpClient client, int requests)
    {
        var overview = await client.GetFromJsonAsync<JsonElement>("/api/v1/overview");
        var some = await client.GetFromJsonAsync<JsonElement>("/api/v1/trajectories?limit=1");
        var id = some.GetProperty("items")[0].GetProperty("id").GetString();
        var model = Models[0];
        var task = SyntheticRuns.TaskId(7);
        Console.WriteLine($"stored: {overview.GetProperty("trajectories")} trajectories, {overview.GetProperty("tasks")} tasks, {overview.GetProperty("runs")} runs");

        string[] paths =
        [
            "/health/live",
            "/api/v1/overview",
            "/api/v1/trajectories?limit=50",
            "/api/v1/runs",
            "/api/v1/experiments/lowest-overthinking?k=2",
            "/",
            "/trajectories",
            "/trajectories?sort=overall&dir=desc",
            "/trajectories?sort=cost&dir=asc&page=150",
            "/trajectories?sort=ap&dir=desc&page=40",
            $"/trajectories?model={model}&minScore=2&maxScore=8&pattern=ap&sort=steps",
            "/tasks",
            "/tasks?sort=mean&dir=desc&page=20",
            $"/tasks/{task}",
            $"/trajectories/{id}",
            "/runs",
            "/experiment?k=2",
            "/audits",
        ];
        var timings = paths.ToDictionary(p => p, _ => new List<double>());
        foreach (var path in paths)
        {
            (await client.GetAsync(path)).EnsureSuccessStatusCode(); // warm-up: JIT, plans, pools
        }

        for (var i = 0; i < requests; i++)
        {
            foreach (var path in paths)
            {
                var clock = Stopwatch.StartNew();
                using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead);
                response.EnsureSuccessStatusCode();
                timings[path].Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        var baseline = Median(timings["/health/live"]);
        Console.WriteLine();
        Console.WriteLine($"| page | median ms | p95 ms | max ms | median / /health/live |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (path, values) in timings)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| `{path}` | {Median(values):0.0} | {Percentile(values, 0.95):0.0} | {values.Max():0.0} | {Median(values) / baseline:0}× |"));
        }
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
