using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OverthinkService.Benchmarks.Dashboard;

/// <summary>
/// Synthetic OpenAI-style transcripts for the dashboard load test: per (run, task) a different run of 3–24 turns,
/// some planning at length, some issuing several calls in one turn, some finishing right after an error — so the
/// stored scores spread over the scale. Deterministic (seeded by run and task), so every load is the same.
/// </summary>
internal static class SyntheticRuns
{
    private static readonly string[] Plans =
    [
        "First, I will read the module. Then I will write a fix. After that I will run the tests, and then I will also check the docs. ",
        "Let me think about this carefully. Perhaps the parser is wrong, or maybe the tokenizer; I could also rewrite both. Alternatively I might ",
        "I need to look at the failing test. ",
    ];

    /// <summary>One NDJSON line per task of run <paramref name="runIndex"/> that <paramref name="include"/> keeps (a batch carries one outcome hint).</summary>
    public static void WriteBatch(Stream output, string model, int runIndex, int tasks, Func<int, bool> include)
    {
        using var json = new Utf8JsonWriter(output);
        for (var task = 0; task < tasks; task++)
        {
            if (!include(task))
            {
                continue;
            }

            var random = new Random(HashCode.Combine(runIndex, task));
            json.Reset(output);
            json.WriteStartObject();
            json.WriteString("task_id", TaskId(task));
            json.WriteString("model", model);
            json.WriteStartArray("messages");
            Message(json, "user", $"Fix issue {task} in the repository: the parser drops the last field.");
            var steps = random.Next(3, 25);
            var style = random.Next(3);
            for (var step = 0; step < steps; step++)
            {
                var plan = new StringBuilder();
                for (var p = 0; p < (style == 0 ? random.Next(2, 12) : 1); p++)
                {
                    plan.Append(Plans[random.Next(Plans.Length)]);
                }

                var calls = style == 1 && random.Next(3) == 0 ? random.Next(2, 5) : 1;
                json.WriteStartObject();
                json.WriteString("role", "assistant");
                json.WriteString("content", plan.Append(CultureInfo.InvariantCulture, $"(step {step} of run {runIndex})").ToString());
                json.WriteStartArray("tool_calls");
                for (var c = 0; c < calls; c++)
                {
                    json.WriteStartObject();
                    json.WriteString("id", $"c{step}-{c}");
                    json.WriteString("type", "function");
                    json.WriteStartObject("function");
                    json.WriteString("name", "bash");
                    json.WriteString("arguments", JsonSerializer.Serialize(new { command = $"cd /workspace && python -m pytest tests/test_{task % 50}.py -k case{step}{c}" }));
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
                for (var c = 0; c < calls; c++)
                {
                    var failed = random.Next(4) == 0;
                    json.WriteStartObject();
                    json.WriteString("role", "tool");
                    json.WriteString("tool_call_id", $"c{step}-{c}");
                    json.WriteString("content", failed
                        ? $"Traceback (most recent call last):\n  File \"parser.py\", line {step + 10}\nValueError: bad field {task}\n"
                        : $"collected {step + 3} items\n{new string('.', step + 3)}\n{step + 3} passed in 0.{step}s\n");
                    json.WriteEndObject();
                }
            }

            Message(json, "assistant", style == 2 ? "The fix is done; it should work now." : "All tests pass; submitting the patch.");
            json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();
            output.WriteByte((byte)'\n');
        }
    }

    public static string TaskId(int task) => $"bench__parser-{task.ToString("D5", CultureInfo.InvariantCulture)}";

    private static void Message(Utf8JsonWriter json, string role, string content)
    {
        json.WriteStartObject();
        json.WriteString("role", role);
        json.WriteString("content", content);
        json.WriteEndObject();
    }
}
