namespace Reprise.Redaction.Detection;

/// <summary>The Luhn (mod 10) check digit test of payment card numbers.</summary>
public static class Luhn
{
    /// <summary>True when the digits (other characters ignored) pass the Luhn check.</summary>
    public static bool IsValid(ReadOnlySpan<char> text)
    {
        var sum = 0;
        var doubleIt = false;
        var count = 0;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            var c = text[i];
            if (!char.IsAsciiDigit(c))
            {
                continue;
            }

            var d = c - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
            count++;
        }

        return count > 0 && sum % 10 == 0;
    }
}
