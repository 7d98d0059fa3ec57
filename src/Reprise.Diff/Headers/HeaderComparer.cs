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

        foreach (var name in SetValued)
        {
            if (map.TryGetValue(name, out var list) && list.Contains(',', StringComparison.Ordinal))
            {
                map[name] = Sorted(name is "allow" or "access-control-allow-methods" or "accept-patch" ? list : list.ToLowerInvariant()); // header names ignore case
            }
        }

        return map;
    }

    /// <summary>
    /// Headers whose value is a set: the order of its members means nothing (RFC 9110 <c>Allow</c>, <c>Vary</c>; the
    /// CORS lists). gunicorn/Werkzeug answer <c>Allow</c> in a different order in every process (Python's hash seed),
    /// so an unchanged httpbin failed its test on the order (QA round 7).
    /// </summary>
    private static readonly string[] SetValued = ["allow", "vary", "access-control-allow-methods", "access-control-allow-headers", "access-control-expose-headers", "accept-patch"];

    private static string Sorted(string list)
    {
        var members = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Array.Sort(members, StringComparer.OrdinalIgnoreCase);
        return string.Join(", ", members);
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
