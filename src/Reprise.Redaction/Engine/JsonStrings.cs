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
        raw.CopyTo(quoted.AsSpan(1, raw.Length));
        Core.Json.LoneSurrogates.Replace(quoted.AsSpan(1, raw.Length));

        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        return reader.GetString()!;
    }
}
