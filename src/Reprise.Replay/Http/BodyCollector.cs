using System.Buffers;

namespace Reprise.Replay.Http;

/// <summary>Reads a response body stream into the outcome's pooled buffer up to the body cap, counting (and dropping) the rest.</summary>
internal static class BodyCollector
{
    public const int InitialBuffer = 16 * 1024;

    /// <summary>
    /// Reads to the end of <paramref name="stream"/> (or, with <paramref name="stopAfterFrames"/> above 0, until that many
    /// whole gRPC messages, or with <paramref name="events"/> server-sent events, arrived; returns how many). The outcome's
    /// length and size are kept current as bytes arrive, so a read cancelled partway leaves what arrived.
    /// </summary>
    public static async Task<int> ReadAsync(Stream stream, SendOutcome outcome, bool keep, int cap, int stopAfterFrames, bool events, CancellationToken cancellationToken)
    {
        var frames = default(FrameCounter);
        var sse = default(SseEventCounter);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        outcome.Buffer = buffer;
        var length = 0;
        long total = 0;
        while (true)
        {
            Memory<byte> target;
            if (keep && length < cap)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(cap, buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                    outcome.Buffer = buffer;
                }

                target = buffer.AsMemory(length, Math.Min(buffer.Length, cap) - length);
            }
            else
            {
                // Past the cap (or not keeping): read into the tail of the buffer and drop it.
                outcome.Scratch ??= ArrayPool<byte>.Shared.Rent(InitialBuffer);
                target = keep ? outcome.Scratch : buffer;
            }

            var read = await stream.ReadAsync(target, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
            if (keep && length < cap)
            {
                length += read;
            }

            outcome.Length = length;
            outcome.Size = total;
            if (stopAfterFrames > 0 && (events ? sse.Add(target.Span[..read]) : frames.Add(target.Span[..read])) >= stopAfterFrames)
            {
                return events ? sse.Count : frames.Count;
            }
        }

        outcome.Length = length;
        outcome.Size = total;
        return events ? sse.Count : frames.Count;
    }

    /// <summary>Counts whole length-prefixed gRPC messages in a byte stream fed in any pieces.</summary>
    private struct FrameCounter
    {
        private long _skip; // payload bytes of the current message still to come
        private int _head; // prefix bytes of the next message seen so far (0-4)
        private uint _length;

        public int Count { get; private set; }

        public int Add(ReadOnlySpan<byte> bytes)
        {
            while (!bytes.IsEmpty)
            {
                if (_skip > 0)
                {
                    var taken = (int)Math.Min(_skip, bytes.Length);
                    _skip -= taken;
                    bytes = bytes[taken..];
                    if (_skip == 0)
                    {
                        Count++;
                    }

                    continue;
                }

                if (_head > 0)
                {
                    _length = (_length << 8) | bytes[0]; // prefix byte 1-4: the big-endian length
                }

                bytes = bytes[1..];
                if (++_head == 5)
                {
                    _head = 0;
                    _skip = _length;
                    _length = 0;
                    if (_skip == 0)
                    {
                        Count++;
                    }
                }
            }

            return Count;
        }
    }
}
