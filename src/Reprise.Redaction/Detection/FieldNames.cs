namespace Reprise.Redaction.Detection;

/// <summary>Field-name normalisation shared by every field detector and rule: lower case, without '_', '-', '.', ' ', '$', '@'.</summary>
public static class FieldNames
{
    /// <summary><c>First_Name</c>, <c>first-name</c> and <c>firstName</c> all become <c>firstname</c>; an XML prefix (<c>wsse:</c>) is dropped.</summary>
    public static string Normalize(ReadOnlySpan<char> name)
    {
        var colon = name.LastIndexOf(':');
        if (colon >= 0 && colon < name.Length - 1)
        {
            name = name[(colon + 1)..];
        }

        Span<char> buffer = name.Length <= 128 ? stackalloc char[name.Length] : new char[name.Length];
        var n = 0;
        var changed = false;
        foreach (var c in name)
        {
            if (c is '_' or '-' or '.' or ' ' or '$' or '@')
            {
                changed = true;
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            changed |= lower != c;
            buffer[n++] = lower;
        }

        return new string(buffer[..n]);
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
