using System.Buffers;
using System.Text;
using Reprise.Core.Protocols;

namespace Reprise.Replay.Correlation;

/// <summary>
/// Correlation in gRPC bodies (length-prefixed protobuf messages, no schema): the recorded and the new response are
/// walked in parallel, field by field (field number and occurrence), into nested messages; a string field that held
/// an id in the recording (a UUID, an <c>ord_…</c> token, <c>42</c>) and holds another now is learned, and so is a
/// varint field holding an id-sized number (at least <see cref="MinVarintId"/>: a lease, a Snowflake, a random int64;
/// below it a count, an enum or a revision is as likely, and protobuf carries no field names to tell). A later gRPC request gets
/// them by its structure (<see cref="Rewrite"/>: any length, every enclosing length and the frame rewritten); other
/// binary bodies byte for byte at equal length (<see cref="Apply"/>).
/// </summary>
internal static class GrpcMessages
{
    private const int MaxDepth = 8;

    /// <summary>
    /// The smallest varint learned and substituted as an id: 2^32. Beyond 32 bits a number is one a generator made (a
    /// random or Snowflake id, an etcd lease, a nanosecond timestamp); counts, sizes, enums, revisions and amounts stay
    /// within 32 bits in practice, and without a schema nothing else tells them from ids.
    /// </summary>
    public const ulong MinVarintId = 1UL << 32;

    /// <summary>Values shorter than this are substituted only as a whole string field, never inside a longer one.</summary>
    private const int MinInnerLength = 8;
    private const int MaxFields = 4096;

    /// <summary>The largest request body substituted into (as <see cref="Correlator"/> bounds the bodies it reads).</summary>
    private const int MaxBodyBytes = 256 * 1024;

    /// <summary>Upper bound on the places substituted in one body.</summary>
    private const int MaxMatches = 4096;

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
        if (source.Length < MinInnerLength || source.Length > MaxBodyBytes || session.Values.Count == 0)
        {
            return 0;
        }

        var count = 0;
        var replaced = ReplaceSameLength(source, Occurring(session, source), learned =>
        {
            count++;
            applied(learned);
        });
        if (replaced is null)
        {
            return 0;
        }

