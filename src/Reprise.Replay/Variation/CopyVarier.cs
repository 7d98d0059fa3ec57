using System.Globalization;
using System.Text.RegularExpressions;

namespace Reprise.Replay.Variation;

/// <summary>
/// Varies the client-chosen unique values of a request per <c>--multiplier</c> copy, so copies of a
/// session do not collide on the target: UUIDs (replaced by a UUID derived from the original and the
/// copy), e-mail addresses (<c>ann+r3@example.com</c>), and values of unique-ish JSON fields and
/// headers (username, login, email, sku, slug, idempotency keys, request ids: suffixed <c>-r3</c>).
/// Copy 0 is sent unchanged. The same input always maps to the same output, so values repeated
/// across a session's requests stay consistent.
/// </summary>
internal static partial class CopyVarier
{
    /// <summary>The largest binary body <see cref="VaryBinary"/> scans for UUIDs.</summary>
    public const int MaxBinaryBytes = 256 * 1024;

    /// <summary>Headers whose value must be unique per request or client.</summary>
    public static bool IsUniqueHeader(string name) =>
        name.Equals("Idempotency-Key", StringComparison.OrdinalIgnoreCase)
        || name.Equals("X-Idempotency-Key", StringComparison.OrdinalIgnoreCase)
        || name.Equals("X-Request-Id", StringComparison.OrdinalIgnoreCase)
        || name.Equals("X-Correlation-Id", StringComparison.OrdinalIgnoreCase);

    /// <summary>Varies text for a copy; <paramref name="keep"/> protects values the target issued (correlated).</summary>
    public static string Vary(string text, int copy, IReadOnlySet<string>? keep) => Vary(text, copy, keep, inUrl: false);

    /// <summary>Varies text for a copy; in a URL the e-mail '+' is percent-encoded (a literal '+' in a query means a space).</summary>
    public static string Vary(string text, int copy, IReadOnlySet<string>? keep, bool inUrl)
    {
        if (copy == 0 || text.Length == 0)
        {
            return text;
        }

        var suffix = "-r" + copy.ToString(CultureInfo.InvariantCulture);
        return Unique().Replace(text, match =>
        {
            var value = match.Value;
            if (keep is not null && keep.Contains(value))
            {
                return value;
            }

            if (match.Groups["uuid"].Success)
            {
                return DeriveUuid(value, copy);
            }

            if (match.Groups["email"].Success)
            {
                var at = value.IndexOf('@', StringComparison.Ordinal);
                return string.Concat(value.AsSpan(0, at), inUrl ? "%2Br" : "+r", copy.ToString(CultureInfo.InvariantCulture), value.AsSpan(at));
            }

            var field = match.Groups["fvalue"];
            if (keep is not null && keep.Contains(field.Value))
            {
                return value;
            }

            return string.Concat(value.AsSpan(0, field.Index - match.Index + field.Length), suffix, value.AsSpan(field.Index - match.Index + field.Length));
        });
    }

    /// <summary>
    /// Varies a UTF-8 text body or WebSocket text message for a copy (<see cref="Vary(string, int, IReadOnlySet{string}?)"/>);
    /// returns <paramref name="body"/> itself when it is not valid UTF-8 or nothing changed.
    /// </summary>
    public static ReadOnlyMemory<byte> VaryText(ReadOnlyMemory<byte> body, int copy, IReadOnlySet<string>? keep)
    {
        if (copy == 0 || body.IsEmpty || !System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return body;
        }

        var text = System.Text.Encoding.UTF8.GetString(body.Span);
        var varied = Vary(text, copy, keep);
        return ReferenceEquals(varied, text) ? body : System.Text.Encoding.UTF8.GetBytes(varied);
    }

    /// <summary>
    /// Varies a binary body (<see cref="Core.Protocols.BinaryBodies"/>: gRPC frames, protobuf, an octet stream) for a copy:
    /// only its UUIDs, byte for byte at the same length, so every length prefix stays valid (an e-mail's <c>+r3</c> or a
    /// field's <c>-r3</c> would not). Returns <paramref name="body"/> itself when nothing changed; a body over
    /// <see cref="MaxBinaryBytes"/> (a file upload) is not scanned.
    /// </summary>
    public static ReadOnlyMemory<byte> VaryBinary(ReadOnlyMemory<byte> body, int copy, IReadOnlySet<string>? keep)
    {
        if (copy == 0 || body.Length < 36 || body.Length > MaxBinaryBytes)
        {
            return body;
        }

        // Latin-1 maps every byte to one character and back, so offsets and lengths are the bytes' own.
        var text = System.Text.Encoding.Latin1.GetString(body.Span);
        byte[]? output = null;
        foreach (var match in Uuid().EnumerateMatches(text))
        {
            var value = text.Substring(match.Index, match.Length);
            if (keep is not null && keep.Contains(value))
            {
                continue;
            }

            var varied = DeriveUuid(value, copy);
            if (!string.Equals(varied, value, StringComparison.Ordinal))
            {
                output ??= body.ToArray();
                System.Text.Encoding.ASCII.GetBytes(varied, output.AsSpan(match.Index, match.Length));
            }
        }

        return output ?? body;
    }

    /// <summary>Varies a whole header value.</summary>
    public static string VaryValue(string value, int copy) =>
        copy == 0 ? value : Unique().IsMatch(value) ? Vary(value, copy, null) : value + "-r" + copy.ToString(CultureInfo.InvariantCulture);

    private static string DeriveUuid(string uuid, int copy)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!Guid.TryParse(uuid, out var guid) || !guid.TryWriteBytes(bytes))
        {
            return uuid;
        }

        // Mix the copy index into the last 8 bytes (keeps version/variant nibbles), then re-format in the original case.
        var tail = BitConverter.ToUInt64(bytes[8..]);
        tail ^= ((ulong)copy * 0x9E3779B97F4A7C15UL) & 0x0FFF_FFFF_FFFF_FFFFUL & ~0xC0UL;
        BitConverter.TryWriteBytes(bytes[8..], tail);
        var text = new Guid(bytes).ToString("D");
        return uuid.AsSpan().IndexOfAnyInRange('A', 'F') >= 0 ? text.ToUpperInvariant() : text;
    }

    [GeneratedRegex("""(?<uuid>\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b)|(?<email>\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b)|(?<field>"(?:user_?name|login|handle|slug|sku|code|idempotency_?key|request_?id|external_?id|username|userName|idempotencyKey|requestId|externalId)"\s*:\s*")(?<fvalue>[^"\\]{1,200})(?=")""", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Unique();

    [GeneratedRegex("""\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b""", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Uuid();
}
