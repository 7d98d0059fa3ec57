using System.Globalization;
using Reprise.Core.Text;

namespace Reprise.Mock.Chaos;

/// <summary>Parses the small chaos value syntaxes (<c>fixed:50ms</c>, <c>100/s</c>, <c>1.5s</c>).</summary>
public static class ChaosParsing
{
    /// <summary><c>recorded</c>, <c>none</c> or <c>fixed:DURATION</c>.</summary>
    public static bool TryParseLatency(string text, out LatencyMode mode, out TimeSpan fixedLatency)
    {
        fixedLatency = TimeSpan.Zero;
        mode = LatencyMode.None;
        var value = text.Trim().ToLowerInvariant();
        switch (value)
        {
            case "none":
                return true;
            case "recorded":
                mode = LatencyMode.Recorded;
                return true;
        }

        if (value.StartsWith("fixed:", StringComparison.Ordinal) && TryParseDuration(value[6..], out fixedLatency))
        {
            mode = LatencyMode.Fixed;
            return true;
        }

        return false;
    }

    /// <summary>A chaos duration (<c>250ms</c>, <c>2s</c>, <c>1.5s</c>, <c>1m</c>): the common syntax with a unit required (a bare number could be ms or s), up to one hour.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration) =>
        DurationText.TryParse(text, out duration, requireUnit: true) && duration <= TimeSpan.FromHours(1);

    /// <summary><c>N/s</c>, <c>N/m</c>, <c>N/h</c> into requests per second.</summary>
    public static bool TryParseRateLimit(string text, out double perSecond)
    {
        perSecond = 0;
        var parts = text.Trim().ToLowerInvariant().Split('/');
        if (parts.Length != 2 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0 || double.IsInfinity(n))
        {
            return false;
        }

        double? seconds = parts[1] switch { "s" => 1, "m" => 60, "h" => 3600, _ => null };
        if (seconds is null)
        {
            return false;
        }

        perSecond = n / seconds.Value;
        return true;
    }
}
