namespace Reprise.Redaction.Detection;

/// <summary>Shannon entropy of a string in bits per character: random secrets score high (base64 ~6, hex ~4), words and enums low.</summary>
public static class Entropy
{
    public static double BitsPerChar(ReadOnlySpan<char> text)
    {
        if (text.Length == 0)
        {
            return 0;
        }

        Span<int> counts = stackalloc int[128];
        var other = 0;
        foreach (var c in text)
        {
            if (c < 128)
            {
                counts[c]++;
            }
            else
            {
                other++;
            }
        }

        double bits = 0;
        double length = text.Length;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                var p = count / length;
                bits -= p * Math.Log2(p);
            }
        }

        if (other > 0)
        {
            var p = other / length;
            bits -= p * Math.Log2(p);
        }

        return bits;
    }

    /// <summary>
    /// True for values that look machine-generated: long enough, varied enough, not a plain word or number. A hex string of
    /// 16 or more characters holding digits and letters (six of them distinct) is machine-made whatever its spread: a hash,
    /// a key, or random bytes written in hex (phpMyAdmin's session token hex-encodes printable characters, so every other
    /// digit is 2-7 and the whole often spreads over fewer than 3 bits a character).
    /// </summary>
    public static bool LooksRandom(ReadOnlySpan<char> value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length < 8 || trimmed.Contains(' '))
        {
            return false;
        }

        var digits = 0;
        var letters = 0;
        foreach (var c in trimmed)
        {
            digits += char.IsAsciiDigit(c) ? 1 : 0;
            letters += char.IsAsciiLetter(c) ? 1 : 0;
        }

        if (letters == 0)
        {
            return false;
        }

        if (digits > 0 && trimmed.Length >= 16 && IsHexWithSpread(trimmed))
        {
            return true;
        }

        var entropy = BitsPerChar(trimmed);
        return (digits > 0 && entropy >= 3.0) || (trimmed.Length >= 16 && entropy >= 3.5);
    }

    private static bool IsHexWithSpread(ReadOnlySpan<char> value)
    {
        Span<bool> seen = stackalloc bool[16];
        var distinct = 0;
        foreach (var c in value)
        {
            var nibble = char.IsAsciiDigit(c) ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : -1;
            if (nibble < 0)
            {
                return false;
            }

            if (!seen[nibble])
            {
                seen[nibble] = true;
                distinct++;
            }
        }

        return distinct >= 6;
    }
}
