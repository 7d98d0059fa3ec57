using System.Text;

namespace Reprise.Replay.Correlation;

/// <summary>
/// Correlation in gRPC bodies (length-prefixed protobuf messages, no schema): the recorded and the new response are
/// walked in parallel, field by field (field number and occurrence), into nested messages; a string field that held
/// an id in the recording (a UUID, an <c>ord_…</c> token) and holds another of the same byte length now is learned. The
/// same-length rule keeps every protobuf length and gRPC frame length of a later request valid when the value is
/// substituted, byte for byte (<see cref="Apply"/>); an id that changes length is not correlated. A varint field holding a
/// random 64-bit id (etcd's lease ids, Snowflake ids: 2^56 and up, nine or ten bytes) is learned as its decimal text and
/// substituted as a varint when the new id's varint has the same length (all but about 1 in 128 random ids).
/// </summary>
internal static class GrpcMessages
{
    private const int MaxDepth = 8;
    private const int MaxFields = 4096;

    /// <summary>The largest request body substituted into (as <see cref="Correlator"/> bounds the bodies it reads).</summary>
    private const int MaxBodyBytes = 256 * 1024;

    /// <summary>Upper bound on the places substituted in one body.</summary>
    private const int MaxMatches = 4096;

    /// <summary>2^56: a varint this large is a random or time-based 64-bit id, not a count, size, enum or revision.</summary>
    private const ulong MinVarintId = 1UL << 56;

