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

        // Valid UTF-8 runs are decoded in bulk, each invalid byte becomes one escape character: no allocation per
        // character (a 1 MB binary upload sent as text/plain comes through here).
        var chars = new char[content.Length];
        var bytes = content.AsSpan();
        var length = 0;
        while (!bytes.IsEmpty)
        {
            var status = System.Text.Unicode.Utf8.ToUtf16(bytes, chars.AsSpan(length), out var read, out var written, replaceInvalidSequences: false, isFinalBlock: true);
            if (IndexOfEscape(chars.AsSpan(length, written)) >= 0)
            {
                text = string.Empty;
                encode = static _ => [];
                return false;
            }

            length += written;
            bytes = bytes[read..];
            if (status != System.Buffers.OperationStatus.Done && !bytes.IsEmpty)
            {
                chars[length++] = (char)(EscapeBase + bytes[0]);
                bytes = bytes[1..];
            }
        }

        text = new string(chars, 0, length);
        encode = Encode;
        return true;
    }

    private static byte[] Encode(string text)
    {
        // At most 3 UTF-8 bytes per UTF-16 char (a surrogate pair is 4 bytes for 2 chars); an escape is 1 byte.
        var output = new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        var rest = text.AsSpan();
        var length = 0;
        while (!rest.IsEmpty)
        {
            var escape = IndexOfEscape(rest);
            var run = escape < 0 ? rest : rest[..escape];
            length += Encoding.UTF8.GetBytes(run, output.AsSpan(length));
            if (escape < 0)
            {
                break;
            }

            output[length++] = (byte)(rest[escape] - EscapeBase);
            rest = rest[(escape + 1)..];
        }

        return output.AsSpan(0, length).ToArray();
    }

    /// <summary>
    /// The first escape character (U+F700-U+F7FF), or -1. A plain loop: <c>IndexOfAnyInRange</c> allocated 96 bytes a
    /// call here, once per invalid byte.
    /// </summary>
    private static int IndexOfEscape(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if ((uint)(text[i] - EscapeBase) <= 0xFF)
            {
                return i;
            }
        }

        return -1;
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
