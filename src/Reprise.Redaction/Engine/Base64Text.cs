using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Reprise.Redaction.Engine;

/// <summary>
/// Text carried as base64 inside a JSON string: etcd's gRPC gateway (<c>"value": "eyJlbWFpbCI6…"</c>), Kubernetes
/// Secrets and ConfigMaps' <c>binaryData</c>, GitHub's contents API, message queues' payloads. The detectors never
/// see such a value as it is, so it is decoded, redacted as text and encoded again (same alphabet and padding).
/// Only a value that decodes to UTF-8 text is taken: random bytes (hashes, nonces, ids) almost never do, so
/// they are left as they are.
/// </summary>
internal static class Base64Text
{
    /// <summary>Shorter values hold at most 11 bytes: too little for an address, a card number or a key.</summary>
    public const int MinLength = 16;

    /// <summary>Longer values are left alone (a file, an image): scanning them as text costs more than it finds.</summary>
    public const int MaxLength = 256 * 1024;

    private static readonly SearchValues<byte> Standard = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="u8);
    private static readonly SearchValues<byte> UrlSafe = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="u8);

    /// <summary>True when the length and alphabet allow the value to be base64 (a cheap test before decoding).</summary>
    public static bool MayBe(ReadOnlySpan<byte> value) =>
        value.Length is >= MinLength and <= MaxLength && (!value.ContainsAnyExcept(Standard) || !value.ContainsAnyExcept(UrlSafe));

    /// <summary>
    /// The text a base64 value encodes, or null when it is not base64 (standard with padding, or base64url with or
    /// without it) of UTF-8 text without control characters other than tab, CR and LF.
    /// </summary>
    public static string? TryDecode(ReadOnlySpan<byte> value, out Flavor flavor)
    {
        flavor = default;
        if (!MayBe(value))
        {
            return null; // the cheap test first: most values are not base64, and nothing is rented for them
        }

        var rented = ArrayPool<byte>.Shared.Rent(value.Length);
        try
        {
            var written = Decode(value, rented, out flavor);
            if (written <= 0)
            {
                return null;
            }

            var bytes = rented.AsSpan(0, written);
            if (!System.Text.Unicode.Utf8.IsValid(bytes) || !IsText(bytes))
            {
                flavor = default;
                return null;
            }

            return Encoding.UTF8.GetString(bytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The bytes a base64 value encodes when they are not text (a bencoded torrent, a certificate, an image), under the
    /// same rules as <see cref="TryDecode"/>; null when it is not base64.
    /// </summary>
    public static byte[]? TryDecodeBytes(ReadOnlySpan<byte> value, out Flavor flavor)
    {
        flavor = default;
        if (!MayBe(value))
        {
            return null; // the cheap test first: most values are not base64, and nothing is rented for them
        }

        var rented = ArrayPool<byte>.Shared.Rent(value.Length);
        try
        {
            var written = Decode(value, rented, out flavor);
            return written <= 0 ? null : rented.AsSpan(0, written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Decodes <paramref name="value"/> into <paramref name="destination"/> (at least as long) when it is base64 by the
    /// rules of <see cref="TryDecode"/>: standard with its padding, or base64url with or without it. Returns the bytes
    /// written, or 0 when it is not base64 (<paramref name="flavor"/> is then default).
    /// </summary>
    private static int Decode(ReadOnlySpan<byte> value, Span<byte> destination, out Flavor flavor)
    {
        flavor = default;
        if (!MayBe(value))
        {
            return 0;
        }

        var padding = value.Length - value.TrimEnd((byte)'=').Length;
        if (padding > 2 || value[..^padding].Contains((byte)'='))
        {
            return 0;
        }

        var urlSafe = value.ContainsAny((byte)'-', (byte)'_');
        if (!urlSafe && value.Length % 4 != 0)
        {
            return 0; // standard base64 is padded; unpadded alphanumerics are more often ids than base64url
        }

        var status = urlSafe
            ? Base64Url.DecodeFromUtf8(value, destination, out _, out var written)
            : Base64.DecodeFromUtf8(value, destination, out _, out written);
        if (status != OperationStatus.Done || written == 0)
        {
            return 0;
        }

        flavor = new Flavor(urlSafe, padding > 0);
        return written;
    }

    /// <summary><paramref name="bytes"/> encoded as the original value was.</summary>
    public static string Encode(byte[] bytes, Flavor flavor)
    {
        if (!flavor.UrlSafe)
        {
            return Convert.ToBase64String(bytes);
        }

        var encoded = Base64Url.EncodeToString(bytes);
        return flavor.Padded ? encoded.PadRight((encoded.Length + 3) / 4 * 4, '=') : encoded;
    }

    /// <summary><paramref name="text"/> encoded as the original value was.</summary>
    public static string Encode(string text, Flavor flavor) => Encode(Encoding.UTF8.GetBytes(text), flavor);

    private static bool IsText(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if ((b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r')) || b == 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>How a value was encoded, so the redacted text goes back the same way.</summary>
    public readonly record struct Flavor(bool UrlSafe, bool Padded);
}
