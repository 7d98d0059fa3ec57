using System.Net.Http.Headers;
using System.Text;

namespace Reprise.Replay.Http;

/// <summary>
/// Serialises a request message to HTTP/1.1 wire bytes the way SocketsHttpHandler writes it (header values
/// joined by each header's separator, content headers after request headers, Content-Length from the body,
/// <c>Accept-Encoding</c> completed as <c>AutomaticDecompression = All</c> does), so a target sees the same request.
/// </summary>
internal static class RawRequestSerializer
{
    private static readonly StringWithQualityHeaderValue Gzip = new("gzip");
    private static readonly StringWithQualityHeaderValue Deflate = new("deflate");
    private static readonly StringWithQualityHeaderValue Brotli = new("br");

    /// <summary>The wire bytes, or null when SocketsHttpHandler would reject or re-encode something (non-ASCII, control characters).</summary>
    public static byte[]? Serialize(HttpRequestMessage message, ReadOnlyMemory<byte> body)
    {
        var accept = message.Headers.AcceptEncoding;
        if (!accept.Contains(Gzip))
        {
            accept.Add(Gzip);
        }

        if (!accept.Contains(Deflate))
        {
            accept.Add(Deflate);
        }

        if (!accept.Contains(Brotli))
        {
            accept.Add(Brotli);
        }

        var uri = message.RequestUri!;
        var text = new StringBuilder(256);
        text.Append(message.Method.Method).Append(' ').Append(uri.PathAndQuery).Append(" HTTP/1.1\r\n");
        text.Append("Host: ").Append(message.Headers.Host ?? (uri.IsDefaultPort ? uri.IdnHost : uri.IdnHost + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))).Append("\r\n");
        foreach (var (name, values) in message.Headers.NonValidated)
        {
            if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                text.Append(name).Append(": ").Append(values.ToString()).Append("\r\n");
            }
        }

        if (message.Content is { } content)
        {
            foreach (var (name, values) in content.Headers.NonValidated)
            {
                if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    text.Append(name).Append(": ").Append(values.ToString()).Append("\r\n");
                }
            }

            text.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }
        else if (MustHaveBody(message.Method.Method))
        {
            text.Append("Content-Length: 0\r\n");
        }

        text.Append("\r\n");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c > '~' || (c < ' ' && c is not '\t' and not '\r' and not '\n'))
            {
                return null;
            }
        }

        // A CR or LF inside a value would split the header; SocketsHttpHandler rejects those, so must we.
        if (HasBareLineBreak(text))
        {
            return null;
        }

        var wire = new byte[text.Length + body.Length];
        Encoding.ASCII.GetBytes(text.ToString(), wire);
        body.Span.CopyTo(wire.AsSpan(text.Length));
        return wire;
    }

    /// <summary>As SocketsHttpHandler: every method but GET, HEAD, CONNECT, OPTIONS and DELETE sends Content-Length: 0 without a body.</summary>
    private static bool MustHaveBody(string method) =>
        !method.Equals("GET", StringComparison.OrdinalIgnoreCase) && !method.Equals("HEAD", StringComparison.OrdinalIgnoreCase)
        && !method.Equals("CONNECT", StringComparison.OrdinalIgnoreCase) && !method.Equals("OPTIONS", StringComparison.OrdinalIgnoreCase)
        && !method.Equals("DELETE", StringComparison.OrdinalIgnoreCase);

    private static bool HasBareLineBreak(StringBuilder text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n'))
            {
                return true;
            }

            if (c == '\n' && (i == 0 || text[i - 1] != '\r'))
            {
                return true;
            }

            // "\r\n" followed by whitespace would be an obsolete line fold, i.e. a value containing a line break.
            if (c == '\n' && i + 1 < text.Length && text[i + 1] is ' ' or '\t')
            {
                return true;
            }
        }

        return false;
    }
}
