using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OverthinkService.Core.Scoring;
using OverthinkService.Core.Trajectories;
using OverthinkService.Core.Trajectories.Formats;
using OverthinkService.Data.Scoring;

namespace OverthinkService.Data.Trajectories.Ingest;

/// <summary>
/// Parses, identifies, scores and stores trajectories. Each trajectory is stored in one transaction with
/// its task, run, outcome and scores (and whatever the registered <see cref="ITrajectoryIngestHook"/>s add),
/// so a failure leaves nothing behind. Idempotent by content: the same bytes again return the stored id.
/// </summary>
public sealed partial class TrajectoryIngestor(
    IDbContextFactory<OverthinkDbContext> dbFactory,
    IEnumerable<ITrajectoryScorer> scorers,
    IEnumerable<ITrajectoryIngestHook> hooks,
    IOptions<IngestOptions> options,
    TimeProvider time,
    ILogger<TrajectoryIngestor> logger)
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 256 };

    private readonly List<ITrajectoryScorer> _scorers = scorers.ToList();
    private readonly List<ITrajectoryIngestHook> _hooks = hooks.ToList();

    /// <summary>Reads one trajectory from <paramref name="content"/> as it streams (hashing the raw bytes on the way) and stores it.</summary>
    public async Task<IngestResult> IngestAsync(Stream content, IngestRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        using var activity = IngestTelemetry.Source.StartActivity("ingest trajectory");
        if (UnknownFormat(request) is { } unknown)
        {
            return Finish(unknown, null, started, activity);
        }

        Trajectory trajectory;
        ContentIdentity identity;
        using (var parse = IngestTelemetry.Source.StartActivity("parse trajectory"))
        {
            await using var hashing = new ContentHashingStream(content, options.Value.MaxBodyBytes);
            JsonDocument document;
            try
            {
                document = await JsonDocument.ParseAsync(hashing, JsonOptions, cancellationToken);
            }
            catch (JsonException e)
            {
                return Finish(Malformed(e), hashing.BytesRead, started, activity);
            }
            catch (ContentTooLargeException e)
            {
                return Finish(new IngestTooLarge(e.LimitBytes), null, started, activity);
            }

            identity = hashing.Identity();
            using (document)
            {
                var read = Read(document.RootElement, request);
                if (read.Rejected is { } rejected)
                {
                    return Finish(rejected, identity.Bytes, started, activity);
                }

                trajectory = read.Trajectory!;
            }

            parse?.SetTag("overthink.format", trajectory.SourceFormat);
            parse?.SetTag("overthink.content.bytes", identity.Bytes);
        }

        var result = await StoreAsync(trajectory, identity, request.ImportId, cancellationToken);
        return Finish(result, identity.Bytes, started, activity);
    }

    /// <summary>Reads one trajectory held in memory (an NDJSON line) and stores it.</summary>
    public async Task<IngestResult> IngestAsync(ReadOnlyMemory<byte> content, IngestRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        using var activity = IngestTelemetry.Source.StartActivity("ingest trajectory");
        if (UnknownFormat(request) is { } unknown)
        {
            return Finish(unknown, null, started, activity);
        }

        if (content.Length > options.Value.MaxBodyBytes)
        {
            return Finish(new IngestTooLarge(options.Value.MaxBodyBytes), null, started, activity);
        }

        Trajectory trajectory;
        var identity = new ContentIdentity(SHA256.HashData(content.Span), content.Length);
        using (IngestTelemetry.Source.StartActivity("parse trajectory"))
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(content, JsonOptions);
            }
            catch (JsonException e)
            {
                return Finish(Malformed(e), content.Length, started, activity);
            }

            using (document)
            {
                var read = Read(document.RootElement, request);
                if (read.Rejected is { } rejected)
                {
                    return Finish(rejected, content.Length, started, activity);
                }

                trajectory = read.Trajectory!;
            }
        }

        var result = await StoreAsync(trajectory, identity, request.ImportId, cancellationToken);
        return Finish(result, identity.Bytes, started, activity);
    }

    /// <summary>
    /// Stores a trajectory already read (by a run-folder reader) under the identity of its source bytes.
    /// Returns <see cref="IngestMissingTaskId"/> when it names no task.
    /// </summary>
    public async Task<IngestResult> StoreAsync(Trajectory trajectory, ContentIdentity identity, Guid? importId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        ArgumentNullException.ThrowIfNull(identity);
        if (string.IsNullOrWhiteSpace(trajectory.TaskId))
        {
            return new IngestMissingTaskId(trajectory.SourceFormat);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.Trajectories.AsNoTracking()
            .Where(t => t.ContentHash == identity.Sha256)
            .Select(t => new { t.Id, t.OutcomeStatus })
            .FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            await RecordNewOutcomeAsync(db, existing.Id, existing.OutcomeStatus, trajectory.Outcome, cancellationToken);
            return new IngestStored(existing.Id, Created: false);
        }

        var now = StoredTime.Now(time);
        var record = ToRecord(trajectory, identity, importId, now);
        var scores = Score(trajectory, record.Id, now);

        using var store = IngestTelemetry.Source.StartActivity("store trajectory");
        store?.SetTag("overthink.trajectory.id", record.Id);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            // Tasks and runs are shared by many trajectories and may be created by concurrent requests:
            // insert-if-absent in the same transaction instead of read-then-insert.
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO tasks (id, created_at) VALUES ({record.TaskId}, {now}) ON CONFLICT (id) DO NOTHING",
                cancellationToken);
            if (record.RunLabel is not null)
            {
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO runs (label, model, agent, created_at) VALUES ({record.RunLabel}, {record.Model}, {record.Agent}, {now}) ON CONFLICT (label) DO NOTHING",
                    cancellationToken);
            }

            db.Trajectories.Add(record);
            if (record.OutcomeStatus != OutcomeStatus.Unknown)
            {
                db.Outcomes.Add(new OutcomeRecord { TrajectoryId = record.Id, Status = record.OutcomeStatus, Source = record.OutcomeSource, RecordedAt = now });
            }

            db.Scores.AddRange(scores);
            await db.SaveChangesAsync(cancellationToken);
            foreach (var hook in _hooks)
            {
                await hook.OnStoredAsync(db, record, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ix_trajectories_content_hash" })
        {
            // Another request stored the same content between our lookup and our insert.
            await transaction.RollbackAsync(cancellationToken);
            var id = await db.Trajectories.AsNoTracking().Where(t => t.ContentHash == identity.Sha256).Select(t => t.Id).FirstAsync(cancellationToken);
            return new IngestStored(id, Created: false);
        }

        LogStored(record.Id, record.TaskId, record.SourceFormat, record.StepCount, identity.Bytes, scores.Count);
        return new IngestStored(record.Id, Created: true);
    }

    private static IngestUnknownFormat? UnknownFormat(IngestRequest request) =>
        request.Format is { } format && TrajectoryFormats.Find(format) is null ? new IngestUnknownFormat(format) : null;

    private static (Trajectory? Trajectory, IngestResult? Rejected) Read(JsonElement root, IngestRequest request)
    {
        Trajectory trajectory;
        try
        {
            trajectory = TrajectoryFormats.Read(root, request.Format, request.Hints);
        }
        catch (UnrecognizedFormatException e)
        {
            return (null, new IngestUnrecognized(e.Candidates));
        }
        catch (TrajectoryFormatException e)
        {
            var format = request.Format ?? SafeDetect(root) ?? "unknown";
            return (null, new IngestInvalid(format, e.Message, e.Path));
        }

        return string.IsNullOrWhiteSpace(trajectory.TaskId)
            ? (null, new IngestMissingTaskId(trajectory.SourceFormat))
            : (trajectory, null);
    }

    private static string? SafeDetect(JsonElement root)
    {
        try
        {
            return TrajectoryFormats.Detect(root).Id;
        }
        catch (UnrecognizedFormatException)
        {
            return null;
        }
    }

    private static IngestMalformed Malformed(JsonException e) =>
        new((e.LineNumber ?? 0) + 1, (e.BytePositionInLine ?? 0) + 1, PositionSuffix().Replace(e.Message, "").Trim());

    private List<ScoreRecord> Score(Trajectory trajectory, Guid trajectoryId, DateTimeOffset now)
    {
        if (_scorers.Count == 0)
        {
            return [];
        }

        using var activity = IngestTelemetry.Source.StartActivity("score trajectory");
        // Scorers must not see the outcome (as the paper's judge does not); hide it rather than trust them.
        var blind = trajectory with { Outcome = Outcome.Unknown };
        return _scorers.Select(s => ScoreRecords.From(trajectoryId, s.Score(blind), ScoreReasons.Ingest, now)).ToList();
    }

    private async Task RecordNewOutcomeAsync(OverthinkDbContext db, Guid id, OutcomeStatus current, Outcome offered, CancellationToken cancellationToken)
    {
        if (offered.Status == OutcomeStatus.Unknown || offered.Status == current)
        {
            return;
        }

        var now = StoredTime.Now(time);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Outcomes.Add(new OutcomeRecord { TrajectoryId = id, Status = offered.Status, Source = offered.Source, RecordedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        await db.Trajectories.Where(t => t.Id == id).ExecuteUpdateAsync(
            s => s.SetProperty(t => t.OutcomeStatus, offered.Status).SetProperty(t => t.OutcomeSource, offered.Source),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogOutcomeChanged(id, current, offered.Status, offered.Source);
    }

    private static TrajectoryRecord ToRecord(Trajectory trajectory, ContentIdentity identity, Guid? importId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        ContentHash = identity.Sha256,
        TaskId = trajectory.TaskId.Trim(),
        RunLabel = string.IsNullOrWhiteSpace(trajectory.Run) ? null : trajectory.Run.Trim(),
        Model = trajectory.Model,
        Agent = trajectory.Agent,
        SourceFormat = trajectory.SourceFormat,
        StepCount = trajectory.Steps.Count,
        ToolCallCount = trajectory.Steps.Sum(s => s.ToolCalls.Count),
        InteractionCount = trajectory.Steps.Count(s => s.Observations.Count > 0),
        FinishKind = trajectory.Finish.Kind,
        FinishRaw = trajectory.Finish.Raw,
        OutcomeStatus = trajectory.Outcome.Status,
        OutcomeSource = trajectory.Outcome.Status == OutcomeStatus.Unknown ? null : trajectory.Outcome.Source,
        PromptTokens = trajectory.Totals.PromptTokens,
        CompletionTokens = trajectory.Totals.CompletionTokens,
        ReasoningTokens = trajectory.Totals.ReasoningTokens,
        Cost = trajectory.Totals.Cost,
        ContentBytes = identity.Bytes,
        ImportId = importId,
        CreatedAt = now,
        Document = trajectory,
    };

    private IngestResult Finish(IngestResult result, long? bytes, long started, Activity? activity)
    {
        activity?.SetTag("overthink.ingest.result", result.Kind);
        if (result is IngestStored stored)
        {
            activity?.SetTag("overthink.trajectory.id", stored.Id);
        }
        else
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.Kind);
            LogRejected(result.Kind, result);
        }

        IngestTelemetry.Record(result, bytes, Stopwatch.GetElapsedTime(started));
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored trajectory {TrajectoryId} for task {TaskId} ({Format}, {Steps} steps, {Bytes} bytes, {Scores} scores)")]
    private partial void LogStored(Guid trajectoryId, string taskId, string format, int steps, long bytes, int scores);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trajectory {TrajectoryId} outcome changed from {Old} to {New} ({Source})")]
    private partial void LogOutcomeChanged(Guid trajectoryId, OutcomeStatus old, OutcomeStatus @new, string? source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected a trajectory ({Kind}): {Result}")]
    private partial void LogRejected(string kind, IngestResult result);

    // System.Text.Json appends " LineNumber: 0 | BytePositionInLine: 5." (0-based); we report 1-based positions separately.
    [GeneratedRegex(@"\s*(Path: \S*\s*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?$")]
    private static partial Regex PositionSuffix();
}
