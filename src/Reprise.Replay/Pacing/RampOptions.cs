using System.Globalization;
using Reprise.Core.Text;

namespace Reprise.Replay.Pacing;

/// <summary>
/// A linear ramp of the pace multiplier from <see cref="From"/> to <see cref="To"/> over <see cref="Over"/>,
/// then held at <see cref="To"/>. Written <c>FROMx:TOx:DURATION</c>, e.g. <c>1x:10x:30s</c>.
/// </summary>
/// <param name="From">Multiplier at the start (greater than 0).</param>
/// <param name="To">Multiplier reached after <paramref name="Over"/> (greater than 0).</param>
/// <param name="Over">How long the ramp lasts.</param>
public sealed record RampOptions(double From, double To, TimeSpan Over)
{
    /// <summary>Parses <c>1x:10x:30s</c>; returns null and an error message when the text is not a ramp.</summary>
    public static RampOptions? TryParse(string text, out string? error)
    {
        error = null;
        var parts = text.Split(':');
        if (parts.Length != 3 || !TryFactor(parts[0], out var from) || !TryFactor(parts[1], out var to))
        {
            error = $"'{text}' is not a ramp (expected FROMx:TOx:DURATION, e.g. 1x:10x:30s)";
            return null;
        }

        if (!DurationText.TryParse(parts[2], out var over) || over <= TimeSpan.Zero)
        {
            error = $"'{text}': '{parts[2]}' is not a positive duration (e.g. 30s, 2m, 500ms)";
            return null;
        }

        return new RampOptions(from, to, over);
    }

    /// <summary>
    /// The wall-clock seconds at which <paramref name="virtualSeconds"/> of paced time (seconds of
    /// recording at 1x, or requests/rate) have been covered, integrating the ramped multiplier.
    /// </summary>
    public double WallSeconds(double virtualSeconds)
    {
        var d = Over.TotalSeconds;
        var rampArea = (From + To) / 2 * d;
        if (virtualSeconds >= rampArea)
        {
            return d + ((virtualSeconds - rampArea) / To);
        }

        // Solve From*t + (To-From)/(2d) * t^2 = x for t in [0, d].
        var a = (To - From) / (2 * d);
        if (Math.Abs(a) < 1e-12)
        {
            return virtualSeconds / From;
        }

        var disc = (From * From) + (4 * a * virtualSeconds);
        return (-From + Math.Sqrt(Math.Max(0, disc))) / (2 * a);
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{From}x:{To}x:{DurationText.Format(Over)}");

    private static bool TryFactor(string text, out double value)
    {
        var t = text.Trim();
        if (t.EndsWith('x') || t.EndsWith('X'))
        {
            t = t[..^1];
        }

        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value > 0 && double.IsFinite(value);
    }
}
