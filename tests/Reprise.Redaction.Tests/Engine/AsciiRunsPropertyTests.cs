using CsCheck;
using Reprise.Redaction.Engine;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>The vectorized run search finds the same runs as a character-by-character walk.</summary>
public sealed class AsciiRunsPropertyTests
{
    [Fact]
    public void Next_FindsTheRunsACharacterWalkFinds()
    {
        var text = Gen.OneOf(
            Gen.String[Gen.Char["aZ09 -.@_+/é:"], 0, 80],
            Gen.String[Gen.Char["abcXYZ0189"], 0, 70],
            Gen.String);
        text.Sample(value => Assert.Equal(Reference(value), Runs(value)), iter: 20000);
    }

    private static List<(int Start, int Length)> Runs(string value)
    {
        var runs = new List<(int, int)>();
        var i = 0;
        while (AsciiRuns.Next(value, ref i, out var start, out var length))
        {
            runs.Add((start, length));
        }

        Assert.Equal(value.Length, i);
        return runs;
    }

    private static List<(int Start, int Length)> Reference(string value)
    {
        var runs = new List<(int, int)>();
        for (var i = 0; i < value.Length;)
        {
            if (!char.IsAsciiLetterOrDigit(value[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < value.Length && char.IsAsciiLetterOrDigit(value[i]))
            {
                i++;
            }

            runs.Add((start, i - start));
        }

        return runs;
    }
}
