namespace Reprise.Replay.Engine;

/// <summary>Yields buffered items first, then continues with the enumerator they were read from (which it owns).</summary>
internal sealed class PrefixedEnumerator<T>(List<T> buffered, IAsyncEnumerator<T> rest) : IAsyncEnumerator<T>
{
    private int _index = -1;

    public T Current => _index < buffered.Count ? buffered[_index] : rest.Current;

    public ValueTask<bool> MoveNextAsync()
    {
        if (_index < buffered.Count)
        {
            _index++;
            if (_index < buffered.Count)
            {
                return ValueTask.FromResult(true);
            }

            buffered.Clear(); // release the window: only the stream remains
            buffered.TrimExcess();
        }

        return rest.MoveNextAsync();
    }

    public ValueTask DisposeAsync() => rest.DisposeAsync();
}
