using System.Collections.Immutable;
using Reprise.Core.Model;
using Reprise.Diff.Bodies;
using Reprise.Diff.Model;

namespace Reprise.Diff.Headers;

/// <summary>
/// Compares response headers (or trailers) by lower-cased name, repeated values joined with <c>, </c>.
/// <c>Content-Type</c> compares only the media type (a charset parameter change is not functional);
/// <c>Set-Cookie</c> compares the cookie names (values are per-session). Which headers are noise is
/// decided by the ignore rules, not here, so every ignored header shows up in the noise list.
/// </summary>
public static class HeaderComparer
{
    /// <summary>Reports header differences as <c>{scope}:{name}</c>.</summary>
    public static void Compare(ImmutableArray<HeaderField> expected, ImmutableArray<HeaderField> actual, string scope, IDiffSink sink)
    {
        var left = Normalize(expected);
        var right = Normalize(actual);
        foreach (var (name, value) in left)
        {
            if (!right.TryGetValue(name, out var other))
            {
                sink.Report($"{scope}:{name}", DifferenceKind.Removed, value, null);
            }
            else if (!string.Equals(value, other, StringComparison.Ordinal))
            {
                sink.Report($"{scope}:{name}", DifferenceKind.Changed, value, other);
            }
        }

        foreach (var (name, value) in right)
        {
            if (!left.ContainsKey(name))
            {
                sink.Report($"{scope}:{name}", DifferenceKind.Added, null, value);
            }
        }
    }

    /// <summary>Lower-cased names to comparable values (pseudo-headers dropped).</summary>
    internal static SortedDictionary<string, string> Normalize(ImmutableArray<HeaderField> headers)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var header in headers)
        {
            if (header.Name.StartsWith(':'))
            {
                continue;
            }

            var name = header.Name.ToLowerInvariant();
            var value = name switch
            {
                "content-type" => MediaType(header.Value),
                "set-cookie" => CookieName(header.Value),
                _ => header.Value.Trim(),
            };
            map[name] = map.TryGetValue(name, out var existing) ? existing + ", " + value : value;
        }

        return map;
    }

    private static string MediaType(string value)
    {
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? value : value[..semicolon]).Trim().ToLowerInvariant();
    }

    private static string CookieName(string value)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        return (eq < 0 ? value : value[..eq]).Trim() + "=…";
    }
}
