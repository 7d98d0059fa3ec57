using System.Collections.Immutable;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Protocols;
using Reprise.Core.Recording;

namespace Reprise.Core.Har;

/// <summary>
/// Writes exchanges as a HAR 1.2 file, streaming (one entry at a time). What HAR has no field for
/// (ids, trace links, direction, trailers, truncation, redactions) goes into a <c>_reprise</c> object
/// per entry, so <see cref="HarReader"/> restores the exchange exactly.
/// </summary>
public sealed class HarWriter : IExchangeSink<long>
{
    private readonly Stream _output;
    private readonly string? _comment;

    /// <param name="output">Where the HAR is written; not closed by the writer.</param>
    /// <param name="comment">The log's <c>comment</c> (e.g. the redaction policy a HAR was cleaned with), or none.</param>
    public HarWriter(Stream output, string? comment = null)
    {
        _output = output;
        _comment = comment;
    }

    /// <inheritdoc />
    public string Name => "har";

    /// <inheritdoc />
    public async Task<long> ConsumeAsync(IAsyncEnumerable<Exchange> input, CancellationToken cancellationToken = default)
    {
        await using var writer = new Utf8JsonWriter(_output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WriteStartObject("log");
        writer.WriteString("version", "1.2");
        writer.WriteStartObject("creator");
        writer.WriteString("name", "reprise");
        writer.WriteString("version", RecordingFormat.ToolName["reprise/".Length..]);
        writer.WriteEndObject();
        if (_comment is not null)
        {
            writer.WriteString("comment", _comment);
        }

        writer.WriteStartArray("pages");
        writer.WriteEndArray();
        writer.WriteStartArray("entries");
        long count = 0;
        await foreach (var exchange in input.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            WriteEntry(writer, exchange);
            count++;
            if (writer.BytesPending > 64 * 1024)
            {
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    private static void WriteEntry(Utf8JsonWriter w, Exchange e)
    {
        w.WriteStartObject();
        if (e.Tags.TryGetValue("har.pageref", out var pageref))
        {
            w.WriteString("pageref", pageref);
        }

        w.WriteString("startedDateTime", e.StartedAt.ToString("O", CultureInfo.InvariantCulture));
        w.WriteNumber("time", e.Duration.Ticks / (double)TimeSpan.TicksPerMillisecond);
        WriteRequest(w, e.Request, e.Tags);
        WriteResponse(w, e);
        w.WriteStartObject("cache");
        w.WriteEndObject();
        if (e.Tags.TryGetValue(HarEntryMapper.TimingsTag, out var timings) && TimingsDescribe(timings, e.Duration))
        {
            w.WritePropertyName("timings");
            w.WriteRawValue(timings);
        }
        else
        {
            w.WriteStartObject("timings");
            w.WriteNumber("send", 0);
            w.WriteNumber("wait", e.Duration.Ticks / (double)TimeSpan.TicksPerMillisecond);
            w.WriteNumber("receive", 0);
            w.WriteEndObject();
        }

        foreach (var field in HarEntryMapper.KeptEntryFields)
        {
            if (field != "pageref" && e.Tags.TryGetValue("har." + field.TrimStart('_'), out var value))
            {
                w.WriteString(field, value);
            }
        }

        var writesError = e.Response is null && e.Error is not null;
        if (writesError)
        {
            w.WriteString("_error", e.Error!.Message);
        }

        WriteCustomFields(w, e.Tags, HarEntryMapper.EntryFieldPrefix, writesError ? "_error" : null);

        if (!e.Messages.IsDefaultOrEmpty)
        {
            HarWebSocketMessages.Write(w, e);
        }

        WriteMeta(w, e);
        w.WriteEndObject();
    }

    private static void WriteRequest(Utf8JsonWriter w, ExchangeRequest request, ImmutableSortedDictionary<string, string> tags)
    {
        w.WriteStartObject("request");
        w.WriteString("method", request.Method);
        w.WriteString("url", request.Url);
        w.WriteString("httpVersion", request.Version);
        w.WriteStartArray("cookies");
        foreach (var cookie in request.Headers.Where(h => h.Name.Equals("cookie", StringComparison.OrdinalIgnoreCase)).SelectMany(h => h.Value.Split(';')))
        {
            var eq = cookie.IndexOf('=');
            w.WriteStartObject();
            w.WriteString("name", (eq < 0 ? cookie : cookie[..eq]).Trim());
            w.WriteString("value", eq < 0 ? string.Empty : cookie[(eq + 1)..].Trim());
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteHeaders(w, "headers", request.Headers);
        w.WriteStartArray("queryString");
        foreach (var (name, value) in QueryString.Parse(UrlParts.Query(request.Url)))
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteString("value", value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (request.Body is { } body)
        {
            w.WriteStartObject("postData");
            w.WriteString("mimeType", body.MediaType ?? string.Empty);
            WriteBodyText(w, body);
            w.WriteEndObject();
        }

        w.WriteNumber("headersSize", -1);
        w.WriteNumber("bodySize", request.Body?.Size ?? 0);
        WriteCustomFields(w, tags, HarEntryMapper.RequestFieldPrefix, null);
        w.WriteEndObject();
    }

    private static void WriteResponse(Utf8JsonWriter w, Exchange e)
    {
        var response = e.Response;
        w.WriteStartObject("response");
        w.WriteNumber("status", response?.Status ?? 0);
        w.WriteString("statusText", response?.Reason ?? string.Empty);
        w.WriteString("httpVersion", response?.Version ?? string.Empty);
        w.WriteStartArray("cookies");
        foreach (var header in response?.Headers ?? [])
        {
            if (header.Name.Equals("set-cookie", StringComparison.OrdinalIgnoreCase))
            {
                var pair = header.Value.Split(';')[0];
                var eq = pair.IndexOf('=');
                w.WriteStartObject();
                w.WriteString("name", (eq < 0 ? pair : pair[..eq]).Trim());
                w.WriteString("value", eq < 0 ? string.Empty : pair[(eq + 1)..].Trim());
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        WriteHeaders(w, "headers", response?.Headers ?? []);
        w.WriteStartObject("content");
        w.WriteNumber("size", response?.Body?.Size ?? 0);
        w.WriteString("mimeType", response?.Body?.MediaType ?? response?.Headers.Get("content-type") ?? string.Empty);
        if (response?.Body is { } body)
        {
            WriteBodyText(w, body);
        }

        w.WriteEndObject();
        w.WriteString("redirectURL", response?.Headers.Get("location") ?? string.Empty);
        w.WriteNumber("headersSize", -1);
        w.WriteNumber("bodySize", response?.Body?.Size ?? (response is null ? -1 : 0));
        WriteCustomFields(w, e.Tags, HarEntryMapper.ResponseFieldPrefix, null);
        w.WriteEndObject();
    }

    /// <summary>
    /// The custom (<c>_</c>) fields an import kept under <paramref name="prefix"/> (see HarEntryMapper.KeepForeignFields),
    /// as the JSON they were; one that is not valid JSON (a hand-edited tag) is written as a string.
    /// </summary>
    private static void WriteCustomFields(Utf8JsonWriter w, ImmutableSortedDictionary<string, string> tags, string prefix, string? alreadyWritten)
    {
        if (tags.IsEmpty)
        {
            return;
        }

        foreach (var (key, value) in tags)
        {
            if (key.Length <= prefix.Length + 1 || !key.StartsWith(prefix, StringComparison.Ordinal) || key[prefix.Length] != '_')
            {
                continue;
            }

            var name = key[prefix.Length..];
            if (name == alreadyWritten || name is "_reprise" or "_webSocketMessages" or "_resourceType" or "_priority")
            {
                continue; // one this writer writes itself
            }

            w.WritePropertyName(name);
            if (IsJson(value))
            {
                w.WriteRawValue(value, skipInputValidation: true);
            }
            else
            {
                w.WriteStringValue(value);
            }
        }
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether imported phase timings still describe this exchange: HAR's <c>time</c> is the sum of the phases that are
    /// not -1 (Chrome and Charles count <c>ssl</c> inside <c>connect</c>, Firefox and mitmproxy beside it). A replay
    /// result or an edited exchange has a duration of its own, and gets the plain send/wait/receive.
    /// </summary>
    private static bool TimingsDescribe(string timings, TimeSpan duration)
    {
        try
        {
            using var document = JsonDocument.Parse(timings);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            double sum = 0, ssl = 0;
            foreach (var phase in document.RootElement.EnumerateObject())
            {
                if (phase.Value.ValueKind != JsonValueKind.Number || !phase.Value.TryGetDouble(out var ms) || ms < 0)
                {
                    continue;
                }

                if (phase.Name is "blocked" or "dns" or "connect" or "send" or "wait" or "receive")
                {
                    sum += ms;
                }
                else if (phase.Name == "ssl")
                {
                    ssl = ms;
                }
            }

            var total = duration.Ticks / (double)TimeSpan.TicksPerMillisecond;
            var tolerance = Math.Max(1.0, total / 100);
            return Math.Abs(sum - total) <= tolerance || Math.Abs(sum + ssl - total) <= tolerance;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void WriteBodyText(Utf8JsonWriter w, ExchangeBody body)
    {
        if (body.IsText)
        {
            w.WriteString("text", body.Content.Span);
        }
        else
        {
            w.WriteBase64String("text", body.Content.Span);
            w.WriteString("encoding", "base64");
        }
    }

    private static void WriteHeaders(Utf8JsonWriter w, string name, ImmutableArray<HeaderField> headers)
    {
        w.WriteStartArray(name);
        foreach (var header in headers.IsDefault ? [] : headers)
        {
            w.WriteStartObject();
            w.WriteString("name", header.Name);
            w.WriteString("value", header.Value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteMeta(Utf8JsonWriter w, Exchange e)
    {
        w.WriteStartObject("_reprise");
        w.WriteString("id", e.Id);
        WriteNullable(w, "traceId", e.TraceId);
        WriteNullable(w, "spanId", e.SpanId);
        WriteNullable(w, "parentId", e.ParentId);
        w.WriteString("direction", e.Direction.ToWire());
        WriteNullable(w, "service", e.Service);
        w.WriteString("protocol", e.Protocol.ToWire());
        w.WriteNumber("durationTicks", e.Duration.Ticks);
        WriteBodyMeta(w, "requestBody", e.Request.Body);
        if (e.Response is null)
        {
            w.WriteBoolean("noResponse", true);
        }
        else
        {
            WriteBodyMeta(w, "responseBody", e.Response.Body);
            if (!e.Response.Trailers.IsDefaultOrEmpty)
            {
                WriteHeaders(w, "trailers", e.Response.Trailers);
            }
        }

        if (e.Error is { } error)
        {
            w.WriteStartObject("error");
            w.WriteString("kind", error.Kind.ToWire());
            w.WriteString("message", error.Message);
            w.WriteEndObject();
        }

        if (e.Tags.Count > 0)
        {
            w.WriteStartObject("tags");
            foreach (var (key, value) in e.Tags)
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
        }

        if (!e.Redactions.IsDefaultOrEmpty)
        {
            w.WriteStartArray("redactions");
            foreach (var r in e.Redactions)
            {
                w.WriteStartObject();
                w.WriteString("location", r.Location);
                w.WriteString("rule", r.Rule);
                w.WriteString("action", r.Action);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteBodyMeta(Utf8JsonWriter w, string name, ExchangeBody? body)
    {
        if (body is null)
        {
            return;
        }

        w.WriteStartObject(name);
        WriteNullable(w, "mediaType", body.MediaType);
        w.WriteNumber("size", body.Size);
        if (body.Truncated)
        {
            w.WriteBoolean("truncated", true);
        }

        if (body.Note is not null)
        {
            w.WriteString("note", body.Note);
        }

        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
