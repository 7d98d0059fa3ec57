namespace Reprise.Core.Json;

/// <summary>
/// JSON text with each lone surrogate escape (<c>\ud83d</c> with no low half after it, a <c>\udc00</c> alone: valid JSON,
/// what <c>JSON.stringify</c> writes for a string cut inside an emoji) written as <c>\uFFFD</c>, the replacement character.
/// <see cref="System.Text.Json.Utf8JsonReader.GetString"/>, <see cref="System.Text.Json.JsonElement.GetString"/> and a
/// member's name refuse such a string with an <see cref="InvalidOperationException"/>. The length is kept, so offsets into
/// the text stay valid.
/// </summary>
public static class LoneSurrogates
{
    /// <summary>
    /// The string or member name at the reader, or null when it holds a lone surrogate escape (which
    /// <see cref="System.Text.Json.Utf8JsonReader.GetString"/> refuses): for readers that only look for a value, where such a
    /// string is simply not the one they look for.
    /// </summary>
    public static string? GetStringOrNull(ref System.Text.Json.Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Rewrites the lone surrogate escapes of <paramref name="json"/> in place; true when there was one.</summary>
    public static bool Replace(Span<byte> json)
    {
        var changed = false;
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] != '\\')
            {
                continue;
            }

            if (i + 5 >= json.Length || json[i + 1] != 'u' || !TryHex(json.Slice(i + 2, 4), out var unit))
            {
                i++; // a one-character escape (\" \\ \n …): its character is no backslash to look at
                continue;
            }

            if (unit is >= 0xD800 and <= 0xDBFF && i + 11 < json.Length && json[i + 6] == '\\' && json[i + 7] == 'u'
                && TryHex(json.Slice(i + 8, 4), out var low) && low is >= 0xDC00 and <= 0xDFFF)
            {
                i += 11; // a surrogate pair: one character
                continue;
            }

            if (unit is >= 0xD800 and <= 0xDFFF)
            {
                "FFFD"u8.CopyTo(json[(i + 2)..]);
                changed = true;
            }

            i += 5;
        }

        return changed;
    }

    /// <summary><paramref name="json"/> with its lone surrogate escapes replaced (a copy), or itself when it has none.</summary>
    public static ReadOnlyMemory<byte> Replaced(ReadOnlyMemory<byte> json)
    {
        if (json.Span.IndexOf("\\ud"u8) < 0 && json.Span.IndexOf("\\uD"u8) < 0)
        {
            return json;
        }

        var copy = json.ToArray();
        return Replace(copy) ? copy : json;
    }

    private static bool TryHex(ReadOnlySpan<byte> four, out int value)
    {
        value = 0;
        foreach (var b in four)
        {
            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }
}
