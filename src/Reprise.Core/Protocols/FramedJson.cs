namespace Reprise.Core.Protocols;

/// <summary>
/// JSON carried in a framing of its own rather than as a plain JSON body: Engine.IO / Socket.IO packets (a packet type and
/// optional attachment count, namespace and ack id before the JSON: <c>0{"sid":…}</c>, <c>430[{…}]</c>,
/// <c>42/admin,7["chat",{…}]</c>) and records ended by the ASCII record separator 0x1E (ASP.NET Core SignalR's JSON
/// protocol, Engine.IO's batched polling payloads). <see cref="Split"/> finds the JSON of each record, so a body or a
/// WebSocket message in such a framing is read like JSON (correlation, diff) instead of as one line of text.
/// </summary>
public static class FramedJson
{
    /// <summary>The record separator SignalR and Engine.IO put between (or after) records.</summary>
    public const byte RecordSeparator = 0x1E;

    private const int MaxRecords = 256;
    private const int MaxPrefix = 64;

    /// <summary>One record: its framing prefix (empty for SignalR) and where its JSON starts and how long it is.</summary>
    public readonly record struct Record(int PrefixStart, int JsonStart, int JsonLength);

    /// <summary>
    /// The units of a WebSocket message: each 0x1E-ended record when it holds the record separator (SignalR writes one or
    /// several records per frame, as they are ready, so frames differ from run to run while records do not), else the
    /// whole payload. Empty records (the separator after the last one) are skipped.
    /// </summary>
    public static List<ReadOnlyMemory<byte>> Units(ReadOnlyMemory<byte> payload)
    {
        var units = new List<ReadOnlyMemory<byte>>(1);
        if (payload.Span.IndexOf(RecordSeparator) < 0)
        {
            units.Add(payload);
            return units;
        }

        var start = 0;
        while (start < payload.Length)
        {
            if (units.Count == MaxRecords - 1)
            {
                // The rest as one last unit: nothing is dropped (a diff still sees it, turns still count it).
                if (!payload.Span[start..].Trim(" \t\r\n\u001e"u8).IsEmpty)
                {
                    units.Add(payload[start..]);
                }

                break;
            }

            var end = payload.Span[start..].IndexOf(RecordSeparator);
            var length = end < 0 ? payload.Length - start : end;
            if (!payload.Span.Slice(start, length).Trim(" \t\r\n"u8).IsEmpty)
            {
                units.Add(payload.Slice(start, end < 0 ? length : length + 1));
            }

            if (end < 0)
            {
                break;
            }

            start += end + 1;
        }

        return units;
    }

    /// <summary>
    /// Counts the <see cref="Units"/> of a text message from its bytes as they arrive, chunk by chunk, without keeping
    /// them (a payload cut by a budget still counts each of its records): the same count <see cref="Units"/> gives the
    /// whole payload.
    /// </summary>
    public struct UnitCounter
    {
        private int _records;
        private bool _separated;
        private bool _recordHasContent;

        /// <summary>The units so far: the non-blank records (at most <see cref="MaxRecords"/>), or 1 without a separator.</summary>
        public readonly int Count => _separated ? Math.Min(_records + (_recordHasContent ? 1 : 0), MaxRecords) : 1;

        /// <summary>Counts the next chunk of the message.</summary>
        public void Add(ReadOnlySpan<byte> chunk)
        {
            foreach (var b in chunk)
            {
                if (b == RecordSeparator)
                {
                    _separated = true;
                    _records += _recordHasContent ? 1 : 0;
                    _recordHasContent = false;
                }
                else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                {
                    _recordHasContent = true;
                }
            }
        }
    }

