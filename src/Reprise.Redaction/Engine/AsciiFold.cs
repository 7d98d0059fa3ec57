using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace Reprise.Redaction.Engine;

/// <summary>
/// ASCII case folding for the same-value pass's cheap rejection (<see cref="ValueSpread"/>): text lower-cased in ASCII
/// only (vectorized, non-ASCII left as it is), so an ordinal search for a lower-case ASCII string finds exactly what a
/// <see cref="StringComparison.OrdinalIgnoreCase"/> search would, unless the text holds one of the rare non-ASCII
/// characters whose case mapping is ASCII (<see cref="HasAsciiFolding(ReadOnlySpan{char})"/>: none under invariant
/// globalization; the Turkish dotless i, the long s and the Kelvin sign with ICU), which callers treat as a possible match.
/// </summary>
internal static class AsciiFold
{
    private static readonly char[] FoldingChars = ComputeFoldingChars();
    private static readonly SearchValues<char> Folding = SearchValues.Create(FoldingChars);
    private static readonly byte[][] FoldingUtf8 = Array.ConvertAll(FoldingChars, c => Encoding.UTF8.GetBytes(c.ToString()));
    private static readonly SearchValues<byte> FoldingLeads = SearchValues.Create(Array.ConvertAll(FoldingUtf8, b => b[0]));

    /// <summary>
    /// <see cref="string.ToLowerInvariant"/>, returning the string itself when it is ASCII without an upper-case letter
    /// (media types, header names: almost always), instead of scanning and copying it again on every exchange.
    /// </summary>
    public static string LowerInvariant(string text) =>
        !text.AsSpan().ContainsAnyInRange('A', 'Z') && Ascii.IsValid(text) ? text : text.ToLowerInvariant();

    /// <summary>True when the text holds a non-ASCII character whose upper- or lower-case form is ASCII.</summary>
    public static bool HasAsciiFolding(ReadOnlySpan<char> text) => FoldingChars.Length > 0 && text.ContainsAny(Folding);

    /// <summary>True when the UTF-8 bytes hold such a character (see <see cref="HasAsciiFolding(ReadOnlySpan{char})"/>).</summary>
    public static bool HasAsciiFolding(ReadOnlySpan<byte> utf8)
    {
        if (FoldingChars.Length == 0)
        {
            return false;
        }

        var from = 0;
        while (from < utf8.Length)
        {
            var at = utf8[from..].IndexOfAny(FoldingLeads);
            if (at < 0)
            {
                return false;
            }

            at += from;
            foreach (var sequence in FoldingUtf8)
            {
                if (utf8[at..].StartsWith(sequence))
                {
                    return true;
                }
            }

            from = at + 1;
        }

        return false;
    }

    /// <summary>Copies <paramref name="source"/> with ASCII <c>A-Z</c> lower-cased (every other character as it is).</summary>
    public static void ToLower(ReadOnlySpan<char> source, Span<char> destination) =>
        ToLower(MemoryMarshal.Cast<char, ushort>(source), MemoryMarshal.Cast<char, ushort>(destination));

    /// <summary>Copies UTF-8 bytes with ASCII <c>A-Z</c> lower-cased (bytes of multi-byte characters are all ≥ 0x80: untouched).</summary>
    public static void ToLower(ReadOnlySpan<byte> source, Span<byte> destination) => ToLower<byte>(source, destination);

    private static void ToLower<T>(ReadOnlySpan<T> source, Span<T> destination)
        where T : unmanaged, IUnsignedNumber<T>, IBinaryInteger<T>
    {
        destination = destination[..source.Length];
        var i = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<T>.Count)
        {
            var a = new Vector<T>(T.CreateTruncating('A'));
            var letters = new Vector<T>(T.CreateTruncating(26));
            var bit = new Vector<T>(T.CreateTruncating(0x20));
            for (; i <= source.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = new Vector<T>(source[i..]);
                // Unsigned: (c - 'A') < 26 only for 'A'..'Z'.
                (v | (Vector.LessThan(v - a, letters) & bit)).CopyTo(destination[i..]);
            }
        }

        var upperA = T.CreateTruncating('A');
        var upperZ = T.CreateTruncating('Z');
        var lowerBit = T.CreateTruncating(0x20);
        for (; i < source.Length; i++)
        {
            var c = source[i];
            destination[i] = c >= upperA && c <= upperZ ? c | lowerBit : c;
        }
    }

    private static char[] ComputeFoldingChars()
    {
        var found = new List<char>();
        for (var c = 0x80; c <= 0xFFFF; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            var ch = (char)c;
            if (char.ToUpperInvariant(ch) < 0x80 || char.ToLowerInvariant(ch) < 0x80)
            {
                found.Add(ch);
            }
        }

        return [.. found];
    }
}
