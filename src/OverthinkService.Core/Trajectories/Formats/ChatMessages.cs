using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace OverthinkService.Core.Trajectories.Formats;

/// <summary>What the two chat-transcript adapters share: finding the message list and sniffing which dialect it is.</summary>
internal static class ChatMessages
{
    /// <summary>The message array (<c>{"messages": [...]}</c> or a bare array) and the JSON path it sits at.</summary>
    public static (JsonElement Messages, string Path)? Find(JsonElement root) => root.ValueKind switch
    {
        JsonValueKind.Array => (root, "$"),
        JsonValueKind.Object when root.Arr("messages") is { } messages => (messages, "$.messages"),
        _ => null,
    };

    /// <summary>Root-level marks of formats that also carry a <c>messages</c> list but are more than a chat transcript.</summary>
    public static bool IsAgentHarnessDocument(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object
        && (root.Has("trajectory_format") || root.At("info", "mini_version") is not null || root.Has("schema_version")
            || root.Has("interactions") || root.Has("history") || root.Has("trajectory"));

    /// <summary>
    /// The checks both chat adapters make before they look at their own dialect: a message list, well formed,
    /// with an assistant, not an agent harness's document, and none of the other dialect's marks. Returns the
    /// sniffed dialect, or the failed match (with what was missing) when any check fails.
    /// </summary>
    public static bool TryMatchTranscript(
        JsonElement root, string expectedMessages, Func<Dialect, int> otherMarks, string otherMarksMissing,
        [NotNullWhen(true)] out Dialect? dialect, [NotNullWhen(false)] out FormatMatch? failed)
    {
        dialect = null;
        if (Find(root) is not var (messages, _))
        {
            failed = FormatMatch.No(expectedMessages);
            return false;
        }

        var sniffed = Sniff(messages);
        var missing = new List<string>();
        if (!sniffed.WellFormed)
        {
            missing.Add("every message an object with a role");
        }

        if (sniffed.Assistant == 0)
        {
            missing.Add("at least one assistant message");
        }

        if (IsAgentHarnessDocument(root))
        {
            missing.Add("a plain transcript (this document has an agent harness's top-level fields)");
        }

        var foreign = otherMarks(sniffed);
        if (foreign > 0)
        {
            missing.Add(otherMarksMissing);
        }

        if (missing.Count == 0)
        {
            dialect = sniffed;
            failed = null;
            return true;
        }

        // A harness document with a messages list reads fine as chat; the other dialect's tool calls do not.
        failed = new FormatMatch(missing.Count == 1 && sniffed.Assistant > 0 && foreign == 0 ? 0.3 : 0, missing);
        return false;
    }

    public static Dialect Sniff(JsonElement messages)
    {
        var dialect = new Dialect();
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                dialect.NonObjects++;
                continue;
            }

            var role = message.Str("role");
            if (role is null)
            {
                dialect.WithoutRole++;
                continue;
            }

            if (role == "assistant")
            {
                dialect.Assistant++;
            }

            if (role is "tool" or "function" || message.Has("tool_calls") || message.Has("function_call")
                || message.Has("tool_call_id") || message.Has("reasoning_content"))
            {
                dialect.OpenAiMarks++;
            }

            if (message.Arr("content") is { } blocks)
            {
                foreach (var block in blocks.EnumerateArray())
                {
                    if (block.Str("type") is "tool_use" or "tool_result" or "thinking" or "redacted_thinking")
                    {
                        dialect.AnthropicMarks++;
                    }
                    else if (block.Str("type") is "image_url" or "input_audio")
                    {
                        dialect.OpenAiMarks++;
                    }
                }
            }
        }

        return dialect;
    }

    internal sealed class Dialect
    {
        public int Assistant { get; set; }

        public int NonObjects { get; set; }

        public int WithoutRole { get; set; }

        public int OpenAiMarks { get; set; }

        public int AnthropicMarks { get; set; }

        public bool WellFormed => NonObjects == 0 && WithoutRole == 0;
    }
}
