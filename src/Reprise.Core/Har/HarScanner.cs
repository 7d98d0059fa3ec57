using System.Text.Json;

namespace Reprise.Core.Har;

/// <summary>
/// Incremental scanner over a HAR's bytes: walks <c>{ "log": { "entries": [ ... ] } }</c> skipping
/// everything else, and hands out each entry as its own <see cref="JsonDocument"/>. Resumes across
/// buffer refills through <see cref="JsonReaderState"/>; a value cut by the buffer end is retried
/// from its start once more bytes arrive.
/// </summary>
internal sealed class HarScanner
{
    private JsonReaderState _state;
    private Stage _stage = Stage.Start;

    internal enum Result
    {
        NeedMore,
        Done,
    }

    private enum Stage
    {
        Start,
        InRoot,
        InLog,
        InEntries,
        Done,
    }

    public bool SawEntries { get; private set; }

    /// <summary>True once the root object has started.</summary>
    public bool SawRoot => _stage != Stage.Start;

    /// <summary>
    /// Scans as far as the data allows. Blocks are never final: the scanner stops at the end of
    /// <c>log</c>, so a file that ends before that is truncated, which the caller reports.
    /// </summary>
    public (Result Result, long Consumed) Scan(ReadOnlySpan<byte> data, List<JsonDocument> entries)
    {
        var reader = new Utf8JsonReader(data, isFinalBlock: false, _state);
        while (_stage != Stage.Done)
        {
            var checkpoint = reader;
            if (!Step(ref reader, entries))
            {
                reader = checkpoint;
                _state = reader.CurrentState;
                return (Result.NeedMore, reader.BytesConsumed);
            }
        }

        _state = reader.CurrentState;
        return (Result.Done, reader.BytesConsumed);
    }

    /// <summary>Advances one unit (a token, a skipped value, or a whole entry); false when data ran out.</summary>
    private bool Step(ref Utf8JsonReader reader, List<JsonDocument> entries)
    {
        if (!reader.Read())
        {
            return false;
        }

        switch (_stage)
        {
            case Stage.Start:
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new FormatException("not a HAR file: expected a JSON object with a 'log'");
                }

                _stage = Stage.InRoot;
                return true;

            case Stage.InRoot:
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    throw new FormatException("not a HAR file: no 'log' object");
                }

                if (reader.ValueTextEquals("log"u8))
                {
                    if (!reader.Read())
                    {
                        return false;
                    }

                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new FormatException("not a HAR file: 'log' is not an object");
                    }

                    _stage = Stage.InLog;
                    return true;
                }

                return SkipValue(ref reader);

            case Stage.InLog:
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    _stage = Stage.Done;
                    return true;
                }

                if (reader.ValueTextEquals("entries"u8))
                {
                    if (!reader.Read())
                    {
                        return false;
                    }

                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        return true;
                    }

                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw new FormatException("not a HAR file: 'log.entries' is not an array");
                    }

                    SawEntries = true;
                    _stage = Stage.InEntries;
                    return true;
                }

                return SkipValue(ref reader);

            case Stage.InEntries:
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    // Entries are all we need; the rest of the log is not read.
                    _stage = Stage.Done;
                    return true;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new FormatException("each of 'log.entries' must be an object");
                }

                if (!JsonDocument.TryParseValue(ref reader, out var entry))
                {
                    return false;
                }

                entries.Add(entry);
                return true;

            default:
                return true;
        }
    }

    /// <summary>Skips a property's value (reader on the property name).</summary>
    private static bool SkipValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.PropertyName)
        {
            throw new FormatException($"not a HAR file: unexpected {reader.TokenType}");
        }

        return reader.Read() && reader.TrySkip();
    }
}
