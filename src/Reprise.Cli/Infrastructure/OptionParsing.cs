using Reprise.Core.Model;
using Reprise.Core.Recording;

namespace Reprise.Cli.Infrastructure;

/// <summary>Turns option strings into typed values once, at the edge, with one-line errors naming the flag.</summary>
internal static class OptionParsing
{
    public static Direction? Direction(string? text, string flag = "--direction")
    {
        if (text is null)
        {
            return null;
        }

        return EnumNames.TryParseDirection(text, out var direction)
            ? direction
            : throw new UsageException($"{flag}: '{text}' is not a direction (inbound or outbound)");
    }

    /// <summary>Repeatable, comma-separated list values (<c>--x a,b --x c</c>) as one list, entries trimmed, empties dropped.</summary>
    public static List<string> SplitList(string[]? values) =>
        values is null ? [] : [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
