using System.Text.Json;

namespace OverthinkService.Core.Trajectories.Formats;

/// <summary>
/// A plain OpenAI-style chat transcript: <c>{"messages": [...]}</c> or a bare array of messages. Assistant
/// messages carry <c>tool_calls[{id, function:{name, arguments}}]</c> (arguments a JSON string) and, from
/// DeepSeek-style APIs, <c>reasoning_content</c> (or <c>reasoning</c>); tool results come back as
/// <c>tool</c> messages with <c>tool_call_id</c>. Optional top-level <c>model</c>, <c>usage</c>, <c>finish_reason</c>.
/// </summary>
public sealed class OpenAiChatFormat : ITrajectoryFormat
{
    public const string FormatId = "openai-chat";

    public string Id => FormatId;

    public string Description =>
        "OpenAI-style chat transcript ({messages:[...]} or a bare array; assistant tool_calls, reasoning_content, tool messages with tool_call_id)";

    public FormatMatch Match(JsonElement root)
    {
        if (!ChatMessages.TryMatchTranscript(
            root, "messages (array of {role, content})", d => d.AnthropicMarks, "OpenAI-style content (found Anthropic content blocks: tool_use / tool_result / thinking)",
            out var dialect, out var failed))
        {
            return failed;
        }

        // Without tool calls or reasoning fields a transcript is plain chat, which this adapter reads well
        // but cannot claim with certainty.
        return dialect.OpenAiMarks > 0 ? FormatMatch.Certain : new FormatMatch(0.8, []);
    }

    public Trajectory Read(JsonElement root)
    {
        if (ChatMessages.Find(root) is not var (messages, basePath))
        {
            throw new TrajectoryFormatException("an OpenAI chat transcript is {\"messages\": [...]} or an array of messages", root.ValueKind == JsonValueKind.Object ? "$.messages" : "$");
        }

        var assembler = new TrajectoryAssembler();
        string? lastFinish = null;
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"{basePath}[{i++}]";
            message.RequireObject(path, "each message");
            var role = message.RequiredStr("role", path);
            RejectAnthropicBlocks(message, path);
            switch (role)
            {
                case "assistant":
                    ReadAssistant(assembler.StartStep(), message, path);
                    lastFinish = message.Str("finish_reason") ?? lastFinish;
                    break;
                case "tool" or "function":
                    var content = JsonReading.ContentText(message.Get("content")) ?? "";
                    var callId = message.Str("tool_call_id");
                    var name = message.Str("name") ?? assembler.Current?.ToolCalls.FirstOrDefault(c => c.Id is not null && c.Id == callId)?.Name;
                    assembler.AddObservation(ObservationText.Read(content, callId, name, message.Bool("is_error")));
                    break;
                default:
                    // system / developer / user: the instruction before the first turn, an answer after it.
                    var text = JsonReading.ContentText(message.Get("content"));
                    if (!assembler.TryAddInstruction(text) && text is not null)
                    {
                        assembler.AddObservation(ObservationText.Read(text, null, null));
                    }

                    break;
            }
        }

        var steps = assembler.BuildSteps();
        var usage = root.ValueKind == JsonValueKind.Object ? UsageReading.FromOpenAi(root.Obj("usage"), root.Decimal("cost")) : null;
        return new Trajectory
        {
            TaskId = root.ValueKind == JsonValueKind.Object ? root.NonBlank("task_id") ?? root.NonBlank("instance_id") ?? "" : "",
            Model = root.ValueKind == JsonValueKind.Object ? root.NonBlank("model") : null,
            SourceFormat = FormatId,
            Instruction = assembler.Instruction,
            Steps = steps,
            Finish = FinishReason.FromRaw(root.ValueKind == JsonValueKind.Object ? root.Str("finish_reason") ?? lastFinish : lastFinish),
            Totals = UsageReading.Totals(steps, usage?.PromptTokens, usage?.CompletionTokens, usage?.ReasoningTokens, usage?.Cost),
        };
    }

    private static void ReadAssistant(StepDraft step, JsonElement message, string path)
    {
        step.Text = JsonReading.ContentText(message.Get("content"));
        step.Reasoning = message.Str("reasoning_content") ?? message.Str("reasoning");
        step.Usage = UsageReading.FromOpenAi(message.Obj("usage"), message.Decimal("cost"));
        step.ReasoningTokens = step.Usage?.ReasoningTokens;
        if (message.Arr("tool_calls") is { } calls)
        {
            var j = 0;
            foreach (var call in calls.EnumerateArray())
            {
                var callPath = $"{path}.tool_calls[{j++}]";
                call.RequireObject(callPath, "each tool call");
                step.ToolCalls.Add(ReadCall(call.Obj("function") ?? throw new TrajectoryFormatException("a tool call needs a function object", $"{callPath}.function"), $"{callPath}.function", call.Str("id")));
            }
        }
        else if (message.Obj("function_call") is { } legacy)
        {
            step.ToolCalls.Add(ReadCall(legacy, $"{path}.function_call", id: null));
        }
    }

    private static void RejectAnthropicBlocks(JsonElement message, string path)
    {
        if (message.Arr("content") is not { } parts)
        {
            return;
        }

        var j = 0;
        foreach (var part in parts.EnumerateArray())
        {
            if (part.Str("type") is "tool_use" or "tool_result" or "thinking" or "redacted_thinking")
            {
                throw new TrajectoryFormatException(
                    $"'{part.Str("type")}' is an Anthropic content block, not OpenAI chat content (read this as {AnthropicChatFormat.FormatId})",
                    $"{path}.content[{j}].type");
            }

            j++;
        }
    }

    /// <summary>A native call: <c>{name, arguments}</c> where arguments is a JSON string (or, from some loggers, already an object).</summary>
    internal static ToolCall ReadCall(JsonElement function, string path, string? id) => new()
    {
        Id = id,
        Name = function.RequiredStr("name", path),
        Arguments = function.Get("arguments") switch
        {
            { ValueKind: JsonValueKind.String } s => TextToolCalls.ParseJsonArguments(s.GetString()!),
            { ValueKind: JsonValueKind.Object } o => JsonReading.ArgumentsOf(o),
            _ => new Dictionary<string, string>(),
        },
    };
}
