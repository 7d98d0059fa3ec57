using System.IO.Compression;
using System.Net.Http.Headers;
using Reprise.Core.Protocols;

namespace Reprise.Replay.Http;

/// <summary>
/// Response decoding for kept results, exactly as SocketsHttpHandler's <c>AutomaticDecompression = All</c> decodes
/// (without its <c>Accept-Encoding</c>: a replayed request asks only for what the recorded client asked): only
/// the last Content-Encoding (gzip, deflate or br, compared ordinally) is decoded; the decoded content loses
/// Content-Length and that last encoding. "deflate" accepts zlib-wrapped and raw deflate data.
/// </summary>
internal static class ContentDecoding
{
    /// <summary>The encoding to decode (and the headers adjusted for it), or null when the body is used as received.</summary>
    public static string? Apply(HttpContentHeaders headers)
    {
        if (!headers.NonValidated.TryGetValues("Content-Encoding", out _))
        {
            return null;
        }

        var encodings = headers.ContentEncoding;
        string? last = null;
        foreach (var encoding in encodings)
        {
            last = encoding;
        }

        if (last is not ("gzip" or "deflate" or "br"))
        {
            return null;
        }

        var kept = encodings.ToArray();
        headers.ContentLength = null;
        encodings.Clear();
        for (var i = 0; i < kept.Length - 1; i++)
        {
            encodings.Add(kept[i]);
        }

        return last;
    }

    /// <summary>A decoding stream over <paramref name="body"/> (which it owns) for <paramref name="encoding"/> (from <see cref="Apply"/>).</summary>
    public static async ValueTask<Stream> OpenAsync(Stream body, string encoding, CancellationToken cancellationToken = default)
    {
        if (encoding == "gzip")
        {
            return new GZipStream(body, CompressionMode.Decompress);
        }

        if (encoding == "br")
        {
            return new BrotliStream(body, CompressionMode.Decompress);
        }

        // deflate: RFC 9110 says zlib-wrapped, some servers send raw deflate; look at the first two bytes.
        var prefix = new byte[DeflateFraming.HeaderLength];
        var length = 0;
        while (length < prefix.Length)
        {
            var n = await body.ReadAsync(prefix.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            length += n;
        }

        return DeflateFraming.Decompress(new PrefixedStream(prefix, length, body), prefix.AsSpan(0, length));
    }
}
