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

    /// <summary>True for values that look machine-generated: long enough, varied enough, not a plain word or number.</summary>
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

        var entropy = BitsPerChar(trimmed);
        return (digits > 0 && entropy >= 3.0) || (trimmed.Length >= 16 && entropy >= 3.5);
    }
}
