using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Reprise.Core.Model;

namespace Reprise.Core.Recording;

/// <summary>
/// Writes and parses one exchange as one JSON object (one line of a recording). Hand-written over
/// <see cref="Utf8JsonWriter"/>/<see cref="Utf8JsonReader"/>: the read path runs at hundreds of
/// thousands of exchanges per second, and the spelling is the documented format, not a serializer's choice.
/// </summary>
public static partial class ExchangeJson
{
    /// <summary>Writer options for recording lines: compact, and no needless escaping of &lt; &gt; &amp; or non-ASCII.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    /// <summary>Serializes one exchange to compact UTF-8 JSON.</summary>
    public static byte[] Serialize(Exchange exchange)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, exchange);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes one exchange as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, Exchange exchange)
    {
        writer.WriteStartObject();
        writer.WriteString(JsonNames.Id, exchange.Id);
        WriteOptional(writer, JsonNames.TraceId, exchange.TraceId);
        WriteOptional(writer, JsonNames.SpanId, exchange.SpanId);
        WriteOptional(writer, JsonNames.ParentId, exchange.ParentId);
        writer.WriteString(JsonNames.Direction, exchange.Direction.ToWire());
        WriteOptional(writer, JsonNames.Service, exchange.Service);
        writer.WriteString(JsonNames.Protocol, exchange.Protocol.ToWire());
        WriteTimestamp(writer, JsonNames.StartedAt, exchange.StartedAt);
        writer.WriteNumber(JsonNames.DurationMs, exchange.Duration.Ticks / (double)TimeSpan.TicksPerMillisecond);

        writer.WritePropertyName(JsonNames.Request);
        WriteRequest(writer, exchange.Request);

        if (exchange.Response is { } response)
        {
            writer.WritePropertyName(JsonNames.Response);
            WriteResponse(writer, response);
        }

        if (exchange.Error is { } error)
        {
            writer.WriteStartObject(JsonNames.Error);
            writer.WriteString(JsonNames.Kind, error.Kind.ToWire());
            writer.WriteString(JsonNames.Message, error.Message);
            writer.WriteEndObject();
        }

        if (exchange.Tags.Count > 0)
        {
            writer.WritePropertyName(JsonNames.Tags);
            WriteMap(writer, exchange.Tags);
        }

        if (!exchange.Messages.IsDefaultOrEmpty)
        {
            writer.WriteStartArray(JsonNames.Messages);
            foreach (var message in exchange.Messages)
            {
                WriteMessage(writer, message);
            }

            writer.WriteEndArray();
        }

        if (!exchange.Redactions.IsDefaultOrEmpty)
        {
            writer.WriteStartArray(JsonNames.Redactions);
            foreach (var redaction in exchange.Redactions)
            {
                writer.WriteStartObject();
                writer.WriteString(JsonNames.Location, redaction.Location);
                writer.WriteString(JsonNames.Rule, redaction.Rule);
                writer.WriteString(JsonNames.Action, redaction.Action);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a recording header as a JSON object.</summary>
    public static void WriteHeader(Utf8JsonWriter writer, RecordingHeader header)
    {
        writer.WriteStartObject();
        writer.WriteString(JsonNames.Format, RecordingFormat.FormatName);
        writer.WriteNumber(JsonNames.Version, header.Version);
        writer.WriteString(JsonNames.Tool, header.Tool);
        WriteTimestamp(writer, JsonNames.CreatedAt, header.CreatedAt);
        writer.WritePropertyName(JsonNames.Capture);
        WriteMap(writer, header.Capture);
        if (header.RedactionPolicy is not null || header.RedactionDigest is not null)
        {
            writer.WriteStartObject(JsonNames.Redaction);
            WriteOptional(writer, JsonNames.Policy, header.RedactionPolicy);
            WriteOptional(writer, JsonNames.Digest, header.RedactionDigest);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter writer, WebSocketMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString(JsonNames.From, message.From.ToWire());
        writer.WriteNumber(JsonNames.OffsetMs, message.Offset.Ticks / (double)TimeSpan.TicksPerMillisecond);
        writer.WriteString(JsonNames.Type, message.Kind.ToWire());
        if (message.Compressed)
        {
            writer.WriteBoolean(JsonNames.Compressed, true);
        }

        if (message.CloseCode is { } code)
        {
            writer.WriteNumber(JsonNames.Code, code);
        }

        WriteOptional(writer, JsonNames.Reason, message.CloseReason);
        if (message.Payload is { } payload)
        {
            writer.WritePropertyName(JsonNames.Payload);
            WriteBody(writer, payload);
        }

        writer.WriteEndObject();
    }

    private static void WriteRequest(Utf8JsonWriter writer, ExchangeRequest request)
    {
        writer.WriteStartObject();
        writer.WriteString(JsonNames.Method, request.Method);
        writer.WriteString(JsonNames.Url, request.Url);
        writer.WriteString(JsonNames.Version, request.Version);
        writer.WritePropertyName(JsonNames.Headers);
        WriteHeaders(writer, request.Headers);
        if (request.Body is { } body)
        {
            writer.WritePropertyName(JsonNames.Body);
            WriteBody(writer, body);
        }

        writer.WriteEndObject();
    }

    private static void WriteResponse(Utf8JsonWriter writer, ExchangeResponse response)
    {
        writer.WriteStartObject();
        writer.WriteNumber(JsonNames.Status, response.Status);
        WriteOptional(writer, JsonNames.Reason, response.Reason);
        writer.WriteString(JsonNames.Version, response.Version);
        writer.WritePropertyName(JsonNames.Headers);
        WriteHeaders(writer, response.Headers);
        if (response.Body is { } body)
        {
            writer.WritePropertyName(JsonNames.Body);
            WriteBody(writer, body);
        }

        if (!response.Trailers.IsDefaultOrEmpty)
        {
            writer.WritePropertyName(JsonNames.Trailers);
            WriteHeaders(writer, response.Trailers);
        }

        writer.WriteEndObject();
    }

    private static void WriteHeaders(Utf8JsonWriter writer, ImmutableArray<HeaderField> headers)
    {
        writer.WriteStartArray();
        if (!headers.IsDefault)
        {
            foreach (var header in headers)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(header.Name);
                writer.WriteStringValue(header.Value);
                writer.WriteEndArray();
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteBody(Utf8JsonWriter writer, ExchangeBody body)
    {
        writer.WriteStartObject();
        WriteOptional(writer, JsonNames.MediaType, body.MediaType);
        writer.WriteNumber(JsonNames.Size, body.Size);
        if (body.Truncated)
        {
            writer.WriteBoolean(JsonNames.Truncated, true);
        }

        WriteOptional(writer, JsonNames.Note, body.Note);
        var content = body.Content.Span;
        if (System.Text.Unicode.Utf8.IsValid(content))
        {
            writer.WriteString(JsonNames.Encoding, JsonNames.Utf8);
            writer.WriteString(JsonNames.Content, content);
        }
        else
        {
            writer.WriteString(JsonNames.Encoding, JsonNames.Base64);
            writer.WriteBase64String(JsonNames.Content, content);
        }

        writer.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter writer, ImmutableSortedDictionary<string, string> map)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in map)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteTimestamp(Utf8JsonWriter writer, ReadOnlySpan<byte> name, DateTimeOffset value)
    {
        Span<byte> buffer = stackalloc byte[40];
        if (value.TryFormat(buffer, out var written, "O", CultureInfo.InvariantCulture))
        {
            writer.WriteString(name, buffer[..written]);
        }
        else
        {
            writer.WriteString(name, value.ToString("O", CultureInfo.InvariantCulture));
        }
    }
}
