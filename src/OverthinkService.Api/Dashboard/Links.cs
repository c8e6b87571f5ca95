using System.Text;

namespace OverthinkService.Api.Dashboard;

/// <summary>Links that keep a page's query (filters) and change some of it (sort, direction, page).</summary>
public sealed class Links(string path, IEnumerable<KeyValuePair<string, string?>> query)
{
    private readonly List<KeyValuePair<string, string?>> _query = query.Where(p => !string.IsNullOrEmpty(p.Value)).ToList();

    public static Links From(HttpRequest request) =>
        new(request.Path, request.Query.Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString())));

    public string? this[string key] => _query.LastOrDefault(p => p.Key == key).Value;

    /// <summary>This path and query with <paramref name="changes"/> applied (a null value removes the key).</summary>
    public string With(params (string Key, string? Value)[] changes)
    {
        var pairs = _query.Where(p => !changes.Any(c => c.Key == p.Key)).ToList();
        pairs.AddRange(changes.Where(c => !string.IsNullOrEmpty(c.Value)).Select(c => new KeyValuePair<string, string?>(c.Key, c.Value)));
        return Build(path, pairs);
    }

    public static string Build(string path, IEnumerable<KeyValuePair<string, string?>> pairs)
    {
        var text = new StringBuilder(path);
        var first = true;
        foreach (var (key, value) in pairs)
        {
            text.Append(first ? '?' : '&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value ?? ""));
            first = false;
        }

        return text.ToString();
    }
}
