using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Reprise.Redaction.Policy;

namespace Reprise.Redaction.Actions;

/// <summary>
/// The <c>fake</c> of an IP address: an address of the same family, chosen by the key, in a range no host has.
/// <list type="bullet">
/// <item>IPv4 goes to 198.18.0.0/15 (RFC 2544's benchmarking range; RFC 6890: not global), 131,072 addresses. The low 17
/// bits of the address are put through a keyed permutation (a ten-round Feistel network whose round function is the
/// policy's HMAC, cycle-walked onto the host values) tweaked by its high 15 bits: two addresses of one /15 (every
/// 192.168.0.0/16, every pod /16, every /24) never share a fake, and two from different /15s share one with chance
/// 1/130,048, as any map into a range that size must. A host octet stays a host octet (1-254 to 1-254) and a network or
/// broadcast octet (.0, .255) keeps its value, so <c>10.1.2.0/24</c> is still a network.</item>
/// <item>IPv6 goes to 2001:db8::/32 (RFC 3849, documentation), the other 96 bits from the HMAC of the address.</item>
/// <item>An IPv4-mapped IPv6 address (<c>::ffff:10.1.2.3</c>) keeps that form around the IPv4 fake, so the client in a
/// dual-stack server's log and the same client's <c>X-Forwarded-For</c> still correlate.</item>
/// </list>
/// The address is hashed as bytes, so every spelling of it (<c>2001:DB8::1</c>, the full form) gets one fake. Without
/// the key neither direction can be computed; with it, anyone can recompute a fake, as with tokens.
/// </summary>
internal static class IpAddressFake
{
    private const uint V4Base = 0xC6120000; // 198.18.0.0
    private const int V4HostValues = 512 * 254; // 9 bits of third-octet-and-below, times host octets 1..254
    private const int Rounds = 10;
    private static readonly System.Buffers.SearchValues<char> HyphenatedChars = System.Buffers.SearchValues.Create("0123456789-");
    private static readonly System.Buffers.SearchValues<char> V6Chars = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF:.");

    /// <summary>True for an address a fake is written as: 198.18.0.0/15 (also IPv4-mapped) or 2001:db8::/32.</summary>
    public static bool IsFake(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        if (written == 4)
        {
            return IsFakeV4(bytes);
        }

        return address.IsIPv4MappedToIPv6
            ? IsFakeV4(bytes[12..])
            : bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0d && bytes[3] == 0xb8;
    }

    private static bool IsFakeV4(ReadOnlySpan<byte> v4) => v4[0] == 198 && (v4[1] & 0xFE) == 18;

    /// <summary>
    /// The fake of <paramref name="value"/>: of the address when it is one; otherwise (a rule's value of kind
    /// <c>ip-address</c> that holds more, <c>10.0.0.1:8080</c>, <c>[2001:db8::1]:443</c>, <c>10.0.0.0/8</c>) of each address
    /// in it, the rest kept; for an address a host name writes with hyphens (<c>10-0-1-23</c>), the fake written so; an IPv4
    /// fake from the value's hash when it holds none.
    /// </summary>
    public static string Fake(string value, RedactionKey key)
    {
        if (TryFakeAddress(value, key) is { } whole)
        {
            return whole;
        }

        if (TryFakeHyphenated(value, key) is { } hyphenated)
        {
            return hyphenated;
        }

        var matches = new List<(int Start, int Length)>();
        new Detection.IpAddressDetector().Find(value, matches);
        if (matches.Count == 0)
        {
            return FormatV4(V4Base | HostValue(HashIndex(value, key)));
        }

        var sb = new System.Text.StringBuilder(value.Length + 16);
        var at = 0;
        foreach (var (start, length) in matches)
        {
            if (start < at)
            {
                continue;
            }

            var address = value.Substring(start, length);
            sb.Append(value, at, start - at).Append(TryFakeAddress(address, key) ?? TryFakeHyphenated(address, key) ?? address);
            at = start + length;
        }

        return sb.Append(value, at, value.Length - at).ToString();
    }

    /// <summary>
    /// The fake of an address a host name writes with hyphens for dots (<c>10-0-1-23</c> of <c>ip-10-0-1-23.ec2.internal</c>),
    /// written the same way; null for any other value.
    /// </summary>
    private static string? TryFakeHyphenated(string value, RedactionKey key) =>
        value.AsSpan().Count('-') == 3 && !value.AsSpan().ContainsAnyExcept(HyphenatedChars) && TryFakeAddress(value.Replace('-', '.'), key) is { } dotted
            ? dotted.Replace('.', '-')
            : null;

