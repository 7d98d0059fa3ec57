using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Reprise.Redaction.Detection;

/// <summary>
/// IPv4 and IPv6 addresses (validated by <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>).
/// Unspecified, loopback and broadcast addresses are skipped (IPv4-mapped ones too); private and documentation ranges
/// are found like any address (a private address still names a host; people use the documentation ranges in test data).
/// A policy that fakes addresses skips the ranges its fakes are written in (198.18.0.0/15, 2001:db8::/32, see
/// <see cref="Actions.IpAddressFake"/>), so a second pass leaves a fake as it is. The URL authority and <c>Host</c>
/// header name the service, not a person, and are not scanned.
/// An IPv4 address also stands in a host name with hyphens for dots (<see cref="FindInHostNames"/>): an EC2 node
/// <c>ip-10-0-1-23.ec2.internal</c> (or just <c>ip-10-0-1-23</c>) and its public name <c>ec2-54-12-34-56.compute-1.amazonaws.com</c>, a Kubernetes pod <c>10-244-1-5.default.pod.cluster.local</c>,
/// a wildcard-DNS name <c>10-1-2-3.nip.io</c>. Only the four numbers are the match, so a fake keeps the name's shape.
/// </summary>
public sealed partial class IpAddressDetector : IValueDetector
{
    public string Name => "ip-address";

    public DataKind Kind => DataKind.IpAddress;

    public bool MayMatch(in TextStats stats) => (stats.Digits >= 4 && stats.Dots >= 3) || stats.DoubleColon || stats.Colons >= 7 || MayBeInHostName(stats);

    /// <summary>
    /// The pre-check of <see cref="FindInHostNames"/>: four numbers and three hyphens, and two dots after them (the labels a
    /// bare quad needs) or two letters (<c>ip-</c>). A UUID passes it; <see cref="Find"/> then rules it out with two
    /// vectorized searches before any pattern runs.
    /// </summary>
    internal static bool MayBeInHostName(in TextStats stats) =>
        stats.Digits >= 4 && stats.Separators >= 3 && (stats.Dots >= 2 || stats.Letters >= 2);

    /// <summary>Set when the policy fakes this kind: the values fakes use are then skipped (see <see cref="FakeShapes"/>).</summary>
    public bool SkipFakeShapes { get; init; }


