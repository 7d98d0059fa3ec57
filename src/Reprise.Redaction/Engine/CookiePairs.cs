using System.Text;

namespace Reprise.Redaction.Engine;

/// <summary>
/// One cookie header with its cookies' values rewritten and everything else as written: the names (an application's keys),
/// the separators and spaces, and a <c>Set-Cookie</c>'s attributes after its first pair (Path, Expires, HttpOnly...).
/// </summary>
internal static class CookiePairs
{
    /// <summary>
    /// <paramref name="value"/> (a <c>Cookie</c> header's pairs, or one <c>Set-Cookie</c> cookie when
    /// <paramref name="setCookie"/>) with each non-empty cookie value replaced by <paramref name="rewrite"/>'s answer where it
    /// gives one (it is given the cookie's name, trimmed, empty for a part without '=', and the value); with
    /// <paramref name="nameless"/>, a part without '=' (a cookie that is all value) too, its surrounding spaces kept. Null when
    /// nothing changed.
    /// </summary>
    public static string? RewriteValues<TState>(string value, bool setCookie, bool nameless, TState state, Func<TState, ReadOnlySpan<char>, string, string?> rewrite)
    {
        StringBuilder? output = null;
        var copied = 0;
        var start = 0;
        while (true)
        {
            var end = value.IndexOf(';', start);
            if (end < 0)
            {
                end = value.Length;
            }

            var eq = value.IndexOf('=', start, end - start);
            int from, to;
            var name = ReadOnlySpan<char>.Empty;
            if (eq >= 0)
            {
                (from, to) = (eq + 1, end);
                name = value.AsSpan(start, eq - start).Trim();
            }
            else if (nameless)
            {
                var part = value.AsSpan(start, end - start);
                from = start + (part.Length - part.TrimStart().Length);
                to = end - (part.Length - part.TrimEnd().Length);
            }
            else
            {
                (from, to) = (end, end);
            }

            if (to > from && rewrite(state, name, value[from..to]) is { } replaced)
            {
                output ??= new StringBuilder(value.Length + 32);
                output.Append(value, copied, from - copied).Append(replaced);
                copied = to;
            }

            if (setCookie || end >= value.Length)
            {
                break; // a Set-Cookie's first pair is the cookie; what follows are the server's attributes
            }

            start = end + 1;
        }

        return output?.Append(value, copied, value.Length - copied).ToString();
    }
}
