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
}
