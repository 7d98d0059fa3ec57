using System.Text.Json;

namespace Reprise.Redaction.Engine;

/// <summary>
/// Reads a JSON string token as text even when its escapes are no valid UTF-16. A lone surrogate escape (<c>"\udc00"</c>) is
/// valid JSON, and what JavaScript's <c>JSON.stringify</c> writes for a string cut inside an emoji (a preview sliced to 100
/// code units); <see cref="Utf8JsonReader.GetString"/> throws on it, and the whole body fell back to plain-text scanning,
/// where detectors that need a field's name (person names, account ids, a password under an unusual key) see nothing.
/// Here each lone surrogate reads as U+FFFD: the value is judged on the rest of its characters, and an edit still replaces
/// the token's bytes as written.
/// </summary>
internal static class JsonStrings
{
    /// <summary>The token's text (a string value or a property name), lone surrogates read as U+FFFD.</summary>
    public static string Read(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException) when (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
        {
            return LoneSurrogatesReplaced(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
        }
    }

    /// <summary>The text of a string token's raw (escaped) bytes with every escape of an unpaired surrogate read as U+FFFD.</summary>
    internal static string LoneSurrogatesReplaced(ReadOnlySpan<byte> raw)
    {
        // "\uXXXX" becomes "\uFFFD" in place (same length), then the quoted copy is read by the reader itself.
        var quoted = new byte[raw.Length + 2];
        quoted[0] = (byte)'"';
        quoted[^1] = (byte)'"';
        var s = quoted.AsSpan(1, raw.Length);
        raw.CopyTo(s);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\')
            {
                continue;
            }

            if (i + 5 >= s.Length || s[i + 1] != 'u' || !TryHex(s.Slice(i + 2, 4), out var unit))
            {
                i++; // a one-character escape (\" \\ \n …): its character is no backslash to look at
                continue;
            }

            if (unit is >= 0xD800 and <= 0xDBFF && i + 11 < s.Length && s[i + 6] == '\\' && s[i + 7] == 'u'
                && TryHex(s.Slice(i + 8, 4), out var low) && low is >= 0xDC00 and <= 0xDFFF)
            {
                i += 11; // a surrogate pair: one character
                continue;
            }

            if (unit is >= 0xD800 and <= 0xDFFF)
            {
                "FFFD"u8.CopyTo(s[(i + 2)..]);
            }

            i += 5;
        }

        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        return reader.GetString()!;
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
