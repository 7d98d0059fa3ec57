using System.Text;

namespace Reprise.Replay.Correlation;

/// <summary>
/// Correlation in gRPC bodies (length-prefixed protobuf messages, no schema): the recorded and the new response are
/// walked in parallel, field by field (field number and occurrence), into nested messages; a string field that held
/// an id in the recording (a UUID, an <c>ord_…</c> token) and holds another of the same byte length now is learned. The
/// same-length rule keeps every protobuf length and gRPC frame length of a later request valid when the value is
/// substituted, byte for byte (<see cref="Apply"/>); an id that changes length (or a varint id) is not correlated.
/// </summary>
internal static class GrpcMessages
{
    private const int MaxDepth = 8;
    private const int MaxFields = 4096;

    /// <summary>gRPC proper, uncompressed-capable framing (not gRPC-Web text, which is base64).</summary>
    public static bool IsGrpc(string? contentType) =>
        contentType is not null && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
        && !contentType.StartsWith("application/grpc-web-text", StringComparison.OrdinalIgnoreCase);

    /// <summary>Pairs the uncompressed messages of two gRPC bodies by position and learns their changed id fields.</summary>
    public static void Learn(SessionCorrelation session, ReadOnlySpan<byte> recorded, ReadOnlySpan<byte> now, string from)
    {
        var budget = MaxFields;
        while (TryNextFrame(ref recorded, out var oldMessage) && TryNextFrame(ref now, out var newMessage))
        {
            LearnMessage(session, oldMessage, newMessage, from, 0, ref budget);
        }
    }

    /// <summary>
    /// Replaces learned values of the same UTF-8 length inside a gRPC request body, byte for byte (framing unchanged);
    /// returns how many values were replaced.
    /// </summary>
    public static int Apply(SessionCorrelation session, ref ReadOnlyMemory<byte> body, Action<LearnedValue> applied)
    {
        byte[]? output = null;
        var count = 0;
        foreach (var (old, learned) in session.Values)
        {
            if (old.Length < 8 || string.Equals(old, learned.Value, StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(old) != Encoding.UTF8.GetByteCount(learned.Value))
            {
                continue;
            }

            var oldBytes = Encoding.UTF8.GetBytes(old);
            var source = output ?? body.Span.ToArray();
            var at = source.AsSpan().IndexOf(oldBytes);
            if (at < 0)
            {
                continue;
            }

            output = source;
            var newBytes = Encoding.UTF8.GetBytes(learned.Value);
            var offset = 0;
            while (at >= 0)
            {
                newBytes.CopyTo(output.AsSpan(offset + at));
                offset += at + newBytes.Length;
                at = output.AsSpan(offset).IndexOf(oldBytes);
            }

            count++;
            applied(learned);
        }

        if (output is not null)
        {
            body = output;
        }

        return count;
    }

    private static bool TryNextFrame(ref ReadOnlySpan<byte> body, out ReadOnlySpan<byte> message)
    {
        message = default;
        if (body.Length < 5 || body[0] != 0)
        {
            return false; // no more frames, or a compressed one (not read)
        }

        var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(body[1..5]);
        if (length > (uint)(body.Length - 5))
        {
            return false;
        }

        message = body.Slice(5, (int)length);
        body = body[(5 + (int)length)..];
        return true;
    }

    private static void LearnMessage(SessionCorrelation session, ReadOnlySpan<byte> recorded, ReadOnlySpan<byte> now, string from, int depth, ref int budget)
    {
        if (depth > MaxDepth || !TryFields(recorded, out var oldFields) || !TryFields(now, out var newFields))
        {
            return;
        }

        foreach (var (key, oldField) in oldFields)
        {
            if (--budget < 0)
            {
                return;
            }

            if (!newFields.TryGetValue(key, out var newField))
            {
                continue;
            }

            var oldValue = recorded.Slice(oldField.Start, oldField.Length);
            var newValue = now.Slice(newField.Start, newField.Length);
            if (IsText(oldValue) && IsText(newValue))
            {
                var oldText = Encoding.UTF8.GetString(oldValue);
                var newText = Encoding.UTF8.GetString(newValue);
                if (oldValue.Length == newValue.Length && !string.Equals(oldText, newText, StringComparison.Ordinal)
                    && Core.Model.CorrelatedPairs.IsIdShaped(oldText) && Core.Model.CorrelatedPairs.IsIdShaped(newText) && !RedactionMarks.LooksRedacted(oldText))
                {
                    session.Learn(oldText, newText, "grpc field " + key.Path(), from);
                }
            }
            else
            {
                LearnMessage(session, oldValue, newValue, from, depth + 1, ref budget);
            }
        }
    }

    /// <summary>The length-delimited fields of a protobuf message by (field number, occurrence); false when it does not parse.</summary>
    private static bool TryFields(ReadOnlySpan<byte> message, out Dictionary<FieldKey, (int Start, int Length)> fields)
    {
        fields = [];
        var occurrences = new Dictionary<int, int>();
        var i = 0;
        while (i < message.Length)
        {
            if (!TryVarint(message, ref i, out var key) || key >> 3 is 0 or > 536_870_911)
            {
                return false;
            }

            var number = (int)(key >> 3);
            switch (key & 7)
            {
                case 0:
                    if (!TryVarint(message, ref i, out _))
                    {
                        return false;
                    }

                    break;
                case 1:
                    i += 8;
                    break;
                case 5:
                    i += 4;
                    break;
                case 2:
                    if (!TryVarint(message, ref i, out var length) || length > (ulong)(message.Length - i))
                    {
                        return false;
                    }

                    occurrences.TryGetValue(number, out var n);
                    occurrences[number] = n + 1;
                    fields[new FieldKey(number, n)] = (i, (int)length);
                    i += (int)length;
                    break;
                default:
                    return false; // groups (3, 4) and invalid wire types: not a message this walk reads
            }
        }

        return i == message.Length;
    }

    private static bool TryVarint(ReadOnlySpan<byte> data, ref int i, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && i < data.Length; shift += 7)
        {
            var b = data[i++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsText(ReadOnlySpan<byte> value)
    {
        if (value.Length == 0 || !System.Text.Unicode.Utf8.IsValid(value))
        {
            return false;
        }

        foreach (var b in value)
        {
            if (b < 0x20)
            {
                return false; // a nested message's tags and lengths
            }
        }

        return true;
    }

    private readonly record struct FieldKey(int Number, int Occurrence)
    {
        public string Path() => Occurrence == 0 ? Number.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Number}[{Occurrence}]";
    }
}
