namespace Reprise.Redaction.Detection;

/// <summary>
/// Character statistics of a value, computed in one pass so detectors can skip values they cannot
/// match (most JSON values) without running a regex: the reason redaction keeps up with capture.
/// </summary>
public readonly struct TextStats
{
    public int Length { get; init; }

    public int Digits { get; init; }

    public int Letters { get; init; }

    public int At { get; init; }

    public int Dots { get; init; }

    public int Colons { get; init; }

    public int Separators { get; init; }

    /// <summary>'=' count (key=value text, base64 padding).</summary>
    public int EqualSigns { get; init; }

    /// <summary>'&lt;' count (XML-ish text).</summary>
    public int Angles { get; init; }

    /// <summary>Longest run of [A-Za-z0-9_-+/]: API keys, tokens and base64 have long runs.</summary>
    public int MaxRun { get; init; }

    /// <summary>Most digits in one run of digits, spaces, '-', '.', '(', ')' and '+' (card, phone and SSN candidates).</summary>
    public int MaxDigitGroup { get; init; }

    /// <summary>True when a digit group started with '+' (international phone numbers).</summary>
    public bool PlusGroup { get; init; }

    /// <summary>True when "::" occurs (compressed IPv6).</summary>
    public bool DoubleColon { get; init; }

    public static TextStats Of(ReadOnlySpan<char> text)
    {
        int digits = 0, letters = 0, at = 0, dots = 0, colons = 0, seps = 0, eq = 0, angles = 0, run = 0, maxRun = 0, group = 0, maxGroup = 0;
        bool plus = false, plusGroup = false, doubleColon = false, previousColon = false;
        foreach (var c in text)
        {
            var wasColon = previousColon;
            previousColon = c == ':';
            if (char.IsAsciiDigit(c))
            {
                group++;
            }
            else if (c is ' ' or '-' or '.' or '(' or ')' or '+')
            {
                if (c == '+' && group == 0)
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

            if (char.IsAsciiDigit(c))
            {
                digits++;
                run++;
            }
            else if (char.IsAsciiLetter(c))
            {
                letters++;
                run++;
            }
            else if (c is '_' or '-' or '+' or '/')
            {
                if (c == '-')
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
                switch (c)
                {
                    case '@': at++; break;
                    case '.': dots++; break;
                    case ':':
                        doubleColon |= wasColon;
                        colons++;
                        break;
                    case ' ': seps++; break;
                    case '=': eq++; break;
                    case '<': angles++; break;
                    default:
                        if (c > 127 && char.IsLetter(c))
                        {
                            letters++;
                        }

                        break;
                }
            }
        }

        return new TextStats
        {
            Length = text.Length, Digits = digits, Letters = letters, At = at, Dots = dots, Colons = colons,
            Separators = seps, EqualSigns = eq, Angles = angles, MaxRun = Math.Max(run, maxRun),
            MaxDigitGroup = Math.Max(group, maxGroup), PlusGroup = plusGroup || (plus && group >= 8), DoubleColon = doubleColon,
        };
    }

    /// <summary>The same statistics over UTF-8 bytes (non-ASCII bytes count as letters), so a JSON value is checked before it is decoded.</summary>
    public static TextStats Of(ReadOnlySpan<byte> utf8)
    {
        int digits = 0, letters = 0, at = 0, dots = 0, colons = 0, seps = 0, eq = 0, angles = 0, run = 0, maxRun = 0, group = 0, maxGroup = 0;
        bool plus = false, plusGroup = false, doubleColon = false, previousColon = false;
        foreach (var b in utf8)
        {
            // Letters and digits (most bytes of most values) take one test each; the rest runs the general steps below,
            // which give the same counts for them (a letter closes a digit group, a digit extends it and the run).
            if ((uint)((b | 0x20) - 'a') <= 'z' - 'a')
            {
                letters++;
                run++;
                if (group != 0 || plus)
                {
                    if (group > maxGroup)
                    {
                        maxGroup = group;
                    }

                    plusGroup |= plus && group >= 8;
                    group = 0;
                    plus = false;
                }

                previousColon = false;
                continue;
            }

            if ((uint)(b - '0') <= 9)
            {
                digits++;
                run++;
                group++;
                previousColon = false;
                continue;
            }

            var wasColon = previousColon;
            previousColon = b == ':';
            if (b is (byte)' ' or (byte)'-' or (byte)'.' or (byte)'(' or (byte)')' or (byte)'+')
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

            if (b is (byte)'_' or (byte)'-' or (byte)'+' or (byte)'/')
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
