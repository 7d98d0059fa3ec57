namespace Reprise.Core.Protocols;

/// <summary>Splits <c>a=1&amp;b=2</c> into decoded pairs, in order, repeated keys kept.</summary>
public static class QueryString
{
    /// <summary>Parses a query string (without the leading '?').</summary>
    public static List<KeyValuePair<string, string>> Parse(ReadOnlySpan<char> query)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var range in query.Split('&'))
        {
            var part = query[range];
            if (part.IsEmpty)
            {
                continue;
            }

            var eq = part.IndexOf('=');
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? [] : part[(eq + 1)..];
            pairs.Add(new(Decode(key), Decode(value)));
        }

        return pairs;
    }

    /// <summary>One form-urlencoded name or value decoded: <c>+</c> is a space, then percent-escapes.</summary>
    public static string Decode(ReadOnlySpan<char> text) => Uri.UnescapeDataString(text.ToString().Replace('+', ' '));
}
