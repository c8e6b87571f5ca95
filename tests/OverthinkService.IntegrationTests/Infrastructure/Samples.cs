using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OverthinkService.Tests;

namespace OverthinkService.IntegrationTests.Infrastructure;

/// <summary>Inputs for the API tests: the real paper trajectories, and small synthetic ones where many distinct documents are needed.</summary>
internal static class Samples
{
    public sealed record PaperFile(string Run, string Task, string Path)
    {
        public string Model => Run[..Run.IndexOf("_maxiter", StringComparison.Ordinal)];

        public string Query => $"taskId={Uri.EscapeDataString(Task)}&model={Uri.EscapeDataString(Model)}&run={Uri.EscapeDataString(Run)}";

        /// <summary>Interactions in the file, plus one for a non-empty final response: the steps the paper format yields.</summary>
        public int ExpectedSteps()
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(Path));
            var interactions = doc.RootElement.GetProperty("interactions").GetArrayLength();
            var final = doc.RootElement.TryGetProperty("final_response", out var f) && f.ValueKind == JsonValueKind.String
                        && !string.IsNullOrWhiteSpace(f.GetString());
            return interactions + (final ? 1 : 0);
        }

        /// <summary>The file's <c>interactions</c> that carry an observation: environment interactions.</summary>
        public int ExpectedInteractions()
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(Path));
            return doc.RootElement.GetProperty("interactions").EnumerateArray()
                .Count(i => i.TryGetProperty("observation", out var o) && o.ValueKind == JsonValueKind.String && o.GetString()!.Length > 0);
        }

        /// <summary>The file on one line (for NDJSON).</summary>
        public string OneLine() => JsonNode.Parse(File.ReadAllText(Path))!.ToJsonString();
    }

    public static IReadOnlyList<PaperFile> PaperFiles() =>
        SharedData.PaperTrajectories().Select(t => new PaperFile(t.Run, t.Task, t.Path)).ToList();

    /// <summary>A small valid paper-format document whose content (so hash) depends on <paramref name="seed"/>.</summary>
    public static string SyntheticPaper(int seed, int interactions = 2)
    {
        var doc = new JsonObject
        {
            ["initial_issue"] = $"Issue number {seed.ToString(CultureInfo.InvariantCulture)}: the parser drops the last line.",
            ["interactions"] = new JsonArray(Enumerable.Range(0, interactions).Select(i => (JsonNode)new JsonObject
            {
                ["response"] = $"Let me look at the file.\n<function=execute_bash>\n<parameter=command>\ncat parser_{seed}_{i}.py\n</parameter>\n</function>",
                ["observation"] = $"EXECUTION RESULT of [execute_bash]:\nline {i}\n[Command finished with exit code 0]",
            }).ToArray()),
            ["final_response"] = "The fix is in place.",
            ["final_finish_reason"] = "FINISHED_WITH_STOP_ACTION",
        };
        return doc.ToJsonString();
    }
}