    /// <summary>
    /// The records of a framed body, or null when it is not framed JSON: plain JSON (read as it is), or any record that
    /// is not an optional packet prefix followed by a JSON object or array, nor a bare packet (<c>2</c>, a ping, or
    /// <c>40/admin,</c> in an Engine.IO polling batch: a record of prefix only, <see cref="Record.JsonLength"/> 0), or no
    /// record with JSON at all. Empty records (a trailing separator) are skipped.
    /// </summary>
    public static List<Record>? Split(ReadOnlySpan<byte> body)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty || ((trimmed[0] is (byte)'{' or (byte)'[') && body.IndexOf(RecordSeparator) < 0))
        {
            return null;
        }

        var records = new List<Record>();
        var withJson = 0;
        var start = 0;
        while (start <= body.Length && records.Count <= MaxRecords)
        {
            var end = body[start..].IndexOf(RecordSeparator);
            var length = end < 0 ? body.Length - start : end;
            var part = body.Slice(start, length);
            if (!part.Trim(" \t\r\n"u8).IsEmpty)
            {
                var json = JsonStart(part);
                if (json >= 0)
                {
                    var tail = part[json..].TrimEnd(" \t\r\n"u8);
                    records.Add(new Record(start, start + json, tail.Length));
                    withJson++;
                }
                else if (IsBarePacket(part))
                {
                    records.Add(new Record(start, start + part.TrimEnd(" \t\r\n"u8).Length, 0));
                }
                else
                {
                    return null;
                }
            }

            if (end < 0)
            {
                break;
            }

            start += end + 1;
        }

        return withJson == 0 || records.Count > MaxRecords ? null : records;
    }

    /// <summary>
    /// The records of <see cref="Split"/> that carry JSON, in order, or null when the body is not framed JSON. A bare
    /// packet (a ping) lands in a polling batch depending on timing, so records are paired between two runs by their
    /// order among the records with data, never by position in the batch.
    /// </summary>
    public static List<Record>? SplitData(ReadOnlySpan<byte> body)
    {
        var records = Split(body);
        records?.RemoveAll(static r => r.JsonLength == 0);
        return records;
    }

    /// <summary>A packet without data: packet type digits, optionally an attachment count, a <c>/namespace,</c> and an ack id.</summary>
    private static bool IsBarePacket(ReadOnlySpan<byte> part)
    {
        var trimmed = part.Trim(" \t\r\n"u8);
        if (trimmed.Length > MaxPrefix)
        {
            return false;
        }

        var i = 0;
        if (Digits(trimmed, ref i) == 0)
        {
            return false;
        }

        if (i < trimmed.Length && trimmed[i] == (byte)'-')
        {
            i++;
            Digits(trimmed, ref i);
        }

        if (i < trimmed.Length && trimmed[i] == (byte)'/')
        {
            var comma = trimmed[i..].IndexOf((byte)',');
            i = comma < 0 ? trimmed.Length : i + comma + 1; // "40/admin," (or without the comma at the end)
        }

        Digits(trimmed, ref i);
        return i == trimmed.Length;
    }

    /// <summary>
    /// Where the JSON of one record starts: after leading blanks, at its first character when that is <c>{</c> or
    /// <c>[</c>; after an Engine.IO / Socket.IO packet prefix (digits, an optional <c>-</c> attachment count, an optional
    /// <c>/namespace,</c>, an optional ack id); -1 when the record is not one of these.
    /// </summary>
    private static int JsonStart(ReadOnlySpan<byte> part)
    {
        var i = 0;
        while (i < part.Length && part[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        if (i < part.Length && part[i] is (byte)'{' or (byte)'[')
        {
            return i;
        }

        var digits = Digits(part, ref i);
        if (digits == 0)
        {
            return -1;
        }

        if (i < part.Length && part[i] == (byte)'-')
        {
            i++; // binary attachments: 451-["upload",{…}]
            Digits(part, ref i);
        }

        if (i < part.Length && part[i] == (byte)'/')
        {
            var comma = part[i..].IndexOf((byte)',');
            if (comma < 0 || comma > MaxPrefix)
            {
                return -1;
            }

            i += comma + 1;
        }

        Digits(part, ref i); // an ack id
        return i < part.Length && i <= MaxPrefix && part[i] is (byte)'{' or (byte)'[' ? i : -1;
    }

    private static int Digits(ReadOnlySpan<byte> part, ref int i)
    {
        var start = i;
        while (i < part.Length && i - start < 20 && part[i] is >= (byte)'0' and <= (byte)'9')
        {
            i++;
        }

        return i - start;
    }
}
