using Reprise.Core.Model;

namespace Reprise.Replay.Correlation;

/// <summary>
/// What redaction wrote into a recorded response: the locations the exchange's <c>redactions</c> list
/// names (e.g. <c>response.body:$[0].userId</c>, <c>response.header:set-cookie</c>), and values shaped
/// like redaction output (tokens <c>tok_&lt;hint&gt;_&lt;16 base32&gt;</c>, masks of <c>*</c>). Such a
/// value is not what the application produced: a format-preserving number (<c>1</c> recorded as
/// <c>5</c>) collides with real ids, and one mask stands for many values, so neither may be learned as
/// a correlation source (a whole <c>tok_…</c> token may: see <see cref="IsUniqueToken"/>). The shapes are
/// Core's <see cref="RedactedValue"/>.
/// </summary>
internal sealed class RedactionMarks
{
    private readonly HashSet<string> _locations;
    private readonly Dictionary<string, string>? _issued;

    private RedactionMarks(HashSet<string> locations, Dictionary<string, string>? issued)
    {
        _locations = locations;
        _issued = issued;
    }

    /// <summary>The response and WebSocket message locations redacted in <paramref name="exchange"/>, or null when none were.</summary>
    public static RedactionMarks? Of(Exchange exchange)
    {
        HashSet<string>? locations = null;
        foreach (var redaction in exchange.Redactions)
        {
            if (redaction.Location.StartsWith("response.", StringComparison.Ordinal) || redaction.Location.StartsWith("messages[", StringComparison.Ordinal))
            {
                (locations ??= new HashSet<string>(StringComparer.Ordinal)).Add(redaction.Location);
            }
        }

        return locations is null ? null : new RedactionMarks(locations, Issued(exchange));
    }

    /// <summary>
    /// The credentials the recorded response issued masked, by location (<see cref="WellKnownTags.RedactedIssued"/>:
    /// <c>token@location</c> lines), or null when the exchange names none.
    /// </summary>
    public static Dictionary<string, string>? Issued(Exchange exchange)
    {
        if (TokenLines(exchange, WellKnownTags.RedactedIssued) is not { } lines)
        {
            return null;
        }

        var issued = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (token, location) in lines)
        {
            issued[location] = token;
        }

        return issued;
    }

    /// <summary>
    /// The credentials the recorded request body sent masked (<see cref="WellKnownTags.RedactedSent"/>, in the form of
    /// <see cref="WellKnownTags.RedactedIssued"/>), in the tag's order, or null when the exchange names none.
    /// </summary>
    public static List<(string Token, string Location)>? Sent(Exchange exchange) => TokenLines(exchange, WellKnownTags.RedactedSent);

    /// <summary>The tag's <c>token@location</c> lines with a keyed token and a location, in order; null when there are none.</summary>
    private static List<(string Token, string Location)>? TokenLines(Exchange exchange, string tag)
    {
        if (exchange.Tags.IsEmpty || !exchange.Tags.TryGetValue(tag, out var text))
        {
            return null;
        }

        List<(string Token, string Location)>? lines = null;
        foreach (var line in text.Split('\n'))
        {
            var at = line.IndexOf('@', StringComparison.Ordinal);
            if (at > 0 && at < line.Length - 1 && RedactedValue.IsKeyedToken(line[..at]))
            {
                (lines ??= []).Add((line[..at], line[(at + 1)..]));
            }
        }

        return lines;
    }

    /// <summary>The keyed token of the credential the recorded response issued masked at <paramref name="location"/>, or null.</summary>
    public string? IssuedAt(string location) => _issued is not null && _issued.TryGetValue(location, out var token) ? token : null;

    /// <summary>True when exactly this location was redacted.</summary>
    public bool Contains(string location) => _locations.Contains(location);

    /// <summary>True when this location or anything under it (<c>prefix:…</c>, <c>prefix[…</c>) was redacted.</summary>
    public bool Under(string prefix)
    {
        foreach (var location in _locations)
        {
            if (location.StartsWith(prefix, StringComparison.Ordinal)
                && (location.Length == prefix.Length || location[prefix.Length] is ':' or '[' or '.'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True for a whole tokenize-action token (<c>tok_id_k6tadguhigga3mq7</c>): a keyed hash of one value, so it
    /// names that value alone and never collides with a real one. Such a token in a recorded response (a created
    /// customer's tokenized id) may be paired with the new response's value like any other: the later requests of
    /// the recording carry the same token where the client used that id.
    /// </summary>
    public static bool IsUniqueToken(string value) => RedactedValue.IsKeyedToken(value);

    /// <summary>True when the value has the shape of redaction output: a token or fake, or a mask (mostly <c>*</c>).</summary>
    public static bool LooksRedacted(string value) => RedactedValue.IsRedactionOutput(value);
}
