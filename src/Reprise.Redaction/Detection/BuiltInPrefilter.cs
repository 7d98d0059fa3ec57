namespace Reprise.Redaction.Detection;

/// <summary>
/// The union of every built-in value detector's <see cref="IValueDetector.MayMatch"/> and of the
/// key/value scanner's condition, as one inlined test: the JSON hot path asks it once per value instead
/// of making nine interface calls. Valid only while every value detector of a policy is a built-in
/// (user regex rules match anything and disable it). A property test checks it against the detectors.
/// </summary>
internal static class BuiltInPrefilter
{
    // Bytes 32-95 as bits: '@' ':' '=' '<' for any short value; from 7 bytes on also '.' (an IPv4 address: 4 digits and
    // 3 dots) and '+' (an international phone's group).
    private const ulong ShortMarkBits = (1UL << ('@' - 32)) | (1UL << (':' - 32)) | (1UL << ('=' - 32)) | (1UL << ('<' - 32));

    private const ulong MidMarkBits = ShortMarkBits | (1UL << ('.' - 32)) | (1UL << ('+' - 32));

    private static readonly Type[] Types =
    [
        typeof(EmailDetector), typeof(MailboxNameDetector), typeof(PhoneDetector), typeof(IpAddressDetector), typeof(CardNumberDetector), typeof(IbanDetector),
        typeof(SsnDetector), typeof(JwtDetector), typeof(BearerTokenDetector), typeof(ApiKeyDetector),
    ];

    /// <summary>True when <paramref name="detector"/> is one of the detectors <see cref="MayMatchAny"/> covers.</summary>
    public static bool Covers(IValueDetector detector) => Array.IndexOf(Types, detector.GetType()) >= 0;

    /// <summary>
    /// False when <see cref="MayMatchAny"/> of the value's statistics (of its UTF-8 bytes or of its chars) is false for
    /// sure, so they need not be computed: a value shorter than 7 bytes without '@', ':', '=' or '&lt;' (every other
    /// condition needs 7 or more characters), or one shorter than 14 bytes without '@', ':', '=', '&lt;', '.' or '+' and
    /// with fewer than 9 ASCII digits (the remaining conditions need 14 or more characters: bearer 14, IBAN 15, a run of
    /// 16, JWT 20) and not four digits and three hyphens or spaces (an EC2 host name <c>ip-10-0-1-23</c>). True for every longer value (the caller computes them). Property-tested against <see cref="MayMatchAny"/>.
    /// </summary>
    public static bool MayMatchShort(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length >= 14)
        {
            return true;
        }

        // One scalar pass (these values are too short for a vectorized search to pay for its call): a mark byte is looked up
        // in a bit mask of the bytes 32-95 ('@' ':' '=' '<', and from 7 bytes on also '.' '+'); digits are counted for the
        // 9-13 byte rule (a value under 9 bytes never has 9 digits).
        var marks = utf8.Length < 7 ? ShortMarkBits : MidMarkBits;
        var digits = 0;
        foreach (var b in utf8)
        {
            var index = (uint)(b - 32);
            if (index < 64 && ((marks >> (int)index) & 1) != 0)
            {
                return true;
            }

            digits += (uint)(b - '0') <= 9 ? 1 : 0;
        }

        return digits >= 9 || (digits >= 4 && utf8.Count((byte)'-') + utf8.Count((byte)' ') >= 3);
    }

    /// <summary>False when no built-in detector and no key/value pair can match a value with these statistics.</summary>
    public static bool MayMatchAny(in TextStats s) =>
        (s.At > 0 && s.Dots > 0 && s.Length >= 6) // email, mailbox-name (8)
        || s.MaxDigitGroup >= 9 // phone (10), card (13), us-ssn (9)
        || s.PlusGroup // phone
        || (s.Digits >= 4 && s.Dots >= 3) || s.DoubleColon || s.Colons >= 7 || IpAddressDetector.MayBeInHostName(s) // ip-address
        || (s.Length >= 15 && s.Digits >= 4 && s.Letters >= 2 && (s.MaxRun >= 15 || s.Separators >= 3)) // iban
        || (s.Length >= 20 && s.Dots >= 1 && s.MaxRun >= 8) // jwt
        || (s.Length >= 14 && s.Separators >= 1 && s.MaxRun >= 8 && s.Letters >= 5) // bearer-token
        || s.MaxRun >= 16 || (s.MaxRun >= 10 && s.EqualSigns > 0) // api-key
        || ((s.EqualSigns > 0 || s.Colons > 0 || s.Angles > 0) && s.Letters >= 3); // key/value scanner
}
