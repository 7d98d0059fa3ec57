using System.Globalization;

namespace Reprise.Core.Text;

/// <summary>
/// Durations as users write them, one syntax for every flag and rules file: <c>500ms</c>, <c>30s</c>,
/// <c>2m</c>, <c>1h</c>, fractions allowed (<c>1.5s</c>), units in any case. A bare number is seconds
/// unless the caller requires a unit (where a bare number would be ambiguous, as for latencies).
/// </summary>
public static class DurationText
{
    /// <summary>Parses a non-negative duration; false when the text is not one.</summary>
    public static bool TryParse(string text, out TimeSpan value, bool requireUnit = false)
    {
        value = default;
        var t = text.Trim();
        double unit;
        if (t.EndsWith("ms", StringComparison.OrdinalIgnoreCase)) { unit = 0.001; t = t[..^2]; }
        else if (t.EndsWith('s') || t.EndsWith('S')) { unit = 1; t = t[..^1]; }
        else if (t.EndsWith('m') || t.EndsWith('M')) { unit = 60; t = t[..^1]; }
        else if (t.EndsWith('h') || t.EndsWith('H')) { unit = 3600; t = t[..^1]; }
        else if (requireUnit) { return false; }
        else { unit = 1; }

        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number) || number < 0 || number * unit > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(number * unit);
        return true;
    }

    /// <summary>Formats compactly (<c>30s</c>, <c>1.5s</c>, <c>250ms</c>).</summary>
    public static string Format(TimeSpan value) => value.TotalSeconds >= 1
        ? value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
        : value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
}
