namespace Reprise.Diff.Bodies;

/// <summary>
/// JSON text with each lone surrogate escape (<c>\ud83d</c> with no low half after it, a <c>\udc00</c> alone: valid JSON,
/// what <c>JSON.stringify</c> writes for a string cut inside an emoji) written as <c>\ufffd</c>, the replacement character,
/// as the redactor reads them. <see cref="System.Text.Json.JsonElement.GetString"/> and a member's name refuse such a string
/// with an <see cref="InvalidOperationException"/>, which ended the whole diff. Same length; the input itself when it holds none.
/// </summary>
internal static class LoneSurrogates
{
    public static ReadOnlyMemory<byte> Replaced(ReadOnlyMemory<byte> json)
    {
        var span = json.Span;
        if (span.IndexOf("\\ud"u8) < 0 && span.IndexOf("\\uD"u8) < 0)
        {
            return json;
        }

        byte[]? copy = null;
        for (var i = 0; i + 5 < span.Length; i++)
        {
            if (span[i] != (byte)'\\')
            {
                continue;
            }

            if (span[i + 1] != (byte)'u')
            {
                i++; // an escaped character (\\ included): what follows it is text
                continue;
            }

            if (Surrogate(span, i) is not { } unit)
            {
                continue;
            }

            var high = unit < 0xDC00;
            if (high && Surrogate(span, i + 6) is >= 0xDC00)
            {
                i += 11; // a pair
                continue;
            }

            copy ??= span.ToArray();
            "\\ufffd"u8.CopyTo(copy.AsSpan(i));
            i += 5;
        }

        return copy is null ? json : copy;
    }

    /// <summary>The UTF-16 unit of a <c>\uXXXX</c> escape at <paramref name="at"/> when it is a surrogate half.</summary>
    private static int? Surrogate(ReadOnlySpan<byte> span, int at)
    {
        if (at + 5 >= span.Length || span[at] != (byte)'\\' || span[at + 1] != (byte)'u'
            || !int.TryParse(System.Text.Encoding.ASCII.GetString(span.Slice(at + 2, 4)), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var unit))
        {
            return null;
        }

        return unit is >= 0xD800 and <= 0xDFFF ? unit : null;
    }
}
