using Reprise.Replay.Http;

namespace Reprise.Replay.Tests.Http;

/// <summary>Delivers fixed bytes in the given pieces (a receive never spans a split point), then end of stream.</summary>
internal sealed class SplitSource(byte[] data, IReadOnlyList<int> splits) : IResponseSource
{
    private int _position;
    private int _next;

    public int Receives { get; private set; }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        Receives++;
        if (_position >= data.Length)
        {
            return ValueTask.FromResult(0);
        }

        while (_next < splits.Count && splits[_next] <= _position)
        {
            _next++;
        }

        var limit = _next < splits.Count ? splits[_next] : data.Length;
        var n = Math.Min(buffer.Length, limit - _position);
        data.AsSpan(_position, n).CopyTo(buffer.Span);
        _position += n;
        return ValueTask.FromResult(n);
    }
}
