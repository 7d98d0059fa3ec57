namespace Reprise.Mock.Chaos;

/// <summary>A token bucket (capacity one second's worth, at least 1) driven by the injected <see cref="TimeProvider"/>.</summary>
internal sealed class RateLimiter
{
    private readonly double _perSecond;
    private readonly double _capacity;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _last;

    public RateLimiter(double perSecond, TimeProvider time)
    {
        _perSecond = perSecond;
        _capacity = Math.Max(1, perSecond);
        _time = time;
        _tokens = _capacity;
        _last = time.GetTimestamp();
    }

    /// <summary>Takes a token; when none is left, returns false and the whole seconds until one is.</summary>
    public bool TryAcquire(out int retryAfterSeconds)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _perSecond));
            _last = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfterSeconds = 0;
                return true;
            }

            retryAfterSeconds = Math.Max(1, (int)Math.Ceiling((1 - _tokens) / _perSecond));
            return false;
        }
    }
}
