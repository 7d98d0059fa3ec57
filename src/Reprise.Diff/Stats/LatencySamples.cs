namespace Reprise.Diff.Stats;

/// <summary>
/// A bounded uniform sample of latencies (reservoir sampling, Vitter's algorithm R, seeded so the same
/// inputs give the same report). Exact below <see cref="Capacity"/> values; memory never grows past it.
/// </summary>
public sealed class LatencySamples
{
    /// <summary>The default reservoir size per endpoint and side.</summary>
    public const int DefaultCapacity = 20_000;

    private readonly double[] _values;
    private readonly Random _random;
    private int _stored;

    public LatencySamples(int capacity = DefaultCapacity, int seed = 17)
    {
        _values = new double[capacity];
        _random = new Random(seed);
    }

    /// <summary>The reservoir size.</summary>
    public int Capacity => _values.Length;

    /// <summary>Every value ever added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one latency in milliseconds.</summary>
    public void Add(double milliseconds)
    {
        Count++;
        if (_stored < _values.Length)
        {
            _values[_stored++] = milliseconds;
            return;
        }

        var slot = _random.NextInt64(Count);
        if (slot < _values.Length)
        {
            _values[slot] = milliseconds;
        }
    }

    /// <summary>A sorted copy of the sample.</summary>
    public double[] Sorted()
    {
        var copy = _values.AsSpan(0, _stored).ToArray();
        Array.Sort(copy);
        return copy;
    }
}
