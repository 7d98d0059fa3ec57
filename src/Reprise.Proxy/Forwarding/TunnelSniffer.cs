using System.Buffers;

namespace Reprise.Proxy.Forwarding;

/// <summary>
/// Tells what a client speaks inside a CONNECT tunnel from its first bytes: a TLS ClientHello (record
/// type 0x16), the HTTP/2 connection preface (h2c prior knowledge, RFC 9113 section 3.4), an HTTP/1.x
/// request line (<c>METHOD SP target SP HTTP/1.x CRLF</c>), or something else. Text protocols whose lines
/// also start with an upper-case word (IRC <c>NICK</c>, SIP, RTSP, Redis inline commands) are "something
/// else": only a line ending in an HTTP/1 version is HTTP.
/// </summary>
internal static class TunnelSniffer
{
    /// <summary>The verdict; <see cref="NeedMore"/> while the bytes so far fit more than one.</summary>
    public enum Kind
    {
        NeedMore,
        Tls,
        Http2,
        Http1,
        Other,
    }

    private const int MaxMethodLength = 24;

    /// <summary>Longest request line looked at; a longer one is not taken for HTTP.</summary>
    public const int MaxRequestLine = 8 * 1024;

    private static ReadOnlySpan<byte> Preface => Connections.CleartextHttp2Feature.Preface;

    public static Kind Classify(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return Kind.NeedMore;
        }

        if (buffer.IsSingleSegment)
        {
            return Classify(buffer.FirstSpan);
        }

        var length = (int)Math.Min(buffer.Length, MaxRequestLine + 2);
        var head = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(head);
            return Classify(head.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    public static Kind Classify(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return Kind.NeedMore;
        }

        if (head[0] == 0x16)
        {
            return Kind.Tls;
        }

        var prefaceLength = Math.Min(head.Length, Preface.Length);
        if (Preface.StartsWith(head[..prefaceLength]))
        {
            return prefaceLength == Preface.Length ? Kind.Http2 : Kind.NeedMore;
        }

        // An HTTP/1.x request line: a method token (RFC 9110 section 9: upper case in practice), a space, the
        // target, a space and the version, then CRLF (a bare LF is tolerated, as Kestrel does).
        for (var i = 0; i < head.Length && i <= MaxMethodLength; i++)
        {
            var b = head[i];
            if (b == (byte)' ')
            {
                return i > 0 ? ClassifyRequestLine(head) : Kind.Other;
            }

            if (b is < (byte)'A' or > (byte)'Z' && b != (byte)'-' && b != (byte)'_')
            {
                return Kind.Other;
            }
        }

        return head.Length > MaxMethodLength ? Kind.Other : Kind.NeedMore;
    }

    private static Kind ClassifyRequestLine(ReadOnlySpan<byte> head)
    {
        var end = head[..Math.Min(head.Length, MaxRequestLine + 2)].IndexOf((byte)'\n');
        if (end < 0)
        {
            return head.Length > MaxRequestLine ? Kind.Other : Kind.NeedMore;
        }

        var line = head[..end];
        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        return line.EndsWith(" HTTP/1.1"u8) || line.EndsWith(" HTTP/1.0"u8) ? Kind.Http1 : Kind.Other;
    }
}
