using System.Text;

namespace Reprise.Core.Text;

/// <summary>
/// The parameters of a header value (RFC 9110 §5.6.6): <c>multipart/form-data; boundary="----x"</c>,
/// <c>form-data; name="file"; filename="a;b.txt"</c>, <c>application/soap+xml; action="urn:Get"</c>. One reader for
/// redaction, replay and the mock, so they agree on which part is which: pieces are split at <c>;</c> outside quoted
/// strings, names compared ignoring case, values trimmed and unquoted. Inside quotes a backslash escapes only a quote or
/// a backslash (<c>\"</c>, <c>\\</c>): browsers write any other backslash as it is (<c>filename="C:\tmp\a.txt"</c>).
/// </summary>
public static class HeaderParameters
{
    /// <summary>The first parameter <paramref name="name"/> of one header value, or null when it has none.</summary>
    public static string? Get(ReadOnlySpan<char> value, string name)
    {
        var position = 0;
        while (position <= value.Length)
        {
            var end = PieceEnd(value, position);
            var piece = value[position..end];
            var eq = piece.IndexOf('=');
            if (eq > 0 && piece[..eq].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return Unquote(piece[(eq + 1)..].Trim());
            }

            position = end + 1;
        }

        return null;
    }

    /// <summary>
    /// The first parameter <paramref name="name"/> of the header <paramref name="header"/> in a block of header lines (a
    /// multipart part's head, lines ending in CRLF or LF), or null when the header or the parameter is missing.
    /// </summary>
    public static string? OfHeader(ReadOnlySpan<char> headers, string header, string name)
    {
        foreach (var range in headers.Split('\n'))
        {
            var line = headers[range];
            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim().Equals(header, StringComparison.OrdinalIgnoreCase))
            {
                return Get(line[(colon + 1)..].TrimEnd('\r'), name);
            }
        }

        return null;
    }

    /// <summary>Where the piece starting at <paramref name="start"/> ends: the next <c>;</c> outside a quoted string, or the end.</summary>
    private static int PieceEnd(ReadOnlySpan<char> value, int start)
    {
        var quoted = false;
        for (var i = start; i < value.Length; i++)
        {
            switch (value[i])
            {
                case '\\' when quoted && i + 1 < value.Length && value[i + 1] is '"' or '\\':
                    i++; // an escaped quote or backslash: the next character is taken as it is
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case ';' when !quoted:
                    return i;
            }
        }

        return value.Length;
    }

    private static string Unquote(ReadOnlySpan<char> value)
    {
        if (value.Length == 0 || value[0] != '"')
        {
            return value.ToString();
        }

        var text = new StringBuilder(value.Length);
        for (var i = 1; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '"')
            {
                break; // the closing quote (what follows it before the next ';' is not part of the value)
            }

            if (c == '\\' && i + 1 < value.Length && value[i + 1] is '"' or '\\')
            {
                c = value[++i];
            }

            text.Append(c);
        }

        return text.ToString();
    }
}
