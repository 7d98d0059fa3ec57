using System.Net;

namespace Reprise.Redaction.Detection;

/// <summary>Guesses the kind of a whole value, so a rule without <c>kind:</c> still fakes an email as an email and masks a card keeping its last four.</summary>
public static class KindInference
{
    public static DataKind Infer(string value)
    {
        var span = value.AsSpan().Trim();
        if (span.Length == 0)
        {
            return DataKind.Generic;
        }

        var at = span.IndexOf('@');
        if (at > 0 && span[(at + 1)..].Contains('.') && !span.Contains(' '))
        {
            return DataKind.Email;
        }

        if (span.StartsWith("eyJ") && span.Count('.') == 2)
        {
            return DataKind.Jwt;
        }

        if (CardNumberDetector.IsCard(span) && IsDigitsAndSeparators(span))
        {
            return DataKind.CardNumber;
        }

        if (IbanDetector.IsIban(span))
        {
            return DataKind.Iban;
        }

        if ((span.Contains('.') || span.Contains(':')) && IPAddress.TryParse(span, out _))
        {
            return DataKind.IpAddress;
        }

        if (span.Length == 11 && span[3] == '-' && span[6] == '-' && IsDigitsAndSeparators(span))
        {
            return DataKind.NationalId;
        }

        if (span[0] == '+' && IsDigitsAndSeparators(span[1..]))
        {
            return DataKind.Phone;
        }

        return DataKind.Generic;
    }

    private static bool IsDigitsAndSeparators(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c) && c is not (' ' or '-' or '.' or '(' or ')'))
            {
                return false;
            }
        }

        return true;
    }
}
