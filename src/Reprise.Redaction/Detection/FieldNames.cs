namespace Reprise.Redaction.Detection;

/// <summary>Field-name normalisation shared by every field detector and rule: lower case, without '_', '-', '.', ' ', '$', '@'.</summary>
public static class FieldNames
{
    /// <summary><c>First_Name</c>, <c>first-name</c> and <c>firstName</c> all become <c>firstname</c>; an XML prefix (<c>wsse:</c>) is dropped.</summary>
    public static string Normalize(ReadOnlySpan<char> name)
    {
        Span<char> buffer = name.Length <= 128 ? stackalloc char[name.Length] : new char[name.Length];
        return new string(buffer[..NormalizeInto(name, buffer)]);
    }

    /// <summary>
    /// <see cref="Normalize(ReadOnlySpan{char})"/> written into <paramref name="buffer"/> (as long as
    /// <paramref name="name"/> at least), without a string; the normalized length.
    /// </summary>
    public static int NormalizeInto(ReadOnlySpan<char> name, Span<char> buffer)
    {
        var colon = name.LastIndexOf(':');
        if (colon >= 0 && colon < name.Length - 1)
        {
            name = name[(colon + 1)..];
        }

        var n = 0;
        foreach (var c in name)
        {
            if (c is not ('_' or '-' or '.' or ' ' or '$' or '@'))
            {
                buffer[n++] = char.ToLowerInvariant(c);
            }
        }

        return n;
    }

    /// <summary>
    /// Normalises a form/query key that may use bracket notation (<c>user[password]</c>, <c>card[cvc]</c>,
    /// <c>customer[email]</c>, <c>items[0][email]</c>, <c>tags[]</c>): the last named bracket segment is the
    /// field and the one before it the parent. Empty and numeric segments (array indexes) are skipped.
    /// Keys without brackets are normalised whole with an empty parent.
    /// </summary>
    public static string NormalizeBracketed(ReadOnlySpan<char> key, out string parent)
    {
        parent = string.Empty;
        var open = key.IndexOf('[');
        if (open <= 0 || key.IndexOf(']') < open)
        {
            return Normalize(key);
        }

        ReadOnlySpan<char> last = key[..open];
        ReadOnlySpan<char> previous = [];
        var rest = key[open..];
        while (rest.Length > 0 && rest[0] == '[')
        {
            var close = rest.IndexOf(']');
            if (close < 0)
            {
                break;
            }

            var segment = rest[1..close];
            if (segment.Length > 0 && !IsDigits(segment))
            {
                previous = last;
                last = segment;
            }

            rest = rest[(close + 1)..];
        }

        parent = previous.Length == 0 ? string.Empty : Normalize(previous);
        return Normalize(last);
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="field"/> equals one of <paramref name="names"/> or ends with one of <paramref name="suffixes"/>.</summary>
    public static bool IsOneOf(string field, IReadOnlySet<string> names, string[] suffixes)
    {
        if (names.Contains(field))
        {
            return true;
        }

        foreach (var suffix in suffixes)
        {
            if (field.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
