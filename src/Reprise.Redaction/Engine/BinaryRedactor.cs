using System.Text;
using Reprise.Core.Protocols;
using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Engine;

/// <summary>
/// Binary bodies (protobuf, gRPC frames, files): runs of printable ASCII are scanned and matches are
/// masked in place, character for character, so lengths and framing are unchanged. A protobuf string that
/// names a credential (<c>/app/config/db_password</c>, a map entry's key <c>API_TOKEN</c>) makes the message's
/// next string field its value (<see cref="TryNamedValue"/>).
/// </summary>
internal static class BinaryRedactor
{
    private const int MinimumRun = 6;

    /// <summary>At most this many number fields (revisions, versions, flags) between a name and its value.</summary>
    private const int MaxSkippedFields = 8;

    private const int MaxNameLength = 64;

    public static byte[]? Redact(byte[] content, RedactionSession session, string location)
    {
        byte[]? output = null;
        var i = 0;
        session.SameLengthOnly = true;
        try
        {
            while (i < content.Length)
            {
                if (!IsPrintable(content[i]))
                {
                    i++;
                    continue;
                }

                var start = i;
                while (i < content.Length && IsPrintable(content[i]))
                {
                    i++;
                }

                if (i - start >= MinimumRun)
                {
                    var text = Encoding.ASCII.GetString(content, start, i - start);
                    if (session.RedactText(text, location + ":binary") is { } redacted && redacted.Length == text.Length)
                    {
                        output ??= (byte[])content.Clone();
                        Encoding.ASCII.GetBytes(redacted, 0, redacted.Length, output, start);
                    }
                }

                if (TryNamedValue(content, start, i, session, out var valueStart, out var valueLength, out var entry))
                {
                    var value = Encoding.ASCII.GetString(content, valueStart, valueLength);
                    if (!Actions.TokenFormat.IsRedactedOutput(value) && session.Apply(value, entry.Detector.Kind, entry.Action) is { } masked && masked.Length == value.Length && masked != value)
                    {
                        output ??= (byte[])content.Clone();
                        Encoding.ASCII.GetBytes(masked, 0, masked.Length, output, valueStart);
                        session.Record(location + ":binary", entry.Detector.Name, entry.Action, entry.Detector.Kind, value);
                    }

                    i = valueStart + valueLength; // the value is redacted whole; scanning it again could rewrite the mask
                }
            }
        }
        finally
        {
            session.SameLengthOnly = false;
        }

        return output;
    }

    /// <summary>
    /// True when the run [<paramref name="start"/>, <paramref name="end"/>) ends in a name that a password, secret or
    /// key field detector takes (the last segment of a path or dotted name: <c>/app/config/db_password</c>), and the
    /// bytes after it are protobuf: number fields at most (etcd's revisions between a key and its value), then a string
    /// field of printable text. Found by QA round 7: etcd's <c>Put</c> of <c>/app/config/db_password</c> stored the
    /// password raw, as no value detector recognises an ordinary password.
    /// </summary>
    private static bool TryNamedValue(byte[] content, int start, int end, RedactionSession session, out int valueStart, out int valueLength, out Policy.FieldDetectorEntry entry)
    {
        valueStart = valueLength = 0;
        entry = default!;
        var nameStart = end;
        while (nameStart > start && content[nameStart - 1] is not ((byte)'/' or (byte)'.' or (byte)':' or (byte)' ' or (byte)'=' or (byte)'"'))
        {
            nameStart--;
        }

        if (end - nameStart is < 3 or > MaxNameLength)
        {
            return false;
        }

        var i = end;
        for (var skipped = 0; ; skipped++)
        {
            if (skipped > MaxSkippedFields || !ProtobufWire.TryReadVarint(content, ref i, out var tag) || tag >> 3 == 0)
            {
                return false;
            }

            switch (tag & 7)
            {
                case 0 when ProtobufWire.TryReadVarint(content, ref i, out _):
                    continue;
                case 1 when i + 8 <= content.Length:
                    i += 8;
                    continue;
                case 5 when i + 4 <= content.Length:
                    i += 4;
                    continue;
                case 2:
                    break;
                default:
                    return false;
            }

            break;
        }

        if (!ProtobufWire.TryReadVarint(content, ref i, out var length) || length == 0 || length > (ulong)(content.Length - i) || length > 4096)
        {
            return false;
        }

        for (var k = i; k < i + (int)length; k++)
        {
            if (!IsPrintable(content[k]))
            {
                return false; // a nested message, bytes: not a text value
            }
        }

        var name = Encoding.ASCII.GetString(content, nameStart, end - nameStart);
        var field = session.Model.FieldNameOf(name);
        var value = Encoding.ASCII.GetString(content, i, (int)length);
        if (field.Candidates.Length == 0 || !session.TryMatchField(field.Normalized, string.Empty, inferred: false, value, out entry)
            || entry.Detector.Kind is not (DataKind.Password or DataKind.Secret or DataKind.ApiKey or DataKind.BearerToken))
        {
            return false;
        }

        valueStart = i;
        valueLength = (int)length;
        return true;
    }

    private static bool IsPrintable(byte b) => b is >= 0x20 and < 0x7f or (byte)'\t' or (byte)'\n' or (byte)'\r';
}
