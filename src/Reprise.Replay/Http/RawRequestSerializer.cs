using System.Net.Http.Headers;
using System.Text;

namespace Reprise.Replay.Http;

/// <summary>
/// Serialises a request message to HTTP/1.1 wire bytes the way SocketsHttpHandler writes it (header values
/// joined by each header's separator, content headers after request headers, Content-Length from the body;
/// <c>Accept-Encoding</c> only as recorded, as the replay handler does not decompress automatically), so a target
/// sees the same request whichever transport sends it.
/// </summary>
internal static class RawRequestSerializer
{
    /// <summary>The wire bytes, or null when SocketsHttpHandler would reject or re-encode something (non-ASCII, control characters).</summary>
    public static byte[]? Serialize(HttpRequestMessage message, ReadOnlyMemory<byte> body)
    {
        var uri = message.RequestUri!;
        var text = new StringBuilder(256);
        text.Append(message.Method.Method).Append(' ').Append(uri.PathAndQuery).Append(" HTTP/1.1\r\n");
        var host = message.Headers.Host ?? (uri.IsDefaultPort ? HostText(uri) : HostText(uri) + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!IsSafeValue(host))
        {
            return null;
        }

        text.Append("Host: ").Append(host).Append("\r\n");
        foreach (var (name, values) in message.Headers.NonValidated)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // A chunked request body is framed by SocketsHttpHandler, not here.
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) || !AppendHeader(text, name, values))
            {
                return null;
            }
        }

        if (message.Content is { } content)
        {
            foreach (var (name, values) in content.Headers.NonValidated)
            {
                if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !AppendHeader(text, name, values))
                {
                    return null;
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

        var wire = new byte[text.Length + body.Length];
        Encoding.ASCII.GetBytes(text.ToString(), wire);
        body.Span.CopyTo(wire.AsSpan(text.Length));
        return wire;
    }

    /// <summary>
    /// Appends one header line, each value checked on its own: a CR, LF or NUL inside a value (a HAR import, or a
    /// correlated value taken from a response) would end the header early and could inject headers or a whole
    /// second request, so such a request is left to SocketsHttpHandler, which rejects it.
    /// </summary>
    private static bool AppendHeader(StringBuilder text, string name, HeaderStringValues values)
    {
        if (!IsSafeValue(name) || name.Length == 0)
        {
            return false;
        }

        foreach (var value in values)
        {
            if (!IsSafeValue(value))
            {
                return false;
            }
        }

        text.Append(name).Append(": ").Append(values.ToString()).Append("\r\n");
        return true;
    }

    private static bool IsSafeValue(string value) => value.AsSpan().IndexOfAny('\r', '\n', '\0') < 0;

    /// <summary>The Host header's host: IPv6 literals in brackets and without a zone id, as SocketsHttpHandler sends them.</summary>
    private static string HostText(Uri uri)
    {
        if (uri.HostNameType != UriHostNameType.IPv6)
        {
            return uri.IdnHost;
        }

        var address = uri.IdnHost.Trim('[', ']');
        var zone = address.IndexOf('%', StringComparison.Ordinal);
        return "[" + (zone >= 0 ? address[..zone] : address) + "]";
    }

    /// <summary>As SocketsHttpHandler: every method but GET, HEAD, CONNECT, OPTIONS and DELETE sends Content-Length: 0 without a body.</summary>
    private static bool MustHaveBody(string method) =>
        !method.Equals("GET", StringComparison.OrdinalIgnoreCase) && !method.Equals("HEAD", StringComparison.OrdinalIgnoreCase)
        && !method.Equals("CONNECT", StringComparison.OrdinalIgnoreCase) && !method.Equals("OPTIONS", StringComparison.OrdinalIgnoreCase)
        && !method.Equals("DELETE", StringComparison.OrdinalIgnoreCase);
}