    /// <summary>The fake of a value that is exactly one address as people write it; null otherwise.</summary>
    private static string? TryFakeAddress(string value, RedactionKey key)
    {
        if (!Detection.IpAddressDetector.TryParseV4(value, out var address)
            && !(value.AsSpan().Count(':') >= 2 && !value.AsSpan().ContainsAnyExcept(V6Chars) && IPAddress.TryParse(value, out address)))
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        if (written == 4)
        {
            return FormatV4(FakeV4(BinaryPrimitives.ReadUInt32BigEndian(bytes), key));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            var fake = FakeV4(BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]), key);
            if (value.Contains('.', StringComparison.Ordinal))
            {
                // ::ffff:10.1.2.3 (or 0:0:0:0:0:ffff:10.1.2.3): the prefix as written, the dotted quad faked.
                return string.Concat(value.AsSpan(0, value.LastIndexOf(':') + 1), FormatV4(fake));
            }

            // ::ffff:a01:203: the last two groups are the IPv4 address.
            var prefix = value.AsSpan(0, value.LastIndexOf(':'));
            prefix = prefix[..(prefix.LastIndexOf(':') + 1)];
            var groups = string.Create(CultureInfo.InvariantCulture, $"{fake >> 16:x}:{fake & 0xFFFF:x}");
            return string.Concat(prefix, UpperHex(value) ? groups.ToUpperInvariant() : groups);
        }

        Span<byte> input = stackalloc byte[25];
        "fake:ip6:"u8.CopyTo(input);
        bytes.CopyTo(input[9..]);
        Span<byte> mac = stackalloc byte[32];
        key.Hash(input, mac);
        input.Clear();
        Span<byte> fake6 = stackalloc byte[16];
        fake6[0] = 0x20;
        fake6[1] = 0x01;
        fake6[2] = 0x0d;
        fake6[3] = 0xb8;
        mac[..12].CopyTo(fake6[4..]);
        var text = new IPAddress(fake6).ToString();
        return UpperHex(value) ? text.ToUpperInvariant() : text;
    }

    /// <summary>True when the value's hex letters are all upper case (<c>FE80::1</c>): the fake is written so too.</summary>
    private static bool UpperHex(string value) => value.AsSpan().ContainsAnyInRange('A', 'F') && !value.AsSpan().ContainsAnyInRange('a', 'f');

    /// <summary>
    /// The IPv4 fake: the low 17 bits permuted under a key tweaked by the high 15. Host octets (1-254) are a domain of
    /// 130,048 values (9 bits times 254), cycle-walked through the 17-bit permutation; network and broadcast octets keep
    /// their value and only the 9 bits above them are permuted.
    /// </summary>
    internal static uint FakeV4(uint address, RedactionKey key)
    {
        var high = (ushort)(address >> 17);
        var low = address & 0x1FFFF;
        var last = low & 0xFF;
        var upper = low >> 8;
        if (last is 0 or 255)
        {
            return V4Base | (Permute(upper, 5, 4, key, high, (byte)last) << 8) | last;
        }

        var index = (upper * 254) + last - 1;
        do
        {
            index = Permute(index, 9, 8, key, high, 1);
        }
        while (index >= V4HostValues);

        return V4Base | HostValue(index);
    }

    /// <summary>The low 17 bits of a fake for a host index (0..130,047): 9 upper bits, then a host octet 1..254.</summary>
    private static uint HostValue(uint index) => ((index / 254) << 8) | ((index % 254) + 1);

    /// <summary>
    /// A keyed permutation of <paramref name="aBits"/> + <paramref name="bBits"/> bits: an unbalanced Feistel network of
    /// <see cref="Rounds"/> (even) rounds, each half XORed with the HMAC of the tweak, the round and the other half.
    /// </summary>
    private static uint Permute(uint value, int aBits, int bBits, RedactionKey key, ushort high, byte domain)
    {
        var a = value >> bBits;
        var b = value & ((1u << bBits) - 1);
        var aSize = aBits;
        var bSize = bBits;
        Span<byte> input = stackalloc byte[15];
        "fake:ip4:"u8.CopyTo(input);
        BinaryPrimitives.WriteUInt16BigEndian(input[9..], high);
        input[11] = domain;
        Span<byte> mac = stackalloc byte[32];
        for (var round = 0; round < Rounds; round++)
        {
            input[12] = (byte)round;
            BinaryPrimitives.WriteUInt16BigEndian(input[13..], (ushort)b);
            key.Hash(input, mac);
            var c = (a ^ BinaryPrimitives.ReadUInt16BigEndian(mac)) & ((1u << aSize) - 1);
            a = b;
            b = c;
            (aSize, bSize) = (bSize, aSize);
        }

        input.Clear();
        return (a << bBits) | b;
    }

    /// <summary>A host index from the HMAC of a value holding no address (a rule's value that is not one).</summary>
    private static uint HashIndex(string value, RedactionKey key)
    {
        Span<byte> mac = stackalloc byte[32];
        ValueRewriter.HashValue(key, "fake:ip", value, mac);
        return BinaryPrimitives.ReadUInt32BigEndian(mac) % V4HostValues;
    }

    private static string FormatV4(uint address) =>
        string.Create(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}");
}
