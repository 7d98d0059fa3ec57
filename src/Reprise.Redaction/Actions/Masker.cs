using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Actions;

/// <summary>
/// Format-preserving masks: same length, separators and punctuation kept, letters and digits become
/// '*' except the last <c>keepLast</c> (kept only when at least twice as many are hidden, so a short
/// value is never mostly readable). Masking a masked value changes nothing.
/// </summary>
public static class Masker
{
    /// <summary>How many trailing characters each kind keeps by default (cards, IBANs, SSNs, phones, account ids: 4; secrets: none).</summary>
    public static int DefaultKeepLast(DataKind kind) => kind switch
    {
        DataKind.CardNumber or DataKind.Iban or DataKind.NationalId or DataKind.Phone or DataKind.AccountId => 4,
        _ => 0,
    };

    /// <summary>Masks a text value.</summary>
    public static string Mask(string value, DataKind kind, int keepLast)
    {
        if (kind == DataKind.Email)
        {
            return MaskEmail(value);
        }

        if (kind is DataKind.Password or DataKind.Secret or DataKind.ApiKey or DataKind.BearerToken or DataKind.Jwt && keepLast == 0)
        {
            // Credentials keep only their length: punctuation would reveal their structure.
            return new string('*', value.Length);
        }

        var maskable = 0;
        foreach (var c in value)
        {
            if (c == '*' || char.IsLetterOrDigit(c))
            {
                maskable++;
            }
        }

        var keep = keepLast > 0 && maskable >= 2 * keepLast ? keepLast : 0;
        var chars = value.ToCharArray();
        var kept = 0;
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            var c = chars[i];
            if (c == '*' || !char.IsLetterOrDigit(c))
            {
                if (c == '*')
                {
                    kept++;
                }

                continue;
            }

            if (kept < keep)
            {
                kept++;
                continue;
            }

            chars[i] = '*';
        }

        return new string(chars);
    }

    /// <summary>Masks a JSON number so it stays a valid number of the same length: digits become 0 (the first 9), the last few kept.</summary>
    public static string MaskNumber(string number, int keepLast)
    {
        var digits = 0;
        foreach (var c in number)
        {
            digits += char.IsAsciiDigit(c) ? 1 : 0;
        }

        var keep = keepLast > 0 && digits >= 2 * keepLast ? keepLast : 0;
        var chars = number.ToCharArray();
        var seen = 0;
        var firstDigit = -1;
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(chars[i]))
            {
                continue;
            }

            firstDigit = i;
            if (seen++ < keep)
            {
                continue;
            }

            chars[i] = '0';
        }

        if (firstDigit >= 0 && digits > 1 && seen > keep)
        {
            chars[firstDigit] = '9';
        }

        return new string(chars);
    }

    /// <summary>A short preview for scan output: masked, with the last four shown only for long values.</summary>
    public static string Preview(string value, DataKind kind)
    {
        // Credentials show nothing but their length; long PII values may show their last four (like a card receipt).
        var truncated = value.Length > 64;
        var credential = kind is DataKind.Password or DataKind.Secret or DataKind.ApiKey or DataKind.BearerToken or DataKind.Jwt;
        var preview = Mask(truncated ? value[..64] : value, credential ? DataKind.Secret : kind == DataKind.Email ? DataKind.Email : DataKind.Generic, !credential && !truncated && value.Length >= 12 && DefaultKeepLast(kind) > 0 ? 4 : 0);
        return truncated ? preview + "…" : preview;
    }

    private static string MaskEmail(string value)
    {
        var chars = value.ToCharArray();
        var at = value.LastIndexOf('@');
        var tld = value.LastIndexOf('.');
        for (var i = 0; i < chars.Length; i++)
        {
            if (i == at || (i >= tld && tld > at) || chars[i] == '.')
            {
                continue;
            }

            chars[i] = '*';
        }

        return new string(chars);
    }
}
