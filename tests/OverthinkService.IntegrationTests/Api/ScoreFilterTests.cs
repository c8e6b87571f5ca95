using System.Net.Http.Json;
using System.Text.Json;
using OverthinkService.IntegrationTests.Selection;

namespace OverthinkService.IntegrationTests.Api;

/// <summary>The list's score, outcome and pattern filters over the real runs, checked against each listed trajectory's own current score.</summary>
public sealed class ScoreFilterTests(RealRunsApiFixture api) : IClassFixture<RealRunsApiFixture>
{
    [Theory]
    [InlineData("minScore=3", 3.0, 10.0, null)]
    [InlineData("maxScore=2.5", 0.0, 2.5, null)]
    [InlineData("minScore=1&maxScore=6", 1.0, 6.0, null)]
    [InlineData("pattern=ap", 0.0, 10.0, "analysisParalysis")]
    [InlineData("pattern=rogueActions", 0.0, 10.0, "rogueActions")]
    [InlineData("pattern=pd&minScore=2", 2.0, 10.0, "prematureDisengagement")]
    public async Task Score_filters_keep_exactly_the_trajectories_whose_current_score_matches(string query, double min, double max, string? pattern)
    {
        var all = await AllAsync("");
        Assert.True(all.Select(Current).Where(s => s is not null).Select(s => s!.Value.GetProperty("overall").GetDouble()).Distinct().Count() > 2,
            "the stored scores should spread for this test to mean something");
        var expected = all.Where(t =>
            {
                var score = Current(t);
                return score is { } s && s.GetProperty("overall").GetDouble() >= min && s.GetProperty("overall").GetDouble() <= max
                       && (pattern is null || s.GetProperty(pattern).GetDouble() >= 4);
            })
            .Select(t => t.GetProperty("id").GetString()).Order().ToList();

        var filtered = (await AllAsync(query)).Select(t => t.GetProperty("id").GetString()).Order().ToList();

        Assert.Equal(expected, filtered);
    }

    [Fact]
    public async Task The_outcome_filter_keeps_one_outcome()
    {
        var all = await AllAsync("");
        foreach (var outcome in new[] { "resolved", "unresolved", "emptyPatch", "unknown" })
        {
            var expected = all.Where(t => t.GetProperty("outcome").GetProperty("status").GetString() == outcome).Select(t => t.GetProperty("id").GetString()).Order();
            Assert.Equal(expected, (await AllAsync($"outcome={outcome}")).Select(t => t.GetProperty("id").GetString()).Order());
        }
    }

    [Theory]
    [InlineData("minScore=11", "minScore")]
    [InlineData("maxScore=abc", "maxScore")]
    [InlineData("minScore=6&maxScore=5", "minScore")]
    [InlineData("outcome=won", "outcome")]
    [InlineData("pattern=loops", "pattern")]
    public async Task A_bad_filter_is_a_problem_naming_the_parameter(string query, string parameter)
    {
        using var response = await api.Client.GetAsync($"/api/v1/trajectories?{query}");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
    }

    private async Task<List<JsonElement>> AllAsync(string query)
    {
        var page = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/trajectories?limit=500{(query.Length > 0 ? "&" + query : "")}");
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    private static JsonElement? Current(JsonElement trajectory) =>
        trajectory.GetProperty("scores").EnumerateArray().Where(s => s.GetProperty("scorer").GetString() == "deterministic")
            .OrderByDescending(s => s.GetProperty("createdAt").GetDateTimeOffset()).ThenByDescending(s => s.GetProperty("id").GetInt64())
            .Select(s => (JsonElement?)s).FirstOrDefault();
}
