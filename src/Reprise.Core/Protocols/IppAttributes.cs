using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Reprise.Core.Protocols;

/// <summary>
/// Reads an IPP message (<c>application/ipp</c>, RFC 8010) as named leaves for comparison and display:
/// <c>ipp.status</c> (the operation of a request, the status code of a response), then each attribute as
/// <c>ipp.GROUP.NAME</c> (<c>ipp.job-attributes[1].job-id</c> for the second job group of a list; <c>[n]</c> after the
/// name for an attribute's further values), and <c>ipp.document</c> (its size and the start of its SHA-256: a document
/// changed at the same length is a difference) for a document after the attributes.
/// Integers and enums as numbers, booleans as true/false, text, names, keywords and URIs as text, other values in hex.
/// </summary>
public static class IppAttributes
{
    /// <summary>True for an IPP media type (case-insensitive, parameters allowed).</summary>
    public static bool IsIpp(string? mediaType) => mediaType is not null && mediaType.StartsWith("application/ipp", StringComparison.OrdinalIgnoreCase);

    /// <summary>The leaves in message order, or null when the bytes are not a whole IPP message.</summary>
    public static List<KeyValuePair<string, string>>? Read(ReadOnlySpan<byte> message)
    {
        if (message.Length < 9 || message[0] is 0 or > 9)
        {
            return null;
        }

        var leaves = new List<KeyValuePair<string, string>> { new("ipp.status", "0x" + Convert.ToHexString(message.Slice(2, 2))) };
        var groups = new Dictionary<string, int>(StringComparer.Ordinal);
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        var group = "attributes";
        var name = string.Empty;
        var i = 8;
        while (i < message.Length)
        {
            var tag = message[i];
            if (tag <= 0x0F)
            {
                i++;
                if (tag == 0x03)
                {
                    if (i < message.Length)
                    {
                        leaves.Add(new("ipp.document", Document(message[i..])));
                    }

                    return leaves;
                }

                var groupName = GroupName(tag);
                groups.TryGetValue(groupName, out var seen);
                groups[groupName] = seen + 1;
                group = seen == 0 ? groupName : $"{groupName}[{seen}]";
                values.Clear();
                continue;
            }

            if (tag == 0x7F || i + 3 > message.Length)
            {
                return null;
            }

            var nameLength = BinaryPrimitives.ReadUInt16BigEndian(message[(i + 1)..]);
            if (i + 5 + nameLength > message.Length)
            {
                return null;
            }

            var valueLength = BinaryPrimitives.ReadUInt16BigEndian(message[(i + 3 + nameLength)..]);
            var valueAt = i + 5 + nameLength;
            if (valueAt + valueLength > message.Length)
            {
                return null;
            }

            if (nameLength > 0)
            {
                name = Encoding.ASCII.GetString(message.Slice(i + 3, nameLength));
            }

            var key = $"ipp.{group}.{name}";
            values.TryGetValue(key, out var count);
            values[key] = count + 1;
            leaves.Add(new(count == 0 ? key : $"{key}[{count}]", Value(tag, message.Slice(valueAt, valueLength))));
            i = valueAt + valueLength;
        }

        return null; // no end-of-attributes tag
    }

    private static string Document(ReadOnlySpan<byte> document)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(document, hash);
        return document.Length.ToString(CultureInfo.InvariantCulture) + " bytes, sha256 " + Convert.ToHexStringLower(hash[..8]);
    }

    private static string GroupName(byte tag) => tag switch
    {
        0x01 => "operation-attributes",
        0x02 => "job-attributes",
        0x04 => "printer-attributes",
        0x05 => "unsupported-attributes",
        0x06 => "subscription-attributes",
        0x07 => "event-notification-attributes",
        0x08 => "resource-attributes",
        0x09 => "document-attributes",
        0x0A => "system-attributes",
        _ => "group-0x" + tag.ToString("x2", CultureInfo.InvariantCulture),
    };

    private static string Value(byte tag, ReadOnlySpan<byte> value) => tag switch
    {
        0x21 or 0x23 when value.Length == 4 => BinaryPrimitives.ReadInt32BigEndian(value).ToString(CultureInfo.InvariantCulture),
        0x22 when value.Length == 1 => value[0] != 0 ? "true" : "false",
        0x10 or 0x12 or 0x13 or 0x15 or 0x16 or 0x17 => tag switch { 0x13 => "no-value", 0x12 => "unknown", 0x10 => "unsupported", _ => "default" },
        (>= 0x41 and <= 0x49) or 0x4A or 0x30 when System.Text.Unicode.Utf8.IsValid(value) => Encoding.UTF8.GetString(value),
        _ => "0x" + Convert.ToHexString(value),
    };
}
