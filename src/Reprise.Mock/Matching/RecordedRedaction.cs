using Reprise.Core.Model;

namespace Reprise.Mock.Matching;

/// <summary>
/// Whether a recorded request value holds what redaction wrote, so a live value at that leaf is withheld from misses: a
/// token anywhere in it (<c>tok_…</c> cannot be an application's own value), or, in a request redaction changed (its
/// exchange lists a <c>request.*</c> redaction), a mask (<c>********</c>, <c>****1234</c>) whole or inside a longer value
/// (a password learned earlier in the stream, masked where it sat inside a command). A mask-shaped value in a request no
/// redaction touched is the application's own (<c>q=*:*</c>, <c>fields=*</c>) and hides nothing.
/// </summary>
internal static class RecordedRedaction
{
    /// <summary>True when redaction changed something in the request of <paramref name="exchange"/>.</summary>
    public static bool RequestRedacted(Exchange exchange)
    {
        foreach (var redaction in exchange.Redactions)
        {
            if (redaction.Location.StartsWith("request", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="value"/> holds a token, or a mask in a request redaction changed.</summary>
    public static bool Holds(string value, bool requestRedacted)
    {
        if (value.Length == 0)
        {
            return false;
        }

        if (RedactedValue.IsToken(value) || (value.Contains('_', StringComparison.Ordinal) && RedactedValue.FindTokens(value).MoveNext()))
        {
            return true;
        }

        return requestRedacted && (RedactedValue.IsRedactionOutput(value) || value.Contains("***", StringComparison.Ordinal));
    }
}
