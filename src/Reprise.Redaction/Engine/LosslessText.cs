using System.Text;

namespace Reprise.Redaction.Engine;

/// <summary>
/// Text bodies that are not UTF-8 (ISO-8859-1 forms and pages, Windows-1252 JSON, or binary bytes sent as
/// <c>text/plain</c>), decoded so that every rule and detector runs on them and encoded back so that every
/// byte redaction did not touch is stored exactly as captured. A declared single-byte charset that
/// round-trips the bytes is used as it is (so <c>Zoë</c> is a name); otherwise valid UTF-8 sequences decode
/// as UTF-8 and each invalid byte becomes a private-use character (U+F700 + byte) that encodes back into
/// that byte. Decoding such a body as lossy UTF-8 would store U+FFFD for every non-ASCII character.
/// </summary>
internal static class LosslessText
{
    private const int EscapeBase = 0xF700;

    /// <summary>Decodes <paramref name="content"/>; false when no lossless decoding exists (a valid U+F7xx character in the body).</summary>
    public static bool TryDecode(byte[] content, string mediaType, out string text, out Func<string, byte[]> encode)
    {
        if (Declared(mediaType) is { } encoding)
        {
            var decoded = encoding.GetString(content);
            if (encoding.GetBytes(decoded).AsSpan().SequenceEqual(content))
            {
                text = decoded;
                encode = encoding.GetBytes;
                return true;
            }
        }

        var builder = new StringBuilder(content.Length);
        var bytes = content.AsSpan();
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) == System.Buffers.OperationStatus.Done)
            {
                if (rune.Value is >= EscapeBase and <= EscapeBase + 0xFF)
                {
                    text = string.Empty;
                    encode = static _ => [];
                    return false;
                }

                builder.Append(rune.ToString());
                bytes = bytes[consumed..];
            }
            else
            {
                builder.Append((char)(EscapeBase + bytes[0]));
                bytes = bytes[1..];
            }
        }

        text = builder.ToString();
        encode = Encode;
        return true;
    }

    private static byte[] Encode(string text)
    {
        var output = new List<byte>(text.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is >= EscapeBase and <= EscapeBase + 0xFF)
            {
                output.Add((byte)(rune.Value - EscapeBase));
            }
            else
            {
                var written = rune.EncodeToUtf8(utf8);
                for (var i = 0; i < written; i++)
                {
                    output.Add(utf8[i]);
                }
            }
        }

        return [.. output];
    }

    /// <summary>The declared charset when it is a single-byte one .NET knows (ISO-8859-*, Windows-125*, ...), else null.</summary>
    private static Encoding? Declared(string mediaType)
    {
        var charset = Utf16Text.Charset(mediaType);
        if (string.IsNullOrEmpty(charset) || charset is "utf-8" or "utf8")
        {
            return null;
        }

        try
        {
            var encoding = CodePagesEncodingProvider.Instance.GetEncoding(charset) ?? Encoding.GetEncoding(charset);
            return encoding.IsSingleByte ? encoding : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
