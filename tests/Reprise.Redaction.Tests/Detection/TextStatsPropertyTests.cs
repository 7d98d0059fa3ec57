using System.Text;
using CsCheck;
using Reprise.Redaction.Detection;
using Xunit;

namespace Reprise.Redaction.Tests.Detection;

/// <summary>The UTF-8 statistics (with their letter/digit fast path) equal the straightforward version they replaced, byte for byte of input.</summary>
public sealed class TextStatsPropertyTests
{
    // Every byte the statistics treat specially, letters and digits, and non-ASCII lead and continuation bytes.
    private static readonly Gen<byte[]> Bytes = Gen.OneOf(
        Gen.Byte.Array[0, 40],
        Gen.Char["aZ09 -.()+_/@:=<>x\t\"%"].Select(c => (byte)c).Array[0, 60],
        Gen.OneOf(Gen.Char["aB3 +-.:@=_/"].Select(c => (byte)c), Gen.Byte[(byte)'0', (byte)'9'], Gen.Byte[0x80, 0xFF]).Array[0, 80]);

    [Fact]
    public void OfUtf8_EqualsTheReferenceImplementation()
    {
        Bytes.Sample(bytes => Assert.Equal(Reference(bytes), TextStats.Of(bytes)), iter: 20000);
    }

    [Fact]
    public void OfUtf8_EqualsOfChars_ForAscii()
    {
        Gen.String[Gen.Char["aZ09 -.()+_/@:=<>x"], 0, 60].Sample(text => Assert.Equal(TextStats.Of(text.AsSpan()), TextStats.Of(Encoding.ASCII.GetBytes(text))), iter: 10000);
    }

    [Theory]
    [InlineData("+44 20 7946 0958")]
    [InlineData("4111 1111 1111 1111")]
    [InlineData("abc+123456789")]
    [InlineData("fe80::1")]
    [InlineData("ann.lee0@gmail.com")]
    [InlineData("2026-03-01T10:00:00Z")]
    public void OfUtf8_KnownValues_EqualReference(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Assert.Equal(Reference(bytes), TextStats.Of(bytes));
    }

    // The implementation before the fast path (commit 8c2f61e), kept as the reference.
    private static TextStats Reference(ReadOnlySpan<byte> utf8)
    {
        int digits = 0, letters = 0, at = 0, dots = 0, colons = 0, seps = 0, eq = 0, angles = 0, run = 0, maxRun = 0, group = 0, maxGroup = 0;
        bool plus = false, plusGroup = false, doubleColon = false, previousColon = false;
        foreach (var b in utf8)
        {
            var wasColon = previousColon;
            previousColon = b == ':';
            if ((uint)(b - '0') <= 9)
            {
                group++;
            }
            else if (b is (byte)' ' or (byte)'-' or (byte)'.' or (byte)'(' or (byte)')' or (byte)'+')
            {
                if (b == '+' && group == 0)
                {
                    plus = true;
                }
            }
            else
            {
                if (group > maxGroup)
                {
                    maxGroup = group;
                }

                plusGroup |= plus && group >= 8;
                group = 0;
                plus = false;
            }

            if ((uint)(b - '0') <= 9)
            {
                digits++;
                run++;
            }
            else if ((uint)((b | 0x20) - 'a') <= 'z' - 'a')
            {
                letters++;
                run++;
            }
            else if (b is (byte)'_' or (byte)'-' or (byte)'+' or (byte)'/')
            {
                if (b == '-')
                {
                    seps++;
                }

                run++;
            }
            else
            {
                if (run > maxRun)
                {
                    maxRun = run;
                }

                run = 0;
                switch (b)
                {
                    case (byte)'@': at++; break;
                    case (byte)'.': dots++; break;
                    case (byte)':':
                        doubleColon |= wasColon;
                        colons++;
                        break;
                    case (byte)' ': seps++; break;
                    case (byte)'=': eq++; break;
                    case (byte)'<': angles++; break;
                    default:
                        if (b > 127)
                        {
                            letters++;
                        }

                        break;
                }
            }
        }

        return new TextStats
        {
            Length = utf8.Length, Digits = digits, Letters = letters, At = at, Dots = dots, Colons = colons,
            Separators = seps, EqualSigns = eq, Angles = angles, MaxRun = Math.Max(run, maxRun),
            MaxDigitGroup = Math.Max(group, maxGroup), PlusGroup = plusGroup || (plus && group >= 8), DoubleColon = doubleColon,
        };
    }
}
