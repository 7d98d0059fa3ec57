using Reprise.Core.Model;
using Reprise.Diff.Bodies;
using Reprise.Diff.Model;
using Reprise.Diff.Noise;

namespace Reprise.Diff.Engine;

/// <summary>Keeps the differences that are not noise for one exchange.</summary>
internal sealed class CollectingSink(NoiseModel noise) : IDiffSink
{
    public string Endpoint { get; set; } = string.Empty;

    public List<Difference> Differences { get; } = [];

    /// <summary>The ids replay correlated in this result's session (recorded → new), from its <c>replay.correlated</c> tag.</summary>
    public List<(string Recorded, string Replayed)> Correlated { get; set; } = [];

    /// <summary>
    /// The recorded request's origin and authority and the replayed request's (<c>http://127.0.0.1:8820</c>,
    /// <c>127.0.0.1:8820</c>), when they differ: an app that writes absolute URLs from its Host (a Location, a
    /// Link header, a WSDL address) names the target it was replayed on.
    /// </summary>
    public (string Origin, string Authority, string NewOrigin, string NewAuthority)? Addresses { get; set; }

    /// <summary>
    /// Like <see cref="Addresses"/> for the address the recorded client used (its <c>Host</c>) when that is not the
    /// recorded URL's: a reverse proxy's listener, which <c>record</c> writes into Locations naming the upstream.
    /// </summary>
    public (string Origin, string Authority, string NewOrigin, string NewAuthority)? ClientAddresses { get; set; }

    /// <summary><see cref="ClientAddresses"/> with the other of http and https (a listener's scheme is not recorded).</summary>
    public (string Origin, string Authority, string NewOrigin, string NewAuthority)? ClientAddressesOtherScheme { get; set; }

    /// <summary>The addresses of two request URLs, or null when they are the same or not absolute.</summary>
    public static (string, string, string, string)? AddressesOf(string recordedUrl, string replayedUrl)
    {
        if (!Uri.TryCreate(recordedUrl, UriKind.Absolute, out var recorded) || !Uri.TryCreate(replayedUrl, UriKind.Absolute, out var replayed)
            || recorded.Scheme is not ("http" or "https") || replayed.Scheme is not ("http" or "https"))
        {
            return null;
        }

        var origin = recorded.GetLeftPart(UriPartial.Authority);
        var newOrigin = replayed.GetLeftPart(UriPartial.Authority);
        return string.Equals(origin, newOrigin, StringComparison.OrdinalIgnoreCase) ? null : (origin, recorded.Authority, newOrigin, replayed.Authority);
    }

    /// <summary>
    /// The request length replay sent, when redaction changed the recorded request body and replay sent that body as
    /// stored: the recorded service saw the original length, the target the redacted one, so an echo of the length
    /// (httpbin's <c>"Content-Length": "95"</c> becoming <c>"111"</c>) is the redaction's doing, not the target's.
    /// </summary>
    public string? RedactedRequestLength { get; set; }

    /// <summary>When the recording and the results were made: a time moved by whole quarter hours must be explained by it.</summary>
    public RunClock? Clock { get; set; }

    private static (string Origin, string Authority, string NewOrigin, string NewAuthority)? Readdressable(
        (string Origin, string Authority, string NewOrigin, string NewAuthority)? addresses, string expected) =>
        addresses is { } a && (expected.Contains(a.Authority, StringComparison.OrdinalIgnoreCase) || expected.Contains(Uri.EscapeDataString(a.Authority), StringComparison.OrdinalIgnoreCase)) ? a : null;

    /// <summary>
    /// True for one email token in its two spellings: a recording made before QA round 12c holds …@redacted.invalid,
    /// results redacted now …@redacted.example.com.
    /// </summary>
    internal static bool IsOneEmailToken(DifferenceKind kind, string? expected, string? actual) =>
        kind == DifferenceKind.Changed && expected is not null && actual is not null
        && string.Equals(RedactedValue.WithCurrentEmailDomain(expected), RedactedValue.WithCurrentEmailDomain(actual), StringComparison.Ordinal);

