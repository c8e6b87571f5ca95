using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OverthinkService.Api.Hosting;
using OverthinkService.Api.Problems;
using OverthinkService.Api.Trajectories;
using OverthinkService.Core.Scoring;
using OverthinkService.Core.Trajectories;
using OverthinkService.Core.Trajectories.Formats;
using OverthinkService.Data;
using OverthinkService.Data.Imports;
using OverthinkService.Data.Trajectories.Ingest;
using OverthinkService.Imports.Archives;

namespace OverthinkService.Api.Runs;

/// <summary>Runs, and importing a whole run folder (an archive) in the background with progress to poll.</summary>
public static class RunImportsApi
{
    public static RouteGroupBuilder MapRunImportsApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var group = routes.MapGroup("/api/v1/runs").WithTags("Runs");

        group.MapPost("/import", ImportAsync)
            .WithName("ImportRun")
            .WithSummary("Import a run folder sent as a tar.gz, tar or zip archive")
            .WithDescription("The archive is checked and extracted before the answer (202 with Location of the import); its trajectories " +
                             "(OpenHands/paper run folders with report.json outcomes, and any loose *.json / *.traj / *.jsonl) are then " +
                             "stored in the background. Poll the Location for progress.")
            .DescribeRawBody("A tar.gz, tar or zip archive of a run folder.", "application/gzip", "application/x-tar", "application/zip", "application/octet-stream");

        group.MapGet("/imports/{id:guid}", GetImportAsync)
            .WithName("GetRunImport")
            .WithSummary("A run import's state and progress");

        group.MapGet("/", ListRunsAsync)
            .WithName("ListRuns")
            .WithSummary("Runs (labels) with their model, agent and trajectory counts");

        return group;
    }

    public static async Task<Results<Accepted<RunImportResponse>, ProblemHttpResult>> ImportAsync(
        HttpContext context,
        OverthinkDbContext db,
        RunImportBacklog backlog,
        RunImportFolders folders,
        IOptions<IngestOptions> options,
        TimeProvider time,
        string? format,
        string? taskId,
        string? model,
        string? agent,
        string? run,
        bool? resolved,
        CancellationToken cancellationToken)
    {
        var request = IngestRequests.From(format, taskId, model, agent, run, resolved);
        if (request.Format is { } named && TrajectoryFormats.Find(named) is null)
        {
            return ApiProblems.UnknownFormat(named);
        }

        var limits = options.Value;
        if (context.Request.ContentLength > limits.MaxArchiveBytes)
        {
            return ApiProblems.TooLarge(limits.MaxArchiveBytes, "archive");
        }

        RequestBody.LiftServerLimit(context);
        var now = StoredTime.Now(time);
        var id = Guid.CreateVersion7(now);
        var folder = folders.Create(id);
        var handedOver = false;
        try
        {
            var upload = Path.Combine(folder, "upload");
            long size;
            string extracted;
            await using (var file = new FileStream(upload, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, useAsync: true))
            {
                size = await CopyAtMostAsync(context.Request.Body, file, limits.MaxArchiveBytes, cancellationToken);
                if (size < 0)
                {
                    return ApiProblems.TooLarge(limits.MaxArchiveBytes, "archive");
                }

                file.Position = 0;
                var archiveLimits = new ArchiveLimits { MaxExpandedBytes = limits.MaxExpandedBytes, MaxEntries = limits.MaxArchiveEntries };
                try
                {
                    extracted = await SafeArchiveExtractor.ExtractAsync(file, folder, archiveLimits, progress: null, cancellationToken);
                }
                catch (UnsafeArchiveException e)
                {
                    return ApiProblems.UnsafeArchive(e.Entry, e.Reason);
                }
                catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
                {
                    return ApiProblems.NotAnArchive(e.Message);
                }
            }

            File.Delete(upload);
            var record = new RunImportRecord
            {
                Id = id,
                Status = RunImportStatus.Queued,
                RunLabel = request.Hints.Run,
                ArchiveBytes = size,
                Owner = RunImportProcessor.Owner,
                CreatedAt = now,
                HeartbeatAt = now,
            };
            db.RunImports.Add(record);
            await db.SaveChangesAsync(cancellationToken);
            if (!backlog.TryEnqueue(new RunImportWork(id, folder, extracted, request.Hints, request.Format)))
            {
                await db.RunImports.Where(i => i.Id == id).ExecuteDeleteAsync(CancellationToken.None);
                return ApiProblems.ImportQueueFull(backlog.Capacity);
            }

            handedOver = true;
            return TypedResults.Accepted($"/api/v1/runs/imports/{id}", RunImportResponse.From(record));
        }
        finally
        {
            if (!handedOver)
            {
                RunImportFolders.Delete(folder);
            }
        }
    }

    public static async Task<Results<Ok<RunImportResponse>, ProblemHttpResult>> GetImportAsync(
        OverthinkDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var record = await db.RunImports.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        return record is null ? ApiProblems.NotFound("run import", id.ToString()) : TypedResults.Ok(RunImportResponse.From(record));
    }

    public static async Task<Ok<List<RunSummary>>> ListRunsAsync(OverthinkDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok((await RunQueries.ListAsync(db, DeterministicScorer.Name, cancellationToken))
            .Select(r => new RunSummary(r.Run, r.Model, r.Agent, r.Trajectories, r.Resolved, r.CreatedAt))
            .ToList());

    /// <summary>Copies at most <paramref name="limit"/> bytes; returns the count, or -1 when the source holds more.</summary>
    private static async Task<long> CopyAtMostAsync(Stream source, Stream target, long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += n;
            if (total > limit)
            {
                return -1;
            }

            await target.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
        }

        await target.FlushAsync(cancellationToken);
        return total;
    }
}