    public void Find(string text, List<(int Start, int Length)> matches)
    {
        var dots = text.AsSpan().Count('.');
        if (dots >= 3)
        {
            foreach (var match in V4().EnumerateMatches(text))
            {
                // "Chrome/120.0.0.0": a version after a product token, not an address.
                var productVersion = match.Index >= 2 && text[match.Index - 1] == '/' && char.IsLetterOrDigit(text[match.Index - 2]);
                if (!productVersion && !InNumberList(text, match.Index, match.Length) && TryParseV4(text.AsSpan(match.Index, match.Length), out var address) && !IsSkipped(address) && !(SkipFakeShapes && FakeShapes.IsFakeAddress(address)))
                {
                    matches.Add((match.Index, match.Length));
                }
            }
        }

        if (text.AsSpan().Count('-') >= 3 && (dots >= 2 || text.Contains("ip-", StringComparison.OrdinalIgnoreCase)))
        {
            FindInHostNames(text, matches);
        }

        if (text.Contains("::", StringComparison.Ordinal) || text.AsSpan().Count(':') >= 7)
        {
            foreach (var match in V6().EnumerateMatches(text))
            {
                var value = text.AsSpan(match.Index, match.Length);
                if (value.Count(':') >= 2 && IPAddress.TryParse(value, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 && !IsSkipped(address) && !(SkipFakeShapes && FakeShapes.IsFakeAddress(address)))
                {
                    matches.Add((match.Index, match.Length));
                }
            }
        }
    }

    /// <summary>
    /// IPv4 addresses written as a host name's label, hyphens for dots: after <c>ip-</c> (EC2's private DNS names, whole or
    /// as the short host name), or as the first label of a name with two more whose first starts with a letter (Kubernetes
    /// pod names, nip.io and sslip.io). A value that is only four hyphenated numbers is no host name (a phone number, a date
    /// or a version is written so) and is left alone.
    /// </summary>
    private void FindInHostNames(string text, List<(int Start, int Length)> matches)
    {
        Span<char> buffer = stackalloc char[15]; // 255-255-255-255
        foreach (Match match in HyphenatedV4().Matches(text))
        {
            var quad = match.Groups["quad"];
            if (quad.Index == match.Index && EndsInFileExtension(text, quad.Index + quad.Length))
            {
                continue; // "25-11-27-1.backup.tar", "1-2-3-4.min.js": a file's name, not a host's
            }

            var dotted = buffer[..quad.Length];
            quad.ValueSpan.CopyTo(dotted);
            dotted.Replace('-', '.');
            if (TryParseV4(dotted, out var address) && !IsSkipped(address) && !(SkipFakeShapes && FakeShapes.IsFakeAddress(address)))
            {
                matches.Add((quad.Index, quad.Length));
            }
        }
    }

    /// <summary>The file extensions a name of dotted labels ends in when it names a file (none is a top-level domain in use for hosts).</summary>
    private static readonly System.Collections.Frozen.FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> FileExtensions = System.Collections.Frozen.FrozenSet.ToFrozenSet(
        ["js", "mjs", "css", "map", "json", "html", "htm", "xml", "txt", "csv", "log", "gz", "tgz", "tar", "bz2", "xz", "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "pdf", "bak", "sql", "yaml", "yml"],
        StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>True when the name of dotted labels going on at <paramref name="from"/> ends in a file extension.</summary>
    private static bool EndsInFileExtension(string text, int from)
    {
        var end = from;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '-' or '.'))
        {
            end++;
        }

        var name = text.AsSpan(from, end - from).TrimEnd('.');
        return FileExtensions.Contains(name[(name.LastIndexOf('.') + 1)..]);
    }

    /// <summary>
    /// True when the dotted quad sits in a list of decimal numbers: SVG path data (<c>M2.05-1.1.55.55 .4 1.4.4.4</c>: a
    /// number ends where the next one's dot starts) or coordinates. Around it, within <see cref="Window"/> characters each
    /// side, are three or more decimals (<c>2.05</c>, <c>.4</c>, <c>-.22</c>) and no letters but SVG path commands and
    /// exponents. Netdata's dashboard bundle has 70 such runs in its icons; masked, 38 icons failed to draw
    /// ("attribute d: Expected number", QA round 13c). Prose has words: <c>ping 0.5 ms from 10.0.0.1</c> is an address.
    /// </summary>
    private static bool InNumberList(string text, int index, int length)
    {
        var from = Math.Max(0, index - Window);
        var to = Math.Min(text.Length, index + length + Window);
        var compact = false;
        return CountDecimals(text.AsSpan(from, index - from), ref compact) + CountDecimals(text.AsSpan(index + length, to - index - length), ref compact) >= 3
            && compact;
    }

    private const int Window = 24;

    /// <summary>
    /// The decimals in <paramref name="window"/>: each dot followed by a digit starts one (<c>2.05</c> is one, path data's
    /// <c>1.36.51</c> is <c>1.36</c> and <c>.51</c>), except in a run that is itself a dotted quad (a list of addresses is
    /// no list of numbers); -100 when the window holds a letter that is no SVG path command or exponent.
    /// <paramref name="compact"/> is set when the numbers are written back to back as only path data writes them: a
    /// decimal with no integer part (<c>.4</c>, <c>-.22</c>), a minus right after a digit (<c>2.05-1.1</c>), two decimals
    /// glued (<c>1.36.51</c>). A table's or a CSV row's numbers (<c>81.2.69.160,0.52,1.75,2.25</c>) are separated, and an
    /// address among them is an address.
    /// </summary>
    private static int CountDecimals(ReadOnlySpan<char> window, ref bool compact)
    {
        var count = 0;
        var i = 0;
        while (i < window.Length)
        {
            var c = window[i];
            if (char.IsLetter(c) && "MmLlHhVvCcSsQqTtAaZzEe".IndexOf(c) < 0)
            {
                return -100;
            }

            if (!char.IsAsciiDigit(c) && c != '.')
            {
                compact |= c == '-' && i > 0 && char.IsAsciiDigit(window[i - 1]);
                i++;
                continue;
            }

            var dots = 0;
            compact |= c == '.' && i + 1 < window.Length && char.IsAsciiDigit(window[i + 1]);
            for (; i < window.Length && (char.IsAsciiDigit(window[i]) || window[i] == '.'); i++)
            {
                dots += window[i] == '.' && i + 1 < window.Length && char.IsAsciiDigit(window[i + 1]) ? 1 : 0;
            }

            compact |= dots is 2 or > 3;
            count += dots == 3 ? 0 : dots;
        }

        return count;
    }

    /// <summary>
    /// A dotted quad read as decimal octets of one to three digits, zero-padded ones included (<c>192.168.001.010</c>, as
    /// router pages, Cisco and Windows tools write them: 192.168.1.10). <see cref="IPAddress.TryParse(ReadOnlySpan{char}, out IPAddress?)"/>
    /// reads a leading zero as octal (<c>010</c> is 8) and refuses <c>008</c>, so such an address was never found and went to
    /// disk raw; and a rule's value spelled so got the fake of another address.
    /// </summary>
    internal static bool TryParseV4(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        Span<byte> bytes = stackalloc byte[4];
        var part = 0;
        var value = 0;
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c) && digits < 3)
            {
                value = (value * 10) + (c - '0');
                digits++;
            }
            else if (c == '.' && digits > 0 && part < 3 && value <= 255)
            {
                bytes[part++] = (byte)value;
                (value, digits) = (0, 0);
            }
            else
            {
                return false;
            }
        }

        if (part != 3 || digits == 0 || value > 255)
        {
            return false;
        }

        bytes[3] = (byte)value;
        address = new IPAddress(bytes);
        return true;
    }

    internal static bool IsSkipped(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4(); // ::ffff:127.0.0.1 is loopback, as 127.0.0.1 is
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast) || address.Equals(IPAddress.IPv6None))
        {
            return true;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4 && bytes[0] == 0; // 0.0.0.0/8: "this network", never a host
    }

    // An octet may be zero-padded (001, 010, 08: see TryParseV4).
    [GeneratedRegex(@"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d|0\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d|0\d\d?)(?!\w|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex V4();

    // "ip-" or "ec2-" then a quad ending its label, or a quad as the first of three or more labels (the next starts with a letter).
    [GeneratedRegex(@"(?<![\w.-])(?:(?:ip|ec2)-(?<quad>(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)-){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))(?![\w-])|(?<quad>(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)-){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))(?=\.[A-Za-z][A-Za-z0-9-]*\.[A-Za-z]))", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex HyphenatedV4();

    // The dotted tail is tried before a hex group: "::ffff:10.1.2.3" is one IPv4-mapped address, not "::ffff:10" and ".1.2.3".
    [GeneratedRegex(@"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:|:)(?::|[0-9A-Fa-f]{0,4}:){1,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?(?![\w:])", RegexOptions.CultureInvariant)]
    private static partial Regex V6();
}
