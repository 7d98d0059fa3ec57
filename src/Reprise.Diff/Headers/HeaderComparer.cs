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
                "vary" => header.Value.Trim().ToLowerInvariant(), // a list of header names, which ignore case
                _ => header.Value.Trim(),
            };
            map[name] = map.TryGetValue(name, out var existing) ? existing + ", " + value : value;
        }

        if (map.TryGetValue("vary", out var vary) && vary.Contains("accept-encoding", StringComparison.Ordinal))
        {
            if (WithoutAcceptEncoding(vary) is { Length: > 0 } rest)
            {
                map["vary"] = rest;
            }
            else
            {
                map.Remove("vary");
            }
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

    /// <summary>
    /// <c>Vary</c> (lower-cased) without its <c>accept-encoding</c> member. That member marks a
    /// response the server may compress, and servers compress by size: Django's <c>GZipMiddleware</c> from 200 bytes,
    /// nginx's <c>gzip_min_length</c>, Apache's <c>mod_deflate</c>, each adding <c>Vary: Accept-Encoding</c> only when
    /// they do. Bodies are compared decoded and <c>Content-Encoding</c> is ignored, so a body that crossed the threshold
    /// (graphite-web's event list, longer on replay by the tokens redaction wrote into the event it posted) is no
    /// difference in <c>Vary</c> either (QA round 15a). Any other member (<c>Cookie</c>, <c>Origin</c>) still counts.
    /// </summary>
    private static string WithoutAcceptEncoding(string vary)
    {
        var members = vary.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return string.Join(", ", members.Where(m => !m.Equals("accept-encoding", StringComparison.Ordinal))); // sorted with the other sets below
    }

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
