using Reprise.Core.Protocols;

namespace Reprise.Mock.Matching;

/// <summary>
/// A request body without its <c>Content-Encoding</c>, as it is matched: <c>record</c> stores a compressed request body
/// decoded (git's gzipped <c>upload-pack</c> requests, any client compressing uploads), so the live one is decoded too
/// before it is shaped; a body recorded with <c>--no-redact</c> keeps the wire's bytes and its header, and is decoded
/// the same way. A body that does not decode, or decodes past 64 MiB (four times the largest body the mock reads: a
/// decompression bomb would otherwise cost hundreds of megabytes per request), is matched as it is.
/// </summary>
internal static class RequestBodyCoding
{
    internal const int MaxDecoded = 64 * 1024 * 1024;

    public static ReadOnlyMemory<byte> Decoded(ReadOnlyMemory<byte> body, string? contentEncoding)
    {
        if (body.IsEmpty || string.IsNullOrWhiteSpace(contentEncoding) || contentEncoding.Trim().Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return body;
        }

        return ContentDecoding.TryDecode(body.ToArray(), contentEncoding, MaxDecoded, out var decoded, out _) == ContentDecoding.Outcome.Decoded ? decoded : body;
    }
}
