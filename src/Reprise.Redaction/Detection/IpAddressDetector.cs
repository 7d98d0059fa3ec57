using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Reprise.Redaction.Detection;

/// <summary>
/// IPv4 and IPv6 addresses (validated by <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>).
/// Unspecified, loopback and broadcast addresses are skipped; the documentation ranges (RFC 5737, RFC 3849) are
/// masked like any address (people use them in test data; a value faked there is left alone by its recorded
/// location). The URL authority and <c>Host</c> header name the service, not a person, and are not scanned.
/// </summary>
public sealed partial class IpAddressDetector : IValueDetector
{
    public string Name => "ip-address";

    public DataKind Kind => DataKind.IpAddress;

    public bool MayMatch(in TextStats stats) => (stats.Digits >= 4 && stats.Dots >= 3) || stats.DoubleColon || stats.Colons >= 7;

    /// <summary>Set when the policy fakes this kind: the values fakes use are then skipped (see <see cref="FakeShapes"/>).</summary>
    public bool SkipFakeShapes { get; init; }


    public void Find(string text, List<(int Start, int Length)> matches)
    {
        foreach (var match in V4().EnumerateMatches(text))
        {
            // "Chrome/120.0.0.0": a version after a product token, not an address.
            var productVersion = match.Index >= 2 && text[match.Index - 1] == '/' && char.IsLetterOrDigit(text[match.Index - 2]);
            if (!productVersion && IPAddress.TryParse(text.AsSpan(match.Index, match.Length), out var address) && !IsSkipped(address) && !(SkipFakeShapes && FakeShapes.IsDocumentationAddress(address)))
            {
                matches.Add((match.Index, match.Length));
            }
        }

        if (text.Contains("::", StringComparison.Ordinal) || text.AsSpan().Count(':') >= 7)
        {
            foreach (var match in V6().EnumerateMatches(text))
            {
                var value = text.AsSpan(match.Index, match.Length);
                if (value.Count(':') >= 2 && IPAddress.TryParse(value, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 && !IsSkipped(address) && !(SkipFakeShapes && FakeShapes.IsDocumentationAddress(address)))
                {
                    matches.Add((match.Index, match.Length));
                }
            }
        }
    }

    internal static bool IsSkipped(IPAddress address)
    {
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast) || address.Equals(IPAddress.IPv6None))
        {
            return true;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4 && bytes[0] == 0; // 0.0.0.0/8: "this network", never a host
    }

    [GeneratedRegex(@"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex V4();

    [GeneratedRegex(@"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:|:)(?::|[0-9A-Fa-f]{0,4}:){1,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])", RegexOptions.CultureInvariant)]
    private static partial Regex V6();
}