        body = replaced;
        return count;
    }

    /// <summary>
    /// The learned values of <see cref="MinInnerLength"/>+ characters (changed ones) that occur anywhere in the body: one
    /// search per value over the body, so substitutions inside fields then look for these few only. The UTF-8 of each is
    /// encoded into a pooled buffer and kept only when found.
    /// </summary>
    private static List<Occurrence> Occurring(SessionCorrelation session, ReadOnlySpan<byte> source)
    {
        var found = new List<Occurrence>();
        var buffer = ArrayPool<byte>.Shared.Rent(256);
        try
        {
            foreach (var (old, learned) in session.Values)
            {
                if (old.Length < MinInnerLength || old.Length > source.Length || string.Equals(old, learned.Value, StringComparison.Ordinal))
                {
                    continue;
                }

                var length = Encoding.UTF8.GetByteCount(old);
                if (length > source.Length)
                {
                    continue;
                }

                if (buffer.Length < length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(length);
                }

                var oldBytes = buffer.AsSpan(0, Encoding.UTF8.GetBytes(old, buffer));
                if (source.IndexOf(oldBytes) >= 0)
                {
                    found.Add(new Occurrence(old, oldBytes.ToArray(), learned));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return found;
    }

    /// <summary>
    /// <paramref name="source"/> with the occurrences whose new value has their UTF-8 length replaced byte for byte, so every
    /// length prefix stays valid, or null when none is there. Every match is found in the original bytes (with 14 → 24 and
    /// 24 → 34 learned, 14 is sent as 24), overlapping matches are left to the first (the longer one when they start
    /// together), and each replaced value is reported once.
    /// </summary>
    private static byte[]? ReplaceSameLength(ReadOnlySpan<byte> source, List<Occurrence> occurrences, Action<LearnedValue> report)
    {
        List<(int At, byte[] Bytes, string Old, LearnedValue Learned)>? matches = null;
        foreach (var occurrence in occurrences)
        {
            if (!occurrence.SameLength)
            {
                continue;
            }

            var oldBytes = occurrence.OldBytes;
            var at = source.IndexOf(oldBytes);
            if (at < 0)
            {
                continue;
            }

            var newBytes = Encoding.UTF8.GetBytes(occurrence.Learned.Value);
            matches ??= [];
            for (var offset = 0; at >= 0 && matches.Count < MaxMatches; at = source[offset..].IndexOf(oldBytes))
            {
                matches.Add((offset + at, newBytes, occurrence.Old, occurrence.Learned));
                offset += at + oldBytes.Length;
            }
        }

        if (matches is null)
        {
            return null;
        }

        matches.Sort(static (a, b) => a.At != b.At ? a.At.CompareTo(b.At) : b.Bytes.Length.CompareTo(a.Bytes.Length));
        var output = source.ToArray();
        var end = 0;
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
                report(learned);
            }
        }

        return output;
    }

    /// <summary>
    /// Substitutes learned values in a gRPC request body by its structure: each uncompressed frame is read as a protobuf
    /// message (a length-delimited field is a nested message when it parses as one, text when it is printable UTF-8), a
    /// string field holding a learned value (the whole field, or inside it, e.g. a resource name, for values of
    /// <see cref="MinInnerLength"/>+ characters) or a varint field holding a learned id gets the new value at whatever
    /// length, and every enclosing length and the frame's length prefix are rewritten. Every match is found in the
    /// original bytes (a value written for one pairing is never replaced again). Returns how many values were replaced,
    /// or -1 when the body is not gRPC frames of protobuf messages (<see cref="Apply"/> is then the fallback).
    /// </summary>
    public static int Rewrite(SessionCorrelation session, ref ReadOnlyMemory<byte> body, Action<LearnedValue> applied)
    {
        var source = body.Span;
        if (source.Length > MaxBodyBytes || session.Values.Count == 0)
        {
            return 0;
        }

        var frames = new List<(int Start, int Length, bool Compressed)>();
        for (var at = 0; at < source.Length;)
        {
            var rest = source[at..];
            if (!Core.Protocols.GrpcFraming.TryReadFrame(ref rest, out var flags, out var message) || flags > 1)
            {
                return -1;
            }

            frames.Add((at + 5, message.Length, flags == 1));
            at += 5 + message.Length;
        }

        foreach (var (start, length, compressed) in frames)
        {
            if (!compressed && length > 0 && !IsMessage(source.Slice(start, length)))
            {
                return -1; // checked before any frame is walked: nothing reported for a body Apply then takes
            }
        }

        var edits = new Edits(session, applied, Occurring(session, source));
        var budget = MaxFields;
        byte[]?[] rewritten = new byte[frames.Count][];
        var changed = false;
        for (var f = 0; f < frames.Count; f++)
        {
            var (start, length, compressed) = frames[f];
            if (compressed)
            {
                continue; // not read: a compressed message is sent as recorded
            }

            var message = source.Slice(start, length);
            rewritten[f] = RewriteMessage(message, 0, ref budget, edits);
            changed |= rewritten[f] is not null;
        }

        if (!changed)
        {
            return 0;
        }

        var output = new ArrayBufferWriter<byte>(source.Length + 64);
        for (var f = 0; f < frames.Count; f++)
        {
            var (start, length, compressed) = frames[f];
            ReadOnlySpan<byte> message = rewritten[f] ?? source.Slice(start, length);
            var header = output.GetSpan(5);
            header[0] = compressed ? (byte)1 : (byte)0;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header[1..5], (uint)message.Length);
            output.Advance(5);
            output.Write(message);
        }

        body = output.WrittenMemory.ToArray();
        return edits.Count;
    }

    /// <summary>The message with learned values substituted, or null when nothing changed or it is not a message.</summary>
    private static byte[]? RewriteMessage(ReadOnlySpan<byte> message, int depth, ref int budget, Edits edits)
    {
        if (depth > MaxDepth)
        {
            return edits.SameLength(message); // deeper than this walk reads: byte for byte, lengths unchanged
        }

        ArrayBufferWriter<byte>? output = null;
        var copied = 0;
        var fields = new ProtoFields(message); // the message parsed (IsMessage): every field reads
        while (fields.Position < message.Length && --budget >= 0 && fields.Next())
        {
            if (fields.WireType == 0)
            {
                if (edits.Number(fields.Varint) is { } replacement)
                {
                    output ??= new ArrayBufferWriter<byte>(message.Length + 16);
                    output.Write(message[copied..fields.ValueStart]);
                    WriteVarint(output, replacement);
                    copied = fields.Position;
                }
            }
            else if (fields.WireType == 2)
            {
                var content = message.Slice(fields.Start, fields.Length);
                // A packed repeated varint field of ids holding a learned one (it cannot be read as a message: an id as a key
                // names no valid field): each varint rewritten. Neither text nor a message (binary, text with other control
                // characters): byte for byte at equal length.
                var replaced = IsTextValue(content) ? edits.Text(content)
                    : IsMessage(content) ? RewriteMessage(content, depth + 1, ref budget, edits)
                    : RewritePacked(content, edits) ?? edits.SameLength(content);
                if (replaced is not null)
                {
                    output ??= new ArrayBufferWriter<byte>(message.Length + 16);
                    output.Write(message[copied..fields.ValueStart]); // up to and including the field's tag
                    WriteVarint(output, (ulong)replaced.Length);
                    output.Write(replaced);
                    copied = fields.Position;
                }
            }
        }

        var i = fields.Position;
        if (i < message.Length && edits.SameLength(message[i..]) is { } tail)
        {
            // The field budget ran out (a batch of thousands of fields): the rest byte for byte, lengths unchanged.
            output ??= new ArrayBufferWriter<byte>(message.Length + 16);
            output.Write(message[copied..i]);
            output.Write(tail);
            copied = message.Length;
        }

        if (output is null)
        {
            return null;
        }

        output.Write(message[copied..]);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// True when a length-delimited field's bytes are a string, not a nested message. Printable UTF-8 (tabs and line
    /// breaks allowed) is text, unless it is unmistakably a message: it parses to its end with at least one
    /// length-delimited field, its field numbers never decrease (as every mainstream encoder writes them), and each of
    /// its length-delimited fields is text or such a message itself (a field numbered 4 or more holding a UUID is the
    /// printable bytes <c>Z</c>, <c>$</c>, then the UUID). Free text parses that way only by a rare coincidence, and short ids
    /// often parse as messages of fixed-size fields (<c>p1</c> is field 14 = 49), so those stay text.
    /// </summary>
    private static bool IsTextValue(ReadOnlySpan<byte> value) => IsText(value) && !IsPlainMessage(value, 0);

    /// <summary>See <see cref="IsTextValue"/>: a message with ordered fields whose length-delimited fields are all text or such messages.</summary>
    private static bool IsPlainMessage(ReadOnlySpan<byte> message, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        var fields = new ProtoFields(message);
        var previous = 0;
        var delimited = false;
        while (fields.Next())
        {
            if (fields.Number < previous)
            {
                return false;
            }

            previous = fields.Number;
            if (fields.WireType == 2)
            {
                delimited = true;
                var content = message.Slice(fields.Start, fields.Length);
                if (!IsText(content) && !IsPlainMessage(content, depth + 1))
                {
                    return false;
                }
            }
        }

        return delimited && !fields.Failed;
    }

    /// <summary>True when the bytes parse as protobuf fields to their end (wire types 0, 1, 2 and 5; no groups).</summary>
    private static bool IsMessage(ReadOnlySpan<byte> message) => IsMessage(message, out _);

    private static bool IsMessage(ReadOnlySpan<byte> message, out bool delimited)
    {
        delimited = false;
        var fields = new ProtoFields(message);
        while (fields.Next())
        {
            delimited |= fields.WireType == 2;
        }

        return !fields.Failed;
    }

    private static void WriteVarint(ArrayBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        output.Advance(n);
    }

    /// <summary>
    /// The values of a packed repeated varint field when they are all ids (<see cref="IsVarintId"/>): the bytes are varints
    /// to their end, none a small number (a count, an enum value: such a list is no evidence of ids); null otherwise.
    /// </summary>
    private static List<ulong>? PackedIds(ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty || content[^1] >= 0x80)
        {
            return null;
        }

        var ids = new List<ulong>();
        var at = 0;
        while (at < content.Length)
        {
            if (!ProtobufWire.TryReadVarint(content, ref at, out var value) || !IsVarintId(value) || ids.Count >= MaxFields)
            {
                return null;
            }

            ids.Add(value);
        }

        return ids;
    }

    /// <summary>A packed repeated varint field of ids (<see cref="PackedIds"/>) with each learned id replaced, or null when it is not one or holds none.</summary>
    private static byte[]? RewritePacked(ReadOnlySpan<byte> content, Edits edits)
    {
        if (PackedIds(content) is null)
        {
            return null;
        }

        ArrayBufferWriter<byte>? output = null;
        var copied = 0;
        var at = 0;
        while (at < content.Length)
        {
            var start = at;
            if (!ProtobufWire.TryReadVarint(content, ref at, out var value))
            {
                return null;
            }

            if (edits.Number(value) is { } replacement)
            {
                output ??= new ArrayBufferWriter<byte>(content.Length + 16);
                output.Write(content[copied..start]);
                WriteVarint(output, replacement);
                copied = at;
            }
        }

        if (output is null)
        {
            return null;
        }

        output.Write(content[copied..]);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// An id-sized varint: at least <see cref="MinVarintId"/> (a random uint64 or int64 id), and not a small negative
    /// number's sign extension (an int32 or int64 of -2^32 to -1 is ten bytes of 1s: a UTC offset, a delta, a -1 sentinel).
    /// </summary>
    private static bool IsVarintId(ulong value) => value is >= MinVarintId and < 0xFFFF_FFFF_0000_0000;

    private static string Decimal(ulong value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The substitutions of one body: looked up in the session, each learned value reported once.</summary>
    private sealed class Edits(SessionCorrelation session, Action<LearnedValue> applied, List<Occurrence> occurring)
    {
        private HashSet<LearnedValue>? _reported;

        public int Count { get; private set; }

        /// <summary>The new id for a learned varint id, or null.</summary>
        public ulong? Number(ulong value)
        {
            if (!IsVarintId(value) || !session.Values.TryGetValue(Decimal(value), out var learned)
                || !ulong.TryParse(learned.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                || !IsVarintId(number) || number == value || Decimal(number) != learned.Value)
            {
                return null;
            }

            Report(learned);
            return number;
        }

        /// <summary>The text with learned values substituted (the whole of it, or values of 8+ characters inside it), or null.</summary>
        public byte[]? Text(ReadOnlySpan<byte> content)
        {
            var text = Encoding.UTF8.GetString(content);
            if (session.Values.TryGetValue(text, out var whole))
            {
                if (string.Equals(whole.Value, text, StringComparison.Ordinal))
                {
                    return null;
                }

                Report(whole);
                return Encoding.UTF8.GetBytes(whole.Value);
            }

            if (text.Length < MinInnerLength || occurring.Count == 0)
            {
                return null;
            }

            List<(int At, string Old, LearnedValue Learned)>? matches = null;
            // Text that also parses as a protobuf message may be one (a message with its fields out of order): values inside
            // it are then substituted only at their UTF-8 length, which keeps it valid read either way.
            var ambiguous = IsMessage(content);
            foreach (var occurrence in occurring)
            {
                var old = occurrence.Old;
                if (old.Length > text.Length || (ambiguous && !occurrence.SameLength))
                {
                    continue;
                }

                for (var at = text.IndexOf(old, StringComparison.Ordinal); at >= 0 && (matches?.Count ?? 0) < MaxMatches; at = text.IndexOf(old, at + old.Length, StringComparison.Ordinal))
                {
                    (matches ??= []).Add((at, old, occurrence.Learned));
                }
            }

            if (matches is null)
            {
                return null;
            }

            // Left to right, in the original text; of overlapping matches the first (the longer one when they start together).
            matches.Sort(static (a, b) => a.At != b.At ? a.At.CompareTo(b.At) : b.Old.Length.CompareTo(a.Old.Length));
            var builder = new StringBuilder(text.Length + 16);
            var end = 0;
            foreach (var (at, old, learned) in matches)
            {
                if (at < end)
                {
                    continue;
                }

                builder.Append(text, end, at - end).Append(learned.Value);
                end = at + old.Length;
                Report(learned);
            }

            builder.Append(text, end, text.Length - end);
            return Encoding.UTF8.GetBytes(builder.ToString());
        }

        /// <summary>The bytes with learned values of equal UTF-8 length substituted byte for byte (<see cref="Apply"/>), or null.</summary>
        public byte[]? SameLength(ReadOnlySpan<byte> slice) => ReplaceSameLength(slice, occurring, Report);

        /// <summary>Each learned value is reported once per body, whichever way it was substituted.</summary>
        private void Report(LearnedValue learned)
        {
            if ((_reported ??= []).Add(learned))
            {
                Count++;
                applied(learned);
            }
        }
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
        if (body.Length >= 1 && body[0] != 0)
        {
            message = default;
            return false; // a compressed frame (not read)
        }

        return Core.Protocols.GrpcFraming.TryReadFrame(ref body, out _, out message);
    }

    private static void LearnMessage(SessionCorrelation session, ReadOnlySpan<byte> recorded, ReadOnlySpan<byte> now, string from, int depth, bool inList, ref int budget)
    {
        if (depth > MaxDepth || !TryFields(recorded, out var oldFields, out var oldNumbers, out var oldCounts) || !TryFields(now, out var newFields, out var newNumbers, out var newCounts))
        {
            return;
        }

        foreach (var (key, oldNumber) in oldNumbers)
        {
            if (--budget < 0)
            {
                return;
            }

            var fieldInList = inList || oldCounts.GetValueOrDefault(key.Number) > 1 || newCounts.GetValueOrDefault(key.Number) > 1;
            if (newNumbers.TryGetValue(key, out var newNumber) && IsVarintId(oldNumber) && IsVarintId(newNumber) && !(fieldInList && oldNumber == newNumber))
            {
                session.Learn(Decimal(oldNumber), Decimal(newNumber), "grpc field " + key.Path(), from, fromList: fieldInList);
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
            if (PackedIds(oldValue) is { } oldIds && PackedIds(newValue) is { } newIds)
            {
                // A packed repeated varint field of ids (proto3 packs repeated int64/uint64): paired by position.
                for (var i = 0; i < oldIds.Count && i < newIds.Count; i++)
                {
                    if (oldIds[i] != newIds[i])
                    {
                        session.Learn(Decimal(oldIds[i]), Decimal(newIds[i]), "grpc field " + key.Path() + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", from, fromList: true);
                    }
                }
            }
            else if (IsTextValue(oldValue) && IsTextValue(newValue))
            {
                if (fieldInList && oldValue.SequenceEqual(newValue))
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

    /// <summary>
    /// The length-delimited and the varint fields of a protobuf message by (field number, occurrence), and how often
    /// each field number occurs; false when it does not parse.
    /// </summary>
    private static bool TryFields(ReadOnlySpan<byte> message, out Dictionary<FieldKey, (int Start, int Length)> fields, out Dictionary<FieldKey, ulong> numbers, out Dictionary<int, int> occurrences)
    {
        fields = [];
        numbers = [];
        occurrences = [];
        var reader = new ProtoFields(message);
        while (reader.Next())
        {
            if (reader.WireType is 0 or 2)
            {
                occurrences.TryGetValue(reader.Number, out var seen);
                occurrences[reader.Number] = seen + 1;
                if (reader.WireType == 0)
                {
                    numbers[new FieldKey(reader.Number, seen)] = reader.Varint;
                }
                else
                {
                    fields[new FieldKey(reader.Number, seen)] = (reader.Start, reader.Length);
                }
            }
        }

        return !reader.Failed;
    }

    private static bool IsText(ReadOnlySpan<byte> value)
    {
        if (value.Length == 0 || !System.Text.Unicode.Utf8.IsValid(value))
        {
            return false;
        }

        foreach (var b in value)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r'))
            {
                return false; // a nested message's tags and lengths
            }
        }

        return true;
    }

    /// <summary>
    /// Reads a protobuf message field by field (wire types 0, 1, 2 and 5; groups and invalid wire types end it as a failure):
    /// the one walk behind <see cref="TryFields"/>, <see cref="IsMessage(ReadOnlySpan{byte}, out bool)"/>,
    /// <see cref="IsPlainMessage"/> and <see cref="RewriteMessage"/>.
    /// </summary>
    private ref struct ProtoFields
    {
        private readonly ReadOnlySpan<byte> _message;

        public ProtoFields(ReadOnlySpan<byte> message) => _message = message;

        /// <summary>Where the next field starts (after <see cref="Next"/>: the end of the field read).</summary>
        public int Position { get; private set; }

        /// <summary>True when the bytes stopped parsing before their end.</summary>
        public bool Failed { get; private set; }

        public int Number { get; private set; }

        public int WireType { get; private set; }

        /// <summary>Where the field's value starts, after its tag (a length-delimited field's length prefix).</summary>
        public int ValueStart { get; private set; }

        /// <summary>A varint field's value.</summary>
        public ulong Varint { get; private set; }

        /// <summary>A length-delimited field's content.</summary>
        public int Start { get; private set; }

        /// <summary>A length-delimited field's content length.</summary>
        public int Length { get; private set; }

        /// <summary>Reads the next field; false at the end, or when the bytes do not parse (<see cref="Failed"/>).</summary>
        public bool Next()
        {
            var i = Position;
            if (i >= _message.Length)
            {
                return false;
            }

            if (!ProtobufWire.TryReadVarint(_message, ref i, out var key) || key >> 3 is 0 or > 536_870_911)
            {
                return Fail();
            }

            Number = (int)(key >> 3);
            WireType = (int)(key & 7);
            ValueStart = i;
            switch (WireType)
            {
                case 0:
                    if (!ProtobufWire.TryReadVarint(_message, ref i, out var value))
                    {
                        return Fail();
                    }

                    Varint = value;
                    break;
                case 1 or 5:
                    var size = WireType == 1 ? 8 : 4;
                    if (_message.Length - i < size)
                    {
                        return Fail();
                    }

                    i += size;
                    break;
                case 2:
                    if (!ProtobufWire.TryReadVarint(_message, ref i, out var length) || length > (ulong)(_message.Length - i))
                    {
                        return Fail();
                    }

                    Start = i;
                    Length = (int)length;
                    i += (int)length;
                    break;
                default:
                    return Fail(); // groups (3, 4) and invalid wire types: not a message this walk reads
            }

            Position = i;
            return true;
        }

        private bool Fail()
        {
            Failed = true;
            return false;
        }
    }

    /// <summary>A learned value found in a body (see <see cref="Occurring"/>), as text and as UTF-8.</summary>
    private readonly record struct Occurrence(string Old, byte[] OldBytes, LearnedValue Learned)
    {
        /// <summary>The new value has the recorded one's UTF-8 length: substitutable byte for byte.</summary>
        public bool SameLength => OldBytes.Length == Encoding.UTF8.GetByteCount(Learned.Value);
    }

    private readonly record struct FieldKey(int Number, int Occurrence)
    {
        public string Path() => Occurrence == 0 ? Number.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Number}[{Occurrence}]";
    }
}
