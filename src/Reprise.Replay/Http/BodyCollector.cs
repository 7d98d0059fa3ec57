using System.Buffers;

namespace Reprise.Replay.Http;

/// <summary>Reads a response body stream into the outcome's pooled buffer up to the body cap, counting (and dropping) the rest.</summary>
internal static class BodyCollector
{
    public const int InitialBuffer = 16 * 1024;

    public static async Task ReadAsync(Stream stream, SendOutcome outcome, bool keep, int cap, CancellationToken cancellationToken)
    {
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
        }

        outcome.Length = length;
        outcome.Size = total;
    }
}
