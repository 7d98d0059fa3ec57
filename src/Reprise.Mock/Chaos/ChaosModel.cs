namespace Reprise.Mock.Chaos;

/// <summary>Validated chaos settings for one route (or the whole mock).</summary>
internal sealed record ChaosModel
{
    public static readonly ChaosModel None = new();

    public LatencyMode Latency { get; init; } = LatencyMode.None;

    public TimeSpan FixedLatency { get; init; }

    public double ErrorRate { get; init; }

    public int ErrorStatus { get; init; } = 503;

    public double ResetRate { get; init; }

    public double TimeoutRate { get; init; }

    public RateLimiter? RateLimit { get; init; }

    /// <summary>Validates options and layers them over <paramref name="parent"/>; errors are added with <paramref name="where"/> as prefix.</summary>
    public static ChaosModel Build(ChaosOptions? options, ChaosModel parent, string where, TimeProvider time, List<string> errors)
    {
        if (options is null)
        {
            return parent;
        }

        // Flags are spelled --error-rate; YAML keys errorRate.
        var yaml = !where.StartsWith("--", StringComparison.Ordinal);
        string Name(string flag, string key) => where + (yaml ? key : flag);
        var model = parent;
        if (options.Latency is { } latency)
        {
            if (ChaosParsing.TryParseLatency(latency, out var mode, out var fixedLatency))
            {
                model = model with { Latency = mode, FixedLatency = fixedLatency };
            }
            else
            {
                errors.Add($"{Name("latency", "latency")}: '{latency}' is not recorded, none or fixed:DURATION (e.g. fixed:50ms)");
            }
        }

        model = model with
        {
            ErrorRate = Rate(options.ErrorRate, parent.ErrorRate, Name("error-rate", "errorRate"), errors),
            ResetRate = Rate(options.ResetRate, parent.ResetRate, Name("reset-rate", "resetRate"), errors),
            TimeoutRate = Rate(options.TimeoutRate, parent.TimeoutRate, Name("timeout-rate", "timeoutRate"), errors),
        };
        if (options.ErrorStatus is { } status)
        {
            if (status is < 100 or > 599)
            {
                errors.Add($"{Name("error-status", "errorStatus")}: '{status}' is not an HTTP status (100-599)");
            }
            else
            {
                model = model with { ErrorStatus = status };
            }
        }

        if (options.RateLimit is { } rate)
        {
            if (ChaosParsing.TryParseRateLimit(rate, out var perSecond))
            {
                model = model with { RateLimit = new RateLimiter(perSecond, time) };
            }
            else
            {
                errors.Add($"{Name("rate-limit", "rateLimit")}: '{rate}' is not N/s, N/m or N/h with N > 0 (e.g. 100/s)");
            }
        }

        return model;
    }

    private static double Rate(double? value, double inherited, string name, List<string> errors)
    {
        if (value is not { } v)
        {
            return inherited;
        }

        if (double.IsNaN(v) || v < 0 || v > 1)
        {
            errors.Add($"{name}: '{v.ToString(System.Globalization.CultureInfo.InvariantCulture)}' is not a probability between 0 and 1");
            return inherited;
        }

        return v;
    }
}
