using System.Text;
using Reprise.Core.Model;

namespace Reprise.Core.Analysis;

/// <summary>
/// Collapses the variable segments of a path into <c>{id}</c> so endpoints group:
/// <c>/orders/42/items/7f1c...</c> becomes <c>/orders/{id}/items/{id}</c>. Numbers, UUIDs, hex and
/// base64-like tokens, emails and dates are variable; words (even long ones) are not.
/// </summary>
public static class PathTemplate
{
    /// <summary>The placeholder written for a variable segment.</summary>
    public const string Placeholder = "{id}";

    /// <summary>Templates a path (no query).</summary>
    public static string Of(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty)
        {
            return "/";
        }

        var builder = new StringBuilder(path.Length);
        var first = true;
        foreach (var range in path.Split('/'))
        {
            if (!first)
            {
                builder.Append('/');
            }

            first = false;
            var segment = path[range];
            if (IsVariable(segment))
            {
                builder.Append(Placeholder);
            }
            else
            {
                builder.Append(segment);
            }
        }

        return builder.ToString();
    }

    /// <summary>True when a path segment looks like an identifier rather than a resource name.</summary>
    public static bool IsVariable(ReadOnlySpan<char> segment)
    {
        if (segment.IsEmpty)
        {
            return false;
        }

        if ((segment.StartsWith("tok_") || segment.StartsWith("fake_")) && RedactedValue.IsToken(Uri.UnescapeDataString(segment.ToString()).Replace('+', ' ')))
        {
            // What redaction wrote in place of a value is a value: a token without a digit, a name's word tokens
            // (tok_name_…%20tok_name_…) were endpoints of their own.
            return true;
        }

        int digits = 0, letters = 0, hex = 0, other = 0;
        foreach (var c in segment)
        {
            if (char.IsAsciiDigit(c)) { digits++; hex++; }
            else if (char.IsAsciiLetter(c)) { letters++; if (char.IsAsciiHexDigit(c)) { hex++; } }
            else if (c is '-' or '_' or '.' or '@' or '~' or '%' or '=' or '+' or ':') { other++; }
            else { other++; }
        }

        var length = segment.Length;
        if (digits == length)
        {
            return true; // 42, 20240101
        }

        if (segment.Contains('@'))
        {
            return true; // an email address
        }

        if (length == 36 && segment[8] == '-' && segment[13] == '-' && segment[18] == '-' && segment[23] == '-' && hex == 32)
        {
            return true; // UUID
        }

        if (hex == length && length >= 8 && digits > 0)
        {
            return true; // hex id, hash, ObjectId
        }

        if (digits > 0 && digits * 2 >= length - other && length >= 3)
        {
            return true; // mostly digits: ord-1234, v2-991, 2024-01-15
        }

        // Long opaque tokens mixing case and digits (base64/base62 ids, slugs with hashes).
        return length >= 16 && digits > 0 && letters > 0 && other <= 2;
    }
}