    public void Report(string location, DifferenceKind kind, string? expected, string? actual)
    {
        if (IsOneEmailToken(kind, expected, actual))
        {
            return;
        }

        if (kind == DifferenceKind.Changed && RedactedRequestLength is { } length && location.StartsWith("body", StringComparison.Ordinal)
            && string.Equals(actual, length, StringComparison.Ordinal) && expected is { Length: > 0 and <= 12 } && expected.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0)
        {
            noise.CountRedactedRequestLength(Endpoint, location);
            return;
        }

        if (kind == DifferenceKind.Changed && expected is not null && actual is not null && location != "status")
        {
            // The recorded client's address may have had either scheme (an http listener in front of an https upstream).
            foreach (var candidate in (ReadOnlySpan<(string, string, string, string)?>)[Addresses, ClientAddresses, ClientAddressesOtherScheme])
            {
                if (Readdressable(candidate, expected) is not { } a)
                {
                    continue;
                }

                // The origin goes through a placeholder first: a new authority that contains the old one (localhost ->
                // localhost:8080) must not be replaced twice.
                // Percent-encoded too: a page's `?return=http%3A%2F%2F127.0.0.1%3A8080%2F` names the address it was
                // reached at as a query value (Tiny Tiny RSS's login form, OAuth's redirect_uri; QA round 13b).
                // An authority with nothing to escape (localhost) is its own encoding: it is replaced once, plainly.
                const string Placeholder = "\uE000", EncodedPlaceholder = "\uE001", EncodedAuthority = "\uE002";
                var encodedAuthority = Uri.EscapeDataString(a.Authority);
                var readdressed = expected.Replace(a.Origin, Placeholder, StringComparison.OrdinalIgnoreCase)
                    .Replace(Uri.EscapeDataString(a.Origin), EncodedPlaceholder, StringComparison.OrdinalIgnoreCase);
                if (!string.Equals(encodedAuthority, a.Authority, StringComparison.Ordinal))
                {
                    readdressed = readdressed.Replace(encodedAuthority, EncodedAuthority, StringComparison.OrdinalIgnoreCase);
                }

                readdressed = readdressed.Replace(a.Authority, a.NewAuthority, StringComparison.OrdinalIgnoreCase)
                    .Replace(EncodedAuthority, Uri.EscapeDataString(a.NewAuthority), StringComparison.Ordinal)
                    .Replace(Placeholder, a.NewOrigin, StringComparison.Ordinal)
                    .Replace(EncodedPlaceholder, Uri.EscapeDataString(a.NewOrigin), StringComparison.Ordinal);
                if (string.Equals(readdressed, actual, StringComparison.Ordinal))
                {
                    noise.CountTargetAddress(Endpoint, location);
                    return;
                }

                if (CorrelatedPairs.Explains(Correlated, readdressed, actual))
                {
                    noise.CountCorrelated(Endpoint, location);
                    return;
                }
            }
        }

        if (kind == DifferenceKind.Changed && expected is not null && actual is not null && location != "status" && CorrelatedPairs.Explains(Correlated, expected, actual))
        {
            // A new id the new build issued, which replay learned and sent on: expected, not a difference.
            noise.CountCorrelated(Endpoint, location);
            return;
        }

        var difference = new Difference(location, kind, expected, actual);
        if (!noise.IsNoise(Endpoint, difference, Clock))
        {
            Differences.Add(difference);
        }
    }
}

/// <summary>
/// Teaches the noise model every location that differs between two runs of one build, except status
/// and transport errors: one flaky run must never hide every status change on an endpoint.
/// </summary>
internal sealed class LearningSink(NoiseModel noise, string source) : IDiffSink
{
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>When the recording and the learned-from run were made: a time that is a reading of its clock is not learned (the time rule judges it).</summary>
    public RunClock? Clock { get; set; }

    public void Report(string location, DifferenceKind kind, string? expected, string? actual)
    {
        if (CollectingSink.IsOneEmailToken(kind, expected, actual))
        {
            return;
        }

        if (location is "status" or "error")
        {
            return;
        }

        if (Clock is { } clock && noise.IsClockReading(new Difference(location, kind, expected, actual), clock))
        {
            return; // a clock reading is noise by its format already; learned, it would hide a time moved by whole hours
        }

        noise.Learn(Endpoint, location, source);
    }
}
