using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Reprise.Proxy.Forwarding;

/// <summary>
/// Peeks at the first request on a new proxy connection. A CONNECT head is consumed and parsed; anything
/// else is left unread in the pipe (examined = nothing) so Kestrel parses it as usual.
/// </summary>
internal static class ConnectHeadReader
{
    /// <summary>Longest CONNECT head accepted.</summary>
    public const int MaxHeadBytes = 16 * 1024;

    private static ReadOnlySpan<byte> ConnectPrefix => "CONNECT "u8;

    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    /// <summary>Outcome of peeking.</summary>
    public enum Outcome
    {
        /// <summary>Not a CONNECT: the bytes are still in the pipe.</summary>
        NotConnect,

        /// <summary>A CONNECT head was read and consumed.</summary>
        Connect,

        /// <summary>A CONNECT head that cannot be served (message says why).</summary>
        Bad,

        /// <summary>The client went away first.</summary>
        Closed,
    }

    public static async ValueTask<(Outcome Outcome, ProxyTarget Target, string? Error)> ReadAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (!MayBeConnect(buffer, out var prefixLength))
            {
                input.AdvanceTo(buffer.Start);
                return (Outcome.NotConnect, default, null);
            }

            if (prefixLength == ConnectPrefix.Length)
            {
                var end = Find(buffer);
                if (end is { } headEnd)
                {
                    var parsed = Parse(buffer.Slice(0, headEnd));
                    input.AdvanceTo(buffer.GetPosition(headEnd + HeadEnd.Length));
                    return parsed;
                }

                if (buffer.Length > MaxHeadBytes)
                {
                    input.AdvanceTo(buffer.End);
                    return (Outcome.Bad, default, $"CONNECT head longer than {MaxHeadBytes} bytes");
                }
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                input.AdvanceTo(buffer.End);
                return (Outcome.Closed, default, null);
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool MayBeConnect(ReadOnlySequence<byte> buffer, out int prefixLength)
    {
        prefixLength = (int)Math.Min(buffer.Length, ConnectPrefix.Length);
        Span<byte> prefix = stackalloc byte[8];
        buffer.Slice(0, prefixLength).CopyTo(prefix);
        return ConnectPrefix.StartsWith(prefix[..prefixLength]);
    }

    private static long? Find(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> head, HeadEnd, advancePastDelimiter: false) ? head.Length : null;
    }

    private static (Outcome, ProxyTarget, string?) Parse(ReadOnlySequence<byte> head)
    {
        var lineEnd = head.PositionOf((byte)'\r');
        var lineBytes = lineEnd is { } position ? head.Slice(0, position) : head;
        var line = Encoding.ASCII.GetString(lineBytes);
        var parts = line.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return (Outcome.Bad, default, $"malformed request line '{Truncate(line)}'");
        }

        return ProxyTarget.TryParseAuthority(parts[1], "https", out var target)
            ? (Outcome.Connect, target, null)
            : (Outcome.Bad, default, $"CONNECT target must be host:port, got '{Truncate(parts[1])}'");
    }

    private static string Truncate(string value) => value.Length <= 200 ? value : value[..200] + "...";
}