    /// <summary>gRPC proper, uncompressed-capable framing (not gRPC-Web text, which is base64).</summary>
    public static bool IsGrpc(string? contentType) =>
        contentType is not null && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
        && !contentType.StartsWith("application/grpc-web-text", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Pairs the uncompressed messages of two gRPC bodies by position and learns their changed id fields. The messages
    /// of a stream (a body of more than one frame on either side) and the occurrences of a repeated field are list
    /// positions (<see cref="SessionCorrelation.Learn"/>'s <c>fromList</c>): the target's list may hold another record
    /// there (pre-existing data), so they never repoint a value a response answered directly, and an unchanged pair there
    /// teaches nothing, as in JSON arrays.
    /// </summary>
    public static void Learn(SessionCorrelation session, ReadOnlySpan<byte> recorded, ReadOnlySpan<byte> now, string from)
    {
        var budget = MaxFields;
        var stream = FrameCount(recorded, 2) > 1 || FrameCount(now, 2) > 1;
        while (TryNextFrame(ref recorded, out var oldMessage) && TryNextFrame(ref now, out var newMessage))
        {
            LearnMessage(session, oldMessage, newMessage, from, 0, stream, ref budget);
        }
    }

    /// <summary>
    /// Replaces learned values of the same UTF-8 length inside a binary request body (gRPC frames, protobuf, an octet
    /// stream), byte for byte, so every length prefix stays valid; returns how many values were replaced. Every match is
    /// found in the original bytes (a value written for one pairing is never replaced again by another: with 14 → 24 and
    /// 24 → 34 learned, 14 is sent as 24), overlapping matches are left to the first, and the body is copied once, on
    /// the first match. A body over <see cref="MaxBodyBytes"/> is left as recorded.
    /// </summary>
    public static int Apply(SessionCorrelation session, ref ReadOnlyMemory<byte> body, Action<LearnedValue> applied)
    {
        var source = body.Span;
        if (source.Length < 8 || source.Length > MaxBodyBytes || session.Values.Count == 0)
        {
            return 0;
        }

        List<(int At, byte[] Bytes, string Old, LearnedValue Learned)>? matches = null;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(256);
        Span<byte> oldVarint = stackalloc byte[10];
        try
        {
            foreach (var (old, learned) in session.Values)
            {
                if (old.Length < 8 || string.Equals(old, learned.Value, StringComparison.Ordinal))
                {
                    continue;
                }

                if (VarintIds(old, learned.Value) is var (oldId, newId))
                {
                    var varintLength = WriteVarint(oldId, oldVarint);
                    Find(source, oldVarint[..varintLength], old, learned, () => { var bytes = new byte[varintLength]; WriteVarint(newId, bytes); return bytes; }, ref matches);
                }

                if (old.Length > source.Length)
                {
                    continue;
                }

                var length = Encoding.UTF8.GetByteCount(old);
                if (length > source.Length || length != Encoding.UTF8.GetByteCount(learned.Value))
                {
                    continue;
                }

                if (buffer.Length < length)
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                    buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
                }

                var oldBytes = buffer.AsSpan(0, Encoding.UTF8.GetBytes(old, buffer));
                Find(source, oldBytes, old, learned, () => Encoding.UTF8.GetBytes(learned.Value), ref matches);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        if (matches is null)
        {
            return 0;
        }

        // Left to right; of overlapping matches the first (the longer one when they start together) is written.
        matches.Sort(static (a, b) => a.At != b.At ? a.At.CompareTo(b.At) : b.Bytes.Length.CompareTo(a.Bytes.Length));
        var output = source.ToArray();
        var end = 0;
        var count = 0;
        HashSet<string>? counted = null;
        foreach (var (at, bytes, old, learned) in matches)
        {
            if (at < end)
            {
                continue;
            }

            bytes.CopyTo(output.AsSpan(at));
            end = at + bytes.Length;
            if ((counted ??= new(StringComparer.Ordinal)).Add(old))
            {
                count++;
                applied(learned);
            }
        }

        body = output;
        return count;
    }

    /// <summary>Adds every occurrence of <paramref name="oldBytes"/> in <paramref name="source"/> (the replacement built once, on the first).</summary>
    private static void Find(ReadOnlySpan<byte> source, ReadOnlySpan<byte> oldBytes, string old, LearnedValue learned, Func<byte[]> replacement, ref List<(int At, byte[] Bytes, string Old, LearnedValue Learned)>? matches)
    {
        var at = source.IndexOf(oldBytes);
        if (at < 0)
        {
            return;
        }

        var newBytes = replacement();
        matches ??= [];
        for (var offset = 0; at >= 0 && matches.Count < MaxMatches; at = source[offset..].IndexOf(oldBytes))
        {
            matches.Add((offset + at, newBytes, old, learned));
            offset += at + oldBytes.Length;
        }
    }

    /// <summary>Both values as 64-bit varint ids whose varints have one length, or null.</summary>
    private static (ulong Old, ulong New)? VarintIds(string old, string now) =>
        old.Length >= 17 && ulong.TryParse(old, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var a) && a >= MinVarintId
        && ulong.TryParse(now, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var b) && b >= MinVarintId
        && VarintLength(a) == VarintLength(b)
            ? (a, b)
            : null;

    private static int VarintLength(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    private static int WriteVarint(ulong value, Span<byte> destination)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    private static int FrameCount(ReadOnlySpan<byte> body, int stopAt)
    {
        var count = 0;
        while (count < stopAt && TryNextFrame(ref body, out _))
        {
            count++;
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

    private static void LearnMessage(SessionCorrelation session, ReadOnlySpan<byte> recorded, ReadOnlySpan<byte> now, string from, int depth, bool inList, ref int budget)
    {
        if (depth > MaxDepth || !TryFields(recorded, out var oldFields, out var oldCounts, out var oldIds) || !TryFields(now, out var newFields, out var newCounts, out var newIds))
        {
            return;
        }

        foreach (var (key, oldId) in oldIds ?? [])
        {
            if (newIds is not null && newIds.TryGetValue(key, out var newId) && VarintLength(oldId) == VarintLength(newId))
            {
                var fieldInList = inList || oldCounts.GetValueOrDefault(key.Number) > 1 || newCounts.GetValueOrDefault(key.Number) > 1;
                if (oldId != newId || !fieldInList)
                {
                    var oldText = oldId.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    session.Learn(oldText, newId.ToString(System.Globalization.CultureInfo.InvariantCulture), "grpc field " + key.Path(), from, fromList: fieldInList);
                }
            }
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

            // A field occurring more than once in either message is a repeated one: its occurrences are list positions.
            var fieldInList = inList || oldCounts.GetValueOrDefault(key.Number) > 1 || newCounts.GetValueOrDefault(key.Number) > 1;
            var oldValue = recorded.Slice(oldField.Start, oldField.Length);
            var newValue = now.Slice(newField.Start, newField.Length);
            if (IsText(oldValue) && IsText(newValue))
            {
                if (oldValue.Length != newValue.Length || (fieldInList && oldValue.SequenceEqual(newValue)))
                {
                    continue; // an unchanged pair in a list is no evidence either way
                }

                var oldText = Encoding.UTF8.GetString(oldValue);
                var newText = Encoding.UTF8.GetString(newValue);
                if (Core.Model.CorrelatedPairs.IsIdShaped(oldText) && Core.Model.CorrelatedPairs.IsIdShaped(newText) && !RedactionMarks.LooksRedacted(oldText))
                {
                    // Also an unchanged direct answer: it names the record this session produced (a later list position
                    // must not repoint it) and forgets an older pairing of the value.
                    session.Learn(oldText, newText, "grpc field " + key.Path(), from, fromList: fieldInList);
                }
            }
            else
            {
                LearnMessage(session, oldValue, newValue, from, depth + 1, fieldInList, ref budget);
            }
        }
    }

    /// <summary>The length-delimited fields of a protobuf message by (field number, occurrence); false when it does not parse.</summary>
    private static bool TryFields(ReadOnlySpan<byte> message, out Dictionary<FieldKey, (int Start, int Length)> fields, out Dictionary<int, int> occurrences, out Dictionary<FieldKey, ulong>? ids)
    {
        fields = [];
        occurrences = [];
        ids = null;
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
                    if (!TryVarint(message, ref i, out var varint))
                    {
                        return false;
                    }

                    if (varint >= MinVarintId)
                    {
                        ids ??= [];
                        occurrences.TryGetValue(number, out var seen);
                        occurrences[number] = seen + 1;
                        ids[new FieldKey(number, seen)] = varint;
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
