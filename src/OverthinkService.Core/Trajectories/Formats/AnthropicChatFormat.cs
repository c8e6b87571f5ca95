using System.Text;
using System.Text.Json;

namespace OverthinkService.Core.Trajectories.Formats;

/// <summary>
/// An Anthropic Messages-style transcript: <c>{"system"?, "model"?, "messages": [{role, content: [blocks]}]}</c>
/// (or a bare array). Assistant blocks are <c>text</c>, <c>thinking</c>, <c>redacted_thinking</c> and
/// <c>tool_use{id, name, input}</c>; tool results come back inside the next user message as
/// <c>tool_result{tool_use_id, is_error, content}</c> blocks. Messages that are whole API responses may
/// carry <c>usage</c>, <c>stop_reason</c> and <c>model</c>.
/// </summary>
public sealed class AnthropicChatFormat : ITrajectoryFormat
{
    public const string FormatId = "anthropic-chat";

    public string Id => FormatId;

    public string Description =>
        "Anthropic Messages-style transcript ({system?, messages:[{role, content:[text|thinking|tool_use|tool_result blocks]}]})";

    public FormatMatch Match(JsonElement root)
    {
        if (!ChatMessages.TryMatchTranscript(
            root, "messages (array of {role, content:[blocks]})", d => d.OpenAiMarks, "Anthropic content blocks (found OpenAI tool_calls / tool messages / reasoning_content)",
            out var dialect, out var failed))
        {
            return failed;
        }

        if (dialect.AnthropicMarks > 0)
        {
            return FormatMatch.Certain;
        }

        // Plain text chat reads the same in both dialects; the OpenAI adapter is the default for it.
        return new FormatMatch(root.Has("system") ? 0.7 : 0.5, ["tool_use / tool_result / thinking blocks (plain chat is read as openai-chat)"]);
    }

    public Trajectory Read(JsonElement root)
    {
        if (ChatMessages.Find(root) is not var (messages, basePath))
        {
            throw new TrajectoryFormatException("an Anthropic transcript is {\"messages\": [...]} or an array of messages", root.ValueKind == JsonValueKind.Object ? "$.messages" : "$");
        }

        var assembler = new TrajectoryAssembler();
        var isObject = root.ValueKind == JsonValueKind.Object;
        if (isObject)
        {
            assembler.TryAddInstruction(JsonReading.ContentText(root.Get("system")));
        }

        string? lastStop = null;
        string? model = isObject ? root.NonBlank("model") : null;
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var path = $"{basePath}[{i++}]";
            message.RequireObject(path, "each message");
            var role = message.RequiredStr("role", path);
            if (role is "tool" or "function")
            {
                throw new TrajectoryFormatException($"role '{role}' is OpenAI's; Anthropic returns tool results as tool_result blocks (read this as {OpenAiChatFormat.FormatId})", $"{path}.role");
            }

            if (message.Has("tool_calls"))
            {
                throw new TrajectoryFormatException($"tool_calls are OpenAI's; Anthropic calls tools with tool_use blocks (read this as {OpenAiChatFormat.FormatId})", $"{path}.tool_calls");
            }

            if (role == "assistant")
            {
                ReadAssistant(assembler.StartStep(), message, path);
                lastStop = message.Str("stop_reason") ?? lastStop;
                model ??= message.NonBlank("model");
            }
            else
            {
                ReadUserOrSystem(assembler, message, path);
            }
        }

        var steps = assembler.BuildSteps();
        var totals = isObject ? UsageReading.FromAnthropic(root.Obj("usage"), root.Decimal("cost")) : null;
        return new Trajectory
        {
            TaskId = isObject ? root.NonBlank("task_id") ?? root.NonBlank("instance_id") ?? "" : "",
            Model = model,
            SourceFormat = FormatId,
            Instruction = assembler.Instruction,
            Steps = steps,
            Finish = FinishReason.FromRaw((isObject ? root.Str("stop_reason") : null) ?? lastStop),
            Totals = UsageReading.Totals(steps, totals?.PromptTokens, totals?.CompletionTokens, null, totals?.Cost),
        };
    }

    private static void ReadAssistant(StepDraft step, JsonElement message, string path)
    {
        step.Usage = UsageReading.FromAnthropic(message.Obj("usage"), message.Decimal("cost"));
        var content = message.Get("content");
        if (content is { ValueKind: JsonValueKind.String } s)
        {
            step.Text = s.GetString();
            return;
        }

        if (content is not { ValueKind: JsonValueKind.Array } blocks)
        {
            return;
        }

        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var j = 0;
        foreach (var block in blocks.EnumerateArray())
        {
            var blockPath = $"{path}.content[{j++}]";
            block.RequireObject(blockPath, "each content block");
            switch (block.Str("type"))
            {
                case "text":
                    AppendLine(text, block.Str("text"));
                    break;
                case "thinking":
                    AppendLine(reasoning, block.Str("thinking"));
                    break;
                case "tool_use" or "server_tool_use":
                    step.ToolCalls.Add(new ToolCall
                    {
                        Id = block.Str("id"),
                        Name = block.RequiredStr("name", blockPath),
                        Arguments = block.Obj("input") is { } input ? JsonReading.ArgumentsOf(input) : new Dictionary<string, string>(),
                    });
                    break;
                default:
                    // redacted_thinking holds only an encrypted blob; images and other blocks carry no text.
                    break;
            }
        }

        step.Text = text.ToString();
        step.Reasoning = reasoning.ToString();
    }

    private static void ReadUserOrSystem(TrajectoryAssembler assembler, JsonElement message, string path)
    {
        var content = message.Get("content");
        if (content is not { ValueKind: JsonValueKind.Array } blocks)
        {
            AddText(assembler, JsonReading.ContentText(content));
            return;
        }

        var j = 0;
        foreach (var block in blocks.EnumerateArray())
        {
            var blockPath = $"{path}.content[{j++}]";
            block.RequireObject(blockPath, "each content block");
            if (block.Str("type") == "tool_result")
            {
                var callId = block.Str("tool_use_id");
                var name = assembler.Current?.ToolCalls.FirstOrDefault(c => c.Id is not null && c.Id == callId)?.Name;
                var result = JsonReading.ContentText(block.Get("content")) ?? "";
                // is_error defaults to false in the Messages API; an exit code printed in the text can still say otherwise.
                var observation = ObservationText.Read(result, callId, name, block.Bool("is_error") == true ? true : null);
                assembler.AddObservation(observation.IsError is null ? observation with { IsError = false } : observation);
            }
            else
            {
                AddText(assembler, block.Str("text"));
            }
        }
    }

    private static void AddText(TrajectoryAssembler assembler, string? text)
    {
        if (text is not null && !assembler.TryAddInstruction(text))
        {
            assembler.AddObservation(ObservationText.Read(text, null, null));
        }
    }

    private static void AppendLine(StringBuilder builder, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (builder.Length > 0)
        {
            builder.Append('\n');
        }

        builder.Append(text);
    }
}
