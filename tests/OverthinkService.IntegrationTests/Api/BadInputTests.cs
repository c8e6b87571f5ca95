using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OverthinkService.Core.Trajectories.Formats;
using OverthinkService.IntegrationTests.Infrastructure;

namespace OverthinkService.IntegrationTests.Api;

/// <summary>Every rejection answers the documented problem, says where, and stores nothing.</summary>
public sealed class BadInputTests(SmallLimitsApiFixture api) : IClassFixture<SmallLimitsApiFixture>
{
    [Fact]
    public async Task Malformed_json_is_400_naming_line_and_byte_and_stores_nothing()
    {
        var body = "{\n  \"initial_issue\": \"x\",\n  \"interactions\": [ {\"response\": oops} ]\n}";
        var problem = await RejectedAsync("/api/v1/trajectories?taskId=t", new StringContent(body), HttpStatusCode.BadRequest, "malformed-json");
        Assert.Equal(3, problem.GetProperty("line").GetInt32());
        Assert.Equal(body.Split('\n')[2].IndexOf("oops", StringComparison.Ordinal) + 1, problem.GetProperty("bytePosition").GetInt32());
        Assert.Contains("line 3", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_real_trajectory_is_400_and_stores_nothing()
    {
        var file = Samples.PaperFiles().First(f => new FileInfo(f.Path).Length < SmallLimitsApiFixture.MaxBodyBytes);
        var bytes = await File.ReadAllBytesAsync(file.Path);
        var half = bytes[..(bytes.Length / 2)];
        var problem = await RejectedAsync($"/api/v1/trajectories?{file.Query}", new ByteArrayContent(half), HttpStatusCode.BadRequest, "malformed-json");
        Assert.True(problem.GetProperty("line").GetInt32() >= 1);
    }

    [Fact]
    public async Task An_empty_body_is_400()
    {
        await RejectedAsync("/api/v1/trajectories?taskId=t", new ByteArrayContent([]), HttpStatusCode.BadRequest, "malformed-json");
    }

    [Fact]
    public async Task Json_of_no_known_format_is_422_listing_every_format_and_what_it_missed()
    {
        var problem = await RejectedAsync(
            "/api/v1/trajectories?taskId=t", new StringContent("{\"hello\": [1, 2, 3]}"), HttpStatusCode.UnprocessableEntity, "unrecognized-format");
        var candidates = problem.GetProperty("supportedFormats").EnumerateArray().ToList();
        Assert.Equal(TrajectoryFormats.Ids.Order(), candidates.Select(c => c.GetProperty("format").GetString()!).Order());
        Assert.All(candidates, c => Assert.NotEqual(0, c.GetProperty("missing").GetArrayLength()));
    }

    [Fact]
    public async Task Content_invalid_for_the_named_format_is_422_with_the_json_path()
    {
        var file = Samples.PaperFiles().First(f => new FileInfo(f.Path).Length < SmallLimitsApiFixture.MaxBodyBytes);
        var problem = await RejectedAsync(
            $"/api/v1/trajectories?{file.Query}&format=swe-agent", new ByteArrayContent(await File.ReadAllBytesAsync(file.Path)),
            HttpStatusCode.UnprocessableEntity, "invalid-content");
        Assert.Equal("swe-agent", problem.GetProperty("format").GetString());
        Assert.StartsWith("$", problem.GetProperty("path").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_format_name_is_400_listing_the_formats()
    {
        var problem = await RejectedAsync(
            "/api/v1/trajectories?taskId=t&format=csv", new StringContent(Samples.SyntheticPaper(1)), HttpStatusCode.BadRequest, "unknown-format");
        Assert.Equal("csv", problem.GetProperty("format").GetString());
        Assert.Equal(TrajectoryFormats.Ids.Count, problem.GetProperty("supportedFormats").GetArrayLength());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_whether_or_not_its_length_is_announced()
    {
        var big = Encoding.UTF8.GetBytes(Samples.SyntheticPaper(5, interactions: 2000));
        Assert.True(big.Length > SmallLimitsApiFixture.MaxBodyBytes);

        var announced = await RejectedAsync("/api/v1/trajectories?taskId=t", new ByteArrayContent(big), HttpStatusCode.RequestEntityTooLarge, "content-too-large");
        Assert.Equal(SmallLimitsApiFixture.MaxBodyBytes, announced.GetProperty("limitBytes").GetInt64());

        var chunked = new StreamContent(new MemoryStream(big));
        chunked.Headers.ContentLength = null;
        var streamed = await RejectedAsync("/api/v1/trajectories?taskId=t", chunked, HttpStatusCode.RequestEntityTooLarge, "content-too-large", chunkedTransfer: true);
        Assert.Equal(SmallLimitsApiFixture.MaxBodyBytes, streamed.GetProperty("limitBytes").GetInt64());
    }

    [Fact]
    public async Task Bad_paging_parameters_are_400()
    {
        foreach (var query in new[] { "limit=0", "limit=501", "cursor=not-a-cursor", "cursor=AAAA" })
        {
            using var response = await api.Client.GetAsync($"/api/v1/trajectories?{query}");
            await Problems.ReadAsync(response, HttpStatusCode.BadRequest, "invalid-query");
        }

        using var tasks = await api.Client.GetAsync("/api/v1/tasks?cursor=%25%25");
        await Problems.ReadAsync(tasks, HttpStatusCode.BadRequest, "invalid-query");
    }

    [Fact]
    public async Task A_query_value_that_does_not_bind_is_400_naming_the_parameter_and_stores_nothing()
    {
        using var list = await api.Client.GetAsync("/api/v1/trajectories?limit=abc");
        var listProblem = await Problems.ReadAsync(list, HttpStatusCode.BadRequest, "invalid-request");
        Assert.Equal("limit", listProblem.GetProperty("parameter").GetString());
        Assert.Equal("abc", listProblem.GetProperty("value").GetString());

        var file = Samples.PaperFiles().First(f => new FileInfo(f.Path).Length < SmallLimitsApiFixture.MaxBodyBytes);
        var ingest = await RejectedAsync($"/api/v1/trajectories?{file.Query}&resolved=maybe", new ByteArrayContent(await File.ReadAllBytesAsync(file.Path)), HttpStatusCode.BadRequest, "invalid-request");
        Assert.Equal("resolved", ingest.GetProperty("parameter").GetString());
        Assert.Contains("maybe", ingest.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> RejectedAsync(string url, HttpContent content, HttpStatusCode status, string type, bool chunkedTransfer = false)
    {
        await using var db = api.NewDb();
        var before = await Rows.CountAsync(db);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (chunkedTransfer)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        content.Headers.ContentType ??= new MediaTypeHeaderValue("application/json");
        using var response = await api.Client.SendAsync(request);
        var problem = await Problems.ReadAsync(response, status, type);
        Assert.Equal(before, await Rows.CountAsync(db));
        return problem;
    }
}
