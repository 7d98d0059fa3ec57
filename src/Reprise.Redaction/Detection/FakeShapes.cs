using System.Net;

namespace Reprise.Redaction.Detection;

/// <summary>
/// The values the <c>fake</c> action writes: public test cards, example IBANs, fictional 555-01xx phones and
/// documentation-range addresses. Detectors mask them like any value (they are what people type in test data),
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

    /// <summary>True for an address in the documentation ranges (RFC 5737, RFC 3849) where fake addresses go.</summary>
    public static bool IsDocumentationAddress(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4
            ? (bytes[0] == 192 && bytes[1] == 0 && bytes[2] == 2) || (bytes[0] == 198 && bytes[1] == 51 && bytes[2] == 100) || (bytes[0] == 203 && bytes[1] == 0 && bytes[2] == 113)
            : bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0d && bytes[3] == 0xb8;
    }
}
