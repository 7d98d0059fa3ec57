using System.Net;

namespace Reprise.Redaction.Detection;

/// <summary>
/// The values the <c>fake</c> action writes: public test cards, example IBANs, fictional 555-01xx phones and
/// addresses in the benchmarking and documentation ranges. Detectors mask them like any value (they are what people type in test data),
/// except for a kind the policy fakes: there a fake the same-value pass wrote into free text must not be found
/// again on a second pass, or redaction would not be idempotent.
/// </summary>
internal static class FakeShapes
{
    /// <summary>True when the digits of <paramref name="value"/> are one of the test cards fakes use.</summary>
    public static bool IsTestCard(ReadOnlySpan<char> value)
    {
        Span<char> digits = stackalloc char[value.Length];
        var n = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                digits[n++] = c;
            }
        }

        foreach (var test in Actions.ValueRewriter.TestCards)
        {
            if (digits[..n].SequenceEqual(test))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for one of the example IBANs fakes use (spaces and case ignored).</summary>
    public static bool IsExampleIban(ReadOnlySpan<char> value)
    {
        Span<char> compact = stackalloc char[value.Length];
        var n = 0;
        foreach (var c in value)
        {
            if (c != ' ')
            {
                compact[n++] = char.ToUpperInvariant(c);
            }
        }

        foreach (var example in Actions.ValueRewriter.ExampleIbans)
        {
            if (compact[..n].SequenceEqual(example))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for a NANP number in 555-0100..0199, reserved for fiction (where fake phones go).</summary>
    public static bool IsFictionalPhone(ReadOnlySpan<char> value)
    {
        Span<char> digits = stackalloc char[20];
        var n = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c) && n < digits.Length)
            {
                digits[n++] = c;
            }
        }

        return n >= 7 && digits[(n - 7)..n].StartsWith("55501");
    }

    /// <summary>
    /// True for an address in the ranges fake addresses are written in: 198.18.0.0/15 (RFC 2544 benchmarking, also
    /// IPv4-mapped) and 2001:db8::/32 (RFC 3849 documentation). No host has one, so a policy that fakes addresses leaves them.
    /// </summary>
    public static bool IsFakeAddress(IPAddress address) => Actions.IpAddressFake.IsFake(address);
}
