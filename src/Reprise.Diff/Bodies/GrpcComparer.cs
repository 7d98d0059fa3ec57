using System.Text;
using Reprise.Core.Model;
using Reprise.Core.Protocols;
using Reprise.Diff.Model;

namespace Reprise.Diff.Bodies;

/// <summary>
/// gRPC bodies (length-prefixed messages) compared field by field without descriptors: each message is
/// decoded from the protobuf wire format into numbered fields (<c>msg[0].2.1</c> = message 0, field 2,
/// sub-field 1). Length-delimited fields are read as a nested message when they parse as one, else as
/// UTF-8 text, else as hex. Status lives in the <c>grpc-status</c>/<c>grpc-message</c> trailers, compared
/// with the headers.
/// </summary>
public sealed class GrpcComparer : IDiffComparer
{
    /// <inheritdoc />
    public string Name => "grpc";

    /// <inheritdoc />
    public bool CanCompare(ExchangeBody body, Protocol protocol) =>
        body.MediaType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true
        && !body.MediaType.Contains("json", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public bool Compare(ExchangeBody expected, ExchangeBody actual, BodyDiffContext context, IDiffSink sink)
    {
        var left = Flatten(expected.Content);
        var right = Flatten(actual.Content);
        if (left is null || right is null)
        {
            return false;
        }

        var capped = new CappedSink(sink, context.MaxDifferences);
        foreach (var (path, value) in left)
        {
            if (!right.TryGetValue(path, out var other))
            {
                capped.Report("body:" + path, DifferenceKind.Removed, value, null);
            }
            else if (other != value)
            {
                capped.Report("body:" + path, DifferenceKind.Changed, value, other);
            }
        }

        foreach (var (path, value) in right)
        {
            if (!left.ContainsKey(path))
            {
                capped.Report("body:" + path, DifferenceKind.Added, null, value);
            }
        }

        return true;
    }

    /// <inheritdoc />
    public string? Pretty(ExchangeBody body)
    {
        var leaves = Flatten(body.Content);
        return leaves is null ? null : string.Join('\n', leaves.Select(l => $"{l.Key} = {l.Value}"));
    }

    /// <summary>The leaves of every framed message, or null when the body is not gRPC framing.</summary>
    internal static Dictionary<string, string>? Flatten(ReadOnlyMemory<byte> content)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var span = content.Span;
        var index = 0;
        while (span.Length > 0)
        {
            if (!Core.Protocols.GrpcFraming.TryReadFrame(ref span, out var flags, out var message))
            {
                return null;
            }

            var compressed = flags != 0;
            var prefix = $"msg[{index}]";
            if (compressed || !TryDecode(message, prefix, map, depth: 0))
            {
                map[prefix] = Convert.ToHexStringLower(message.Length > 64 ? message[..64] : message);
            }

            index++;
        }

        return map;
    }

    private static bool TryDecode(ReadOnlySpan<byte> message, string prefix, Dictionary<string, string> map, int depth)
    {
        var local = new List<KeyValuePair<string, string>>();
        var counts = new Dictionary<ulong, int>();
        while (message.Length > 0)
        {
            if (!ProtobufWire.TryReadVarint(ref message, out var tag) || tag >> 3 == 0)
            {
                return false;
            }

            var field = tag >> 3;
            var n = counts[field] = counts.GetValueOrDefault(field) + 1;
            var path = n > 1 ? $"{prefix}.{field}[{n - 1}]" : $"{prefix}.{field}";
            switch (tag & 7)
            {
                case 0:
                    if (!ProtobufWire.TryReadVarint(ref message, out var v))
                    {
                        return false;
                    }

                    local.Add(new(path, v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    break;
                case 1:
                    if (message.Length < 8)
                    {
                        return false;
                    }

                    local.Add(new(path, "0x" + Convert.ToHexStringLower(message[..8])));
                    message = message[8..];
                    break;
                case 5:
                    if (message.Length < 4)
                    {
                        return false;
                    }

                    local.Add(new(path, "0x" + Convert.ToHexStringLower(message[..4])));
                    message = message[4..];
                    break;
                case 2:
                    if (!ProtobufWire.TryReadVarint(ref message, out var len) || len > (ulong)message.Length)
                    {
                        return false;
                    }

                    var payload = message[..(int)len];
                    message = message[(int)len..];
                    var nested = new Dictionary<string, string>(StringComparer.Ordinal);
                    if (depth < 16 && payload.Length > 0 && !LooksLikeText(payload) && TryDecode(payload, path, nested, depth + 1))
                    {
                        local.AddRange(nested);
                    }
                    else
                    {
                        local.Add(new(path, LooksLikeText(payload) ? Encoding.UTF8.GetString(payload) : "0x" + Convert.ToHexStringLower(payload)));
                    }

                    break;
                default:
                    return false;
            }
        }

        foreach (var (key, value) in local)
        {
            map[key] = value;
        }

        return true;
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> payload)
    {
        if (!System.Text.Unicode.Utf8.IsValid(payload))
        {
            return false;
        }

        foreach (var b in payload)
        {
            if (b < 0x20 && b is not (byte)'\n' and not (byte)'\r' and not (byte)'\t')
            {
                return false;
            }
        }

        return true;
    }

}
