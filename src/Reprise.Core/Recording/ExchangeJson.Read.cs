using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Reprise.Core.Model;

namespace Reprise.Core.Recording;

public static partial class ExchangeJson
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    [ThreadStatic]
    private static List<HeaderField>? t_headers;

    /// <summary>Parses one exchange from a UTF-8 JSON object. Throws <see cref="FormatException"/> with a short reason.</summary>
    public static Exchange Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, "an exchange must be a JSON object");
            var exchange = ReadExchange(ref reader);
            if (reader.Read())
            {
                throw new FormatException("unexpected data after the exchange object");
            }

            return exchange;
        }
        catch (JsonException ex)
        {
            throw new FormatException("not valid JSON: " + FirstSentence(ex.Message), ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException("unexpected JSON value: " + FirstSentence(ex.Message), ex);
        }
    }

    /// <summary>Parses a recording header. Throws <see cref="FormatException"/> when it is not one.</summary>
    public static RecordingHeader ParseHeader(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, "the header must be a JSON object");
            string? format = null;
            int? version = null;
            string tool = "unknown";
            DateTimeOffset createdAt = default;
            var capture = Exchange.EmptyTags;
            string? policy = null, digest = null;
            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals(JsonNames.Format)) { format = ReadString(ref reader); }
                else if (reader.ValueTextEquals(JsonNames.Version)) { reader.Read(); version = reader.GetInt32(); }
                else if (reader.ValueTextEquals(JsonNames.Tool)) { tool = ReadString(ref reader) ?? tool; }
                else if (reader.ValueTextEquals(JsonNames.CreatedAt)) { createdAt = ReadTimestamp(ref reader); }
                else if (reader.ValueTextEquals(JsonNames.Capture)) { capture = ReadMap(ref reader); }
                else if (reader.ValueTextEquals(JsonNames.Redaction))
                {
                    Expect(ref reader, JsonTokenType.StartObject, "'redaction' must be an object");
                    while (NextProperty(ref reader))
                    {
                        if (reader.ValueTextEquals(JsonNames.Policy)) { policy = ReadString(ref reader); }
                        else if (reader.ValueTextEquals(JsonNames.Digest)) { digest = ReadString(ref reader); }
                        else { reader.Read(); reader.Skip(); }
                    }
                }
                else { reader.Read(); reader.Skip(); }
            }

            if (format != RecordingFormat.FormatName)
            {
                throw new FormatException("not a Reprise recording header (line 1 must have \"format\": \"reprise-recording\")");
            }

            return new RecordingHeader
            {
                Version = version ?? throw new FormatException("the header has no 'version'"),
                Tool = tool,
                CreatedAt = createdAt,
                Capture = capture,
                RedactionPolicy = policy,
                RedactionDigest = digest,
            };
        }
        catch (JsonException ex)
        {
            throw new FormatException("not valid JSON: " + FirstSentence(ex.Message), ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException("unexpected JSON value: " + FirstSentence(ex.Message), ex);
        }
    }

    private static Exchange ReadExchange(ref Utf8JsonReader reader)
    {
        string? id = null, traceId = null, spanId = null, parentId = null, service = null;
        var direction = Direction.Inbound;
        var protocol = Protocol.Http1;
        DateTimeOffset? startedAt = null;
        TimeSpan duration = default;
        ExchangeRequest? request = null;
        ExchangeResponse? response = null;
        ExchangeError? error = null;
        var tags = Exchange.EmptyTags;
        ImmutableArray<Redaction> redactions = [];
        ImmutableArray<WebSocketMessage> messages = [];

        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals(JsonNames.Id)) { id = ReadString(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.TraceId)) { traceId = ReadString(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.SpanId)) { spanId = ReadString(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.ParentId)) { parentId = ReadString(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.Direction))
            {
                reader.Read();
                direction = reader.ValueTextEquals("inbound"u8) ? Direction.Inbound
                    : reader.ValueTextEquals("outbound"u8) ? Direction.Outbound
                    : EnumNames.TryParseDirection(ReadPooledString(ref reader), out var parsed) ? parsed
                    : throw new FormatException($"unknown direction '{reader.GetString()}' (inbound or outbound)");
            }
            else if (reader.ValueTextEquals(JsonNames.Service)) { service = ReadString(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.Protocol))
            {
                reader.Read();
                protocol = reader.ValueTextEquals("http1"u8) ? Protocol.Http1
                    : reader.ValueTextEquals("http2"u8) ? Protocol.Http2
                    : EnumNames.TryParseProtocol(ReadPooledString(ref reader), out var parsed) ? parsed
                    : throw new FormatException($"unknown protocol '{reader.GetString()}'");
            }
            else if (reader.ValueTextEquals(JsonNames.StartedAt)) { startedAt = ReadTimestamp(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.DurationMs))
            {
                reader.Read();
                duration = TimeSpan.FromTicks((long)Math.Round(reader.GetDouble() * TimeSpan.TicksPerMillisecond));
            }
            else if (reader.ValueTextEquals(JsonNames.Request)) { request = ReadRequest(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.Response)) { response = ReadResponse(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.Error)) { error = ReadError(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.Tags)) { tags = ReadMap(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.Redactions)) { redactions = ReadRedactions(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.Messages)) { messages = ReadMessages(ref reader); }
            else { reader.Read(); reader.Skip(); }
        }

        return new Exchange
        {
            Id = id ?? throw new FormatException("the exchange has no 'id'"),
            TraceId = traceId,
            SpanId = spanId,
            ParentId = parentId,
            Direction = direction,
            Service = service,
            Protocol = protocol,
            StartedAt = startedAt ?? throw new FormatException("the exchange has no 'startedAt'"),
            Duration = duration,
            Request = request ?? throw new FormatException("the exchange has no 'request'"),
            Response = response,
            Error = error,
            Tags = tags,
            Redactions = redactions,
            Messages = messages,
        };
    }

    private static ImmutableArray<WebSocketMessage> ReadMessages(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "'messages' must be an array");
        var builder = ImmutableArray.CreateBuilder<WebSocketMessage>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("each message must be an object");
            }

            WebSocketPeer? from = null;
            WebSocketMessageKind? type = null;
            var offset = TimeSpan.Zero;
            var compressed = false;
            int? code = null;
            string? reason = null;
            ExchangeBody? payload = null;
            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals(JsonNames.From))
                {
                    var text = ReadString(ref reader);
                    from = EnumNames.TryParsePeer(text, out var peer) ? peer : throw new FormatException($"unknown message 'from' '{text}' (client or server)");
                }
                else if (reader.ValueTextEquals(JsonNames.Type))
                {
                    var text = ReadString(ref reader);
                    type = EnumNames.TryParseMessageType(text, out var parsed) ? parsed : throw new FormatException($"unknown message type '{text}' (text, binary, close, ping or pong)");
                }
                else if (reader.ValueTextEquals(JsonNames.OffsetMs))
                {
                    reader.Read();
                    offset = TimeSpan.FromTicks((long)Math.Round(reader.GetDouble() * TimeSpan.TicksPerMillisecond));
                }
                else if (reader.ValueTextEquals(JsonNames.Compressed)) { reader.Read(); compressed = reader.GetBoolean(); }
                else if (reader.ValueTextEquals(JsonNames.Code)) { reader.Read(); code = reader.GetInt32(); }
                else if (reader.ValueTextEquals(JsonNames.Reason)) { reason = ReadString(ref reader); }
                else if (reader.ValueTextEquals(JsonNames.Payload)) { payload = ReadBody(ref reader); }
                else { reader.Read(); reader.Skip(); }
            }

            builder.Add(new WebSocketMessage
            {
                From = from ?? throw new FormatException("a message has no 'from'"),
                Kind = type ?? throw new FormatException("a message has no 'type'"),
                Offset = offset,
                Compressed = compressed,
                CloseCode = code,
                CloseReason = reason,
                Payload = payload,
            });
        }

        return builder.ToImmutable();
    }

    private static ExchangeRequest ReadRequest(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject, "'request' must be an object");
        string? method = null, url = null;
        var version = "HTTP/1.1";
        ImmutableArray<HeaderField> headers = [];
        ExchangeBody? body = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals(JsonNames.Method)) { method = ReadString(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.Url)) { url = ReadString(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.Version)) { version = ReadString(ref reader) ?? version; }
            else if (reader.ValueTextEquals(JsonNames.Headers)) { headers = ReadHeaders(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.Body)) { body = ReadBody(ref reader); }
            else { reader.Read(); reader.Skip(); }
        }

        return new ExchangeRequest
        {
            Method = method ?? throw new FormatException("the request has no 'method'"),
            Url = url ?? throw new FormatException("the request has no 'url'"),
            Version = version,
            Headers = headers,
            Body = body,
        };
    }

    private static ExchangeResponse? ReadResponse(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("'response' must be an object");
        }

        int? status = null;
        string? reason = null;
        var version = "HTTP/1.1";
        ImmutableArray<HeaderField> headers = [], trailers = [];
        ExchangeBody? body = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals(JsonNames.Status)) { reader.Read(); status = reader.GetInt32(); }
            else if (reader.ValueTextEquals(JsonNames.Reason)) { reason = ReadString(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.Version)) { version = ReadString(ref reader) ?? version; }
            else if (reader.ValueTextEquals(JsonNames.Headers)) { headers = ReadHeaders(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.Body)) { body = ReadBody(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.Trailers)) { trailers = ReadHeaders(ref reader); }
            else { reader.Read(); reader.Skip(); }
        }

        return new ExchangeResponse
        {
            Status = status ?? throw new FormatException("the response has no 'status'"),
            Reason = reason,
            Version = version,
            Headers = headers,
            Body = body,
            Trailers = trailers,
        };
    }

    private static ExchangeBody? ReadBody(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("'body' must be an object");
        }

        string? mediaType = null, note = null;
        long? size = null;
        var truncated = false;
        var base64 = false;
        byte[] content = [];
        var contentReadAsText = false;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals(JsonNames.MediaType)) { mediaType = ReadString(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.Size)) { reader.Read(); size = reader.GetInt64(); }
            else if (reader.ValueTextEquals(JsonNames.Truncated)) { reader.Read(); truncated = reader.GetBoolean(); }
            else if (reader.ValueTextEquals(JsonNames.Note)) { note = ReadString(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.Encoding))
            {
                reader.Read();
                if (reader.ValueTextEquals(JsonNames.Base64))
                {
                    base64 = true;
                }
                else if (!reader.ValueTextEquals(JsonNames.Utf8))
                {
                    throw new FormatException($"unknown body encoding '{reader.GetString()}' (utf8 or base64)");
                }
            }
            else if (reader.ValueTextEquals(JsonNames.Content))
            {
                reader.Read();
                if (base64)
                {
                    content = reader.GetBytesFromBase64();
                }
                else
                {
                    // 'encoding' is written before 'content'; if a hand-edited file reorders them,
                    // the text is kept and decoded once 'encoding' has been seen (below).
                    content = ReadUtf8(ref reader);
                    contentReadAsText = true;
                }
            }
            else { reader.Read(); reader.Skip(); }
        }

        if (base64 && contentReadAsText)
        {
            content = DecodeBase64(content);
        }

        return new ExchangeBody
        {
            Content = content,
            MediaType = mediaType,
            Size = size ?? content.Length,
            Truncated = truncated,
            Note = note,
        };
    }

    private static byte[] DecodeBase64(byte[] utf8)
    {
        var decoded = new byte[System.Buffers.Text.Base64.GetMaxDecodedFromUtf8Length(utf8.Length)];
        var status = System.Buffers.Text.Base64.DecodeFromUtf8(utf8, decoded, out _, out var written);
        if (status != System.Buffers.OperationStatus.Done)
        {
            throw new FormatException("body content is not valid base64");
        }

        return decoded[..written];
    }

    private static byte[] ReadUtf8(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new FormatException("body content must be a string");
        }

        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return reader.ValueSpan.ToArray();
        }

        // Unescape into a pooled buffer, then copy out exactly once at the final size.
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = reader.CopyString(rented);
            return rented.AsSpan(0, written).ToArray();
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static ExchangeError ReadError(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject, "'error' must be an object");
        string? kind = null, message = null;
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals(JsonNames.Kind)) { kind = ReadString(ref reader); }
            else if (reader.ValueTextEquals(JsonNames.Message)) { message = ReadString(ref reader); }
            else { reader.Read(); reader.Skip(); }
        }

        return new ExchangeError(EnumNames.ParseErrorKind(kind), message ?? string.Empty);
    }

    private static ImmutableArray<Redaction> ReadRedactions(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "'redactions' must be an array");
        var builder = ImmutableArray.CreateBuilder<Redaction>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("each redaction must be an object");
            }

            string location = string.Empty, rule = string.Empty, action = string.Empty;
            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals(JsonNames.Location)) { location = ReadString(ref reader) ?? location; }
                else if (reader.ValueTextEquals(JsonNames.Rule)) { rule = ReadString(ref reader) ?? rule; }
                else if (reader.ValueTextEquals(JsonNames.Action)) { action = ReadString(ref reader) ?? action; }
                else { reader.Read(); reader.Skip(); }
            }

            builder.Add(new Redaction(location, rule, action));
        }

        return builder.ToImmutable();
    }

    private static ImmutableArray<HeaderField> ReadHeaders(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray, "headers must be an array of [name, value] pairs");
        var builder = t_headers ??= new List<HeaderField>(32);
        builder.Clear();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new FormatException("each header must be a [name, value] pair");
            }

            reader.Read();
            var name = ReadPooledString(ref reader) ?? throw new FormatException("a header name is null");
            reader.Read();
            var value = ReadPooledString(ref reader) ?? string.Empty;
            if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
            {
                throw new FormatException("each header must be a [name, value] pair");
            }

            builder.Add(new HeaderField(name, value));
        }

        // One allocation of the exact size; the scratch list is reused (request and response headers
        // are read one after the other, never nested).
        var headers = ImmutableArray.Create<HeaderField>(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(builder));
        builder.Clear();
        return headers;
    }

    private static ImmutableSortedDictionary<string, string> ReadMap(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject, "expected an object of strings");
        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        while (NextProperty(ref reader))
        {
            var key = reader.GetString()!;
            reader.Read();
            builder[key] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                _ => throw new FormatException($"'{key}' must be a string"),
            };
        }

        return builder.ToImmutable();
    }

    private static DateTimeOffset ReadTimestamp(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var fast))
        {
            return fast; // ISO 8601 parsed from the UTF-8 bytes, no string allocated
        }

        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value))
        {
            throw new FormatException($"'{text}' is not an ISO 8601 timestamp");
        }

        return value;
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        return ReadPooledString(ref reader);
    }

    /// <summary>The current string token, as a shared instance when it is a well-known value.</summary>
    private static string? ReadPooledString(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => (!reader.ValueIsEscaped && !reader.HasValueSequence ? KnownStrings.Find(reader.ValueSpan) : null) ?? reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new FormatException($"expected a string, found {reader.TokenType}"),
    };

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new FormatException("the JSON object is incomplete");
        }

        return reader.TokenType switch
        {
            JsonTokenType.PropertyName => true,
            JsonTokenType.EndObject => false,
            _ => throw new FormatException($"unexpected {reader.TokenType} in an object"),
        };
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string message)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new FormatException(message);
        }
    }

    private static string FirstSentence(string message)
    {
        if (message.StartsWith("Expected depth to be zero", StringComparison.Ordinal))
        {
            return "the JSON object is incomplete (cut short?)";
        }

        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message.TrimEnd('.');
    }
}
