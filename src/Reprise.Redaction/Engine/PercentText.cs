using System.Buffers;
using System.Text;

namespace Reprise.Redaction.Engine;

/// <summary>
/// A query or form value (<c>m%FCller</c>, <c>Jonas+M%C3%BCller</c>) decoded with a map from each decoded character back
/// to the raw text it came from, so a word found in the decoded text is replaced in the raw one and every other byte
/// stays as the client wrote it. Percent-escapes are read as UTF-8 (RFC 3986, WHATWG URL) unless a run of them is not
/// valid UTF-8: then the value was written in a single-byte charset (an old form served as ISO-8859-1, PHP's
/// <c>urlencode</c> of Latin-1 text) and every escape of the value is read as ISO-8859-1, which maps each byte to one
/// character and back, as browsers and servers that fall back to Latin-1 do. A replacement is written back in the same
/// style: the value's charset, <c>+</c> or <c>%20</c> for a space as the value wrote it, the case of its hex digits.
/// </summary>
internal sealed class PercentText
{
    private static readonly SearchValues<char> Unreserved = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~*");

    private readonly int[] _rawStart;

    private PercentText(string text, int[] rawStart, bool latin1, bool plusSpaces, bool lowerHex)
    {
        Text = text;
        _rawStart = rawStart;
        Latin1 = latin1;
        PlusSpaces = plusSpaces;
        LowerHex = lowerHex;
    }

    /// <summary>The decoded value.</summary>
    public string Text { get; }

    /// <summary>True when the value's escapes are ISO-8859-1 bytes (some run of them is not UTF-8).</summary>
    public bool Latin1 { get; }

    /// <summary>True when the value writes a space as <c>+</c>.</summary>
    public bool PlusSpaces { get; }

    /// <summary>True when the value writes its escapes' hex digits in lower case.</summary>
    public bool LowerHex { get; }

    /// <summary>Where decoded character <paramref name="index"/> starts in the raw value (the raw length at <see cref="Text"/>'s length).</summary>
    public int RawIndex(int index) => _rawStart[index];

    /// <summary>Decodes <paramref name="raw"/>: <c>+</c> is a space, <c>%XX</c> a byte, a <c>%</c> not followed by two hex digits itself.</summary>
    public static PercentText Decode(string raw) => Decode(raw, latin1: !EscapesAreUtf8(raw));

    /// <summary>Decodes <paramref name="raw"/> with its escapes read as ISO-8859-1 or UTF-8 (invalid bytes as U+FFFD).</summary>
    internal static PercentText Decode(string raw, bool latin1)
    {
        var text = new StringBuilder(raw.Length);
        var starts = new List<int>(raw.Length + 1);
        var plus = false;
        var lowerHex = false;
        Span<byte> run = stackalloc byte[64];
        Span<char> chars = stackalloc char[2];
        for (var i = 0; i < raw.Length;)
        {
            var c = raw[i];
            if (c == '%' && IsEscape(raw, i))
            {
                // A run of escapes (at start, start + 3, …): bytes, then characters (each mapped to the escape its first byte came from).
                var start = i;
                i = RunEnd(raw, start);
                for (var at = start; at < i; at += 3)
                {
                    lowerHex |= IsLowerHex(raw[at + 1]) || IsLowerHex(raw[at + 2]);
                }

                if (latin1)
                {
                    for (var at = start; at < i; at += 3)
                    {
                        text.Append((char)Byte(raw, at));
                        starts.Add(at);
                    }

                    continue;
                }

                var buffer = RunBytes(raw, start, i, run);
                for (var b = 0; b < buffer.Length;)
                {
                    Rune.DecodeFromUtf8(buffer[b..], out var rune, out var consumed);
                    var written = rune.EncodeToUtf16(chars);
                    for (var k = 0; k < written; k++)
                    {
                        text.Append(chars[k]);
                        starts.Add(start + (3 * b));
                    }

                    b += consumed;
                }

                continue;
            }

            plus |= c == '+';
            text.Append(c == '+' ? ' ' : c);
            starts.Add(i);
            i++;
        }

        starts.Add(raw.Length);
        return new PercentText(text.ToString(), [.. starts], latin1, plus, lowerHex);
    }

    /// <summary>Appends <paramref name="value"/> encoded as this value writes its characters.</summary>
    public void AppendEncoded(StringBuilder output, string value)
    {
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < 0x80 && Unreserved.Contains(c))
            {
                output.Append(c);
            }
            else if (c == ' ')
            {
                output.Append(PlusSpaces ? "+" : "%20");
            }
            else if (c < 0x80 || (Latin1 && c <= 0xFF))
            {
                AppendByte(output, (byte)c);
            }
            else
            {
                var rune = Rune.TryGetRuneAt(value, i, out var r) ? r : Rune.ReplacementChar;
                var length = rune.EncodeToUtf8(utf8);
                for (var b = 0; b < length; b++)
                {
                    AppendByte(output, utf8[b]);
                }

                i += rune.Utf16SequenceLength - 1;
            }
        }
    }

    private void AppendByte(StringBuilder output, byte b)
    {
        var hex = LowerHex ? "0123456789abcdef" : "0123456789ABCDEF";
        output.Append('%').Append(hex[b >> 4]).Append(hex[b & 0xF]);
    }

    /// <summary>True when every run of escapes in <paramref name="raw"/> is valid UTF-8.</summary>
    private static bool EscapesAreUtf8(string raw)
    {
        Span<byte> run = stackalloc byte[64];
        for (var i = raw.IndexOf('%', StringComparison.Ordinal); i >= 0 && i < raw.Length;)
        {
            if (raw[i] == '%' && IsEscape(raw, i))
            {
                var start = i;
                i = RunEnd(raw, start);
                if (!System.Text.Unicode.Utf8.IsValid(RunBytes(raw, start, i, run)))
                {
                    return false;
                }

                continue;
            }

            i++;
        }

        return true;
    }

    /// <summary>The end of the run of escapes that starts at <paramref name="start"/> (one past its last escape).</summary>
    private static int RunEnd(string raw, int start)
    {
        var i = start;
        while (i < raw.Length && raw[i] == '%' && IsEscape(raw, i))
        {
            i += 3;
        }

        return i;
    }

    /// <summary>The bytes of the escapes in <c>raw[start..end]</c>, in <paramref name="buffer"/> when they fit.</summary>
    private static Span<byte> RunBytes(string raw, int start, int end, Span<byte> buffer)
    {
        var count = (end - start) / 3;
        var bytes = count <= buffer.Length ? buffer[..count] : new byte[count];
        for (var b = 0; b < count; b++)
        {
            bytes[b] = Byte(raw, start + (3 * b));
        }

        return bytes;
    }

    private static bool IsEscape(string raw, int at) => at + 2 < raw.Length && char.IsAsciiHexDigit(raw[at + 1]) && char.IsAsciiHexDigit(raw[at + 2]);

    private static bool IsLowerHex(char c) => c is >= 'a' and <= 'f';

    private static byte Byte(string raw, int at) => (byte)((HexValue(raw[at + 1]) << 4) | HexValue(raw[at + 2]));

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
