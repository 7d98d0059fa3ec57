using System.Buffers;

namespace Reprise.Proxy.Forwarding;

/// <summary>
/// Tells what a client speaks inside a CONNECT tunnel from its first bytes: a TLS ClientHello (record
/// type 0x16), the HTTP/2 connection preface (h2c prior knowledge, RFC 9113 section 3.4), an HTTP/1.x
/// request line (a method token and a space), or something else.
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

    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public static Kind Classify(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return Kind.NeedMore;
        }

        Span<byte> head = stackalloc byte[Math.Max(Preface.Length, MaxMethodLength + 1)];
        var length = (int)Math.Min(buffer.Length, head.Length);
        buffer.Slice(0, length).CopyTo(head);
        return Classify(head[..length]);
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

        // An HTTP/1.x request line starts with a method token (RFC 9110 section 9: uppercase in practice) and a space.
        for (var i = 0; i < head.Length && i <= MaxMethodLength; i++)
        {
            var b = head[i];
            if (b == (byte)' ')
            {
                return i > 0 ? Kind.Http1 : Kind.Other;
            }

            if (b is < (byte)'A' or > (byte)'Z' && b != (byte)'-' && b != (byte)'_')
            {
                return Kind.Other;
            }
        }

        return head.Length > MaxMethodLength ? Kind.Other : Kind.NeedMore;
    }
}
