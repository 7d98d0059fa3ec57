using CsCheck;
using Reprise.Redaction.Detection;
using Xunit;

namespace Reprise.Redaction.Tests.Detection;

/// <summary>
/// <see cref="EmailDetector.Addresses"/> starts the pattern's scan at the run of local-part characters before the first
/// '@' (<see cref="EmailDetector.FirstPossibleStart"/>) instead of at the first character: it must find exactly the
/// addresses a scan from the start finds (the previous code, kept below).
/// </summary>
public sealed class EmailScanStartTests
{
    // ASCII local-part marks and their neighbours, '@', blanks and escapes, non-ASCII letters and digits (\p{L}, \p{N}:
    // é, 中, Arabic-Indic three, superscript two) and non-ASCII non-letters (no-break space, en dash, emoji halves).
    private static readonly Gen<char> Chars = Gen.OneOf(
        Gen.Char["abcXYZ019"],
        Gen.Char["._%+-@"],
        Gen.Char[" ,;:<>()\"'/\\u!#$&*=?^`{|}~"],
        Gen.Char["é中٣²\u00a0\u2013\ud83d\ude00"]);

    private static readonly Gen<string> Words = Gen.String[Gen.Char["abcdefxyz0189"], 1, 12];

    private static readonly Gen<string> Texts = Gen.OneOf(
        Gen.String[Chars, 0, 120],
        // Prose with addresses: "contact ann.lee0@gmail.com", several, reserved ones, escapes before them.
        Gen.Select(Gen.String[Chars, 0, 30], Words, Gen.String[Gen.Char["._%+-abc9é"], 0, 6], Gen.OneOf(Gen.Const("gmail.com"), Gen.Const("x.test"), Gen.Const("a-b.co.uk"), Gen.Const("b.c")), Gen.String[Chars, 0, 30])
            .Select((before, local, marks, domain, after) => before + local + marks + "@" + domain + after),
        Gen.Select(Words, Words, Words).Select((a, b, c) => $"{a} {b}@{c}.com, {c}.{a}@{b}.org \\u003c{a}@{c}.io"),
        // Local-part runs around the 64-character limit, with and without a non-ASCII character in them.
        Gen.Select(Gen.Int[55, 75], Gen.Int[0, 80], Gen.Bool).Select((n, k, nonAscii) =>
        {
            var run = new string('a', n).ToCharArray();
            if (nonAscii && k < n)
            {
                run[k] = 'é';
            }

            return "note " + new string(run) + "@mail.example.org or b@c.de";
        }));

    [Fact]
    public void Addresses_SameAsAScanFromTheStart()
    {
        var found = 0;
        var startedLater = 0;
        Texts.Sample(text =>
        {
            var actual = new List<(int Start, int Length)>();
            EmailDetector.Addresses(text, actual);
            var expected = FromTheStart(text);
            Assert.Equal(expected, actual);
            if (expected.Count > 0)
            {
                Interlocked.Increment(ref found);
                if (EmailDetector.FirstPossibleStart(text) > 0)
                {
                    Interlocked.Increment(ref startedLater);
                }
            }
        }, iter: 100_000);
        Assert.True(found > 10_000, $"{found} texts with an address");
        Assert.True(startedLater > 5_000, $"{startedLater} scans started after the first character");
    }

    // EmailDetector.Addresses before the change: the pattern scanned from the first character.
    private static List<(int Start, int Length)> FromTheStart(string text)
    {
        var matches = new List<(int Start, int Length)>();
        foreach (var match in EmailDetector.AddressPattern.EnumerateMatches(text))
        {
            var (start, length) = (match.Index, match.Length);
            if (EmailDetector.AfterUnicodeEscape(text, start) && length > 6 && char.IsLetterOrDigit(text[start + 5]))
            {
                (start, length) = (start + 5, length - 5);
            }

            if (!EmailDetector.IsReserved(text.AsSpan(start, length)))
            {
                matches.Add((start, length));
            }
        }

        return matches;
    }
}
