using System.Globalization;

namespace Reprise.Capture.Recording;

/// <summary>Parses sizes such as <c>1MB</c>, <c>512KB</c>, <c>64k</c>, <c>2GiB</c>, <c>1048576</c> (1 KB = 1024 bytes).</summary>
public static class ByteSize
{
    /// <summary>Parses <paramref name="text"/> into bytes.</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var value = text?.Trim() ?? string.Empty;
        var end = 0;
        while (end < value.Length && (char.IsAsciiDigit(value[end]) || value[end] == '.'))
        {
            end++;
        }

        if (end == 0 || !double.TryParse(value.AsSpan(0, end), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        long multiplier = value[end..].Trim().ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1024,
            "M" or "MB" or "MIB" => 1024 * 1024,
            "G" or "GB" or "GIB" => 1024L * 1024 * 1024,
            _ => -1,
        };
        var total = number * multiplier;
        if (multiplier < 0 || total > long.MaxValue / 2)
        {
            return false;
        }

        bytes = (long)total;
        return true;
    }

    /// <summary>Formats bytes for humans (<c>1.5 MB</c>).</summary>
    public static string Format(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("0.##", CultureInfo.InvariantCulture) + " GB",
    };
}
