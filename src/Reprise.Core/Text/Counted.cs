using System.Globalization;

namespace Reprise.Core.Text;

/// <summary>A count with its noun in the right number for status and summary lines ("1 error", "2 errors", "1,204 exchanges").</summary>
public static class Counted
{
    /// <summary><paramref name="count"/> (grouped thousands) and <paramref name="one"/>, or <paramref name="many"/> (default: <paramref name="one"/> + "s") unless it is exactly 1.</summary>
    public static string Of(long count, string one, string? many = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? one : many ?? one + "s")}");
}
