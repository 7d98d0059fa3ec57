using System.Text;

namespace Reprise.Core.Recording;

/// <summary>
/// Strings that recur on almost every line (methods, versions, common header names and media types)
/// returned as shared instances instead of a new allocation per exchange: the read path allocates
/// a third less for typical API traffic (see RecordingFormatBenchmarks).
/// </summary>
internal static class KnownStrings
{
    private static readonly string[] Values =
    [
        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
        "HTTP/1.1", "HTTP/1.0", "HTTP/2", "HTTP/2.0", "HTTP/3", "h2", "h3", "http/1.1", "http/2.0",
        "Host", "host", "Accept", "accept", "Accept-Encoding", "accept-encoding", "Accept-Language", "accept-language",
        "User-Agent", "user-agent", "Content-Type", "content-type", "Content-Length", "content-length",
        "Connection", "connection", "Cache-Control", "cache-control", "Cookie", "cookie", "Set-Cookie", "set-cookie",
        "Authorization", "authorization", "Date", "date", "Server", "server", "ETag", "etag", "Vary", "vary",
        "Transfer-Encoding", "transfer-encoding", "Content-Encoding", "content-encoding", "Location", "location",
        "traceparent", "tracestate", "baggage", "X-Request-Id", "x-request-id", "Origin", "origin", "Referer", "referer",
        ":authority", ":method", ":path", ":scheme", "keep-alive", "close", "gzip", "*/*", "no-cache",
        "application/json", "application/json; charset=utf-8", "text/plain", "text/plain; charset=utf-8", "text/html",
        "text/html; charset=utf-8", "application/xml", "text/xml", "application/x-www-form-urlencoded", "application/grpc",
        "inbound", "outbound",
    ];

    private static readonly byte[][] Utf8 = [.. Values.Select(Encoding.UTF8.GetBytes)];

    /// <summary>The shared instance when <paramref name="utf8"/> is a known string, else null.</summary>
    public static string? Find(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > 32 || utf8.IsEmpty)
        {
            return null;
        }

        var candidates = Utf8;
        for (var i = 0; i < candidates.Length; i++)
        {
            var candidate = candidates[i];
            if (candidate.Length == utf8.Length && candidate[0] == utf8[0] && utf8.SequenceEqual(candidate))
            {
                return Values[i];
            }
        }

        return null;
    }
}
