using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Reprise.Core.Model;
using Reprise.Core.Protocols;
using Reprise.Core.Recording;

namespace Reprise.Core.Har;

/// <summary>Maps one HAR entry to an exchange. Tolerant of what real exporters leave out.</summary>
internal static class HarEntryMapper
{
    /// <summary>HAR fields outside request/response that are kept as <c>har.*</c> tags.</summary>
    internal static readonly string[] KeptEntryFields = ["pageref", "serverIPAddress", "connection", "comment", "_resourceType", "_priority"];

    /// <summary>The largest custom (<c>_</c>) field kept, as compact JSON; larger ones (Chrome call stacks of minified bundles) are dropped.</summary>
    internal const int MaxKeptFieldChars = 2048;

    public static Exchange ToExchange(JsonElement entry, HarImportOptions options, int index, HarAttachments? attachments = null)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("an entry must be an object");
        }

        var request = entry.TryGetProperty("request", out var req) && req.ValueKind == JsonValueKind.Object
            ? req
            : throw new FormatException("entry has no 'request'");
        var method = String(request, "method") ?? throw new FormatException("request has no 'method'");
        var url = String(request, "url") ?? throw new FormatException("request has no 'url'");
        var startedText = String(entry, "startedDateTime");
        var startedAt = DateTimeOffset.TryParse(startedText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            ? parsed
            : throw new FormatException($"startedDateTime '{startedText}' is not an ISO 8601 timestamp");
        var time = TotalTime(entry);

        entry.TryGetProperty("_reprise", out var meta);
        var hasMeta = meta.ValueKind == JsonValueKind.Object;

        var requestHeaders = Headers(request, "headers");
        if (!requestHeaders.Has("cookie") && request.TryGetProperty("cookies", out var cookies) && cookies.ValueKind == JsonValueKind.Array && cookies.GetArrayLength() > 0)
        {
            var pairs = cookies.EnumerateArray().Select(c => $"{String(c, "name")}={String(c, "value")}");
            requestHeaders = requestHeaders.Add(new HeaderField("Cookie", string.Join("; ", pairs)));
        }

        var requestBody = RequestBody(request, hasMeta ? Meta(meta, "requestBody") : default, hasMeta, attachments);
        if (!hasMeta)
        {
            (requestBody, requestHeaders) = AsExported(requestBody, requestHeaders, request.TryGetProperty("postData", out var postData) ? postData : default);
        }

        var exchangeRequest = new ExchangeRequest
        {
            Method = method,
            Url = url,
            Version = NormalizeVersion(String(request, "httpVersion")),
            Headers = requestHeaders,
            Body = requestBody,
        };

        var response = ResponseOf(entry, hasMeta ? meta : default, attachments, out var responseError);
        var tags = Exchange.EmptyTags;
        foreach (var field in KeptEntryFields)
        {
            if (entry.TryGetProperty(field, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            {
                tags = tags.SetItem("har." + field.TrimStart('_'), value.ToString());
            }
        }

        if (time is null && !(hasMeta && meta.TryGetProperty("durationTicks", out _)))
        {
            tags = tags.SetItem(WellKnownTags.DurationUnknown, "har");
        }

        if (!hasMeta)
        {
            tags = KeepForeignFields(tags, entry, request);
            var traced = TraceContext.TryParse(requestHeaders.Get(TraceContext.HeaderName), out var traceId, out var parentId);
            var exchange = new Exchange
            {
                Id = DeterministicId(startedText, method, url, index),
                TraceId = traced ? traceId : null,
                ParentId = traced ? parentId : null,
                Direction = options.Direction,
                Service = options.Service ?? UrlParts.Host(url),
                StartedAt = startedAt,
                Duration = Duration(time),
                Request = exchangeRequest,
                Response = response,
                Error = responseError,
                Tags = tags,
                Messages = HarWebSocketMessages.Read(entry, startedAt),
            };
            return ProtocolClassifier.Classify(exchange);
        }

        // Written by Reprise: restore what HAR cannot carry.
        var metaTags = Map(meta, "tags");
        return new Exchange
        {
            Id = String(meta, "id") ?? DeterministicId(startedText, method, url, index),
            TraceId = String(meta, "traceId"),
            SpanId = String(meta, "spanId"),
            ParentId = String(meta, "parentId"),
            Direction = EnumNames.TryParseDirection(String(meta, "direction"), out var d) ? d : options.Direction,
            Service = meta.TryGetProperty("service", out _) ? String(meta, "service") : options.Service,
            Protocol = EnumNames.TryParseProtocol(String(meta, "protocol"), out var p) ? p : ProtocolClassifier.FromVersion(exchangeRequest.Version),
            StartedAt = startedAt,
            Duration = meta.TryGetProperty("durationTicks", out var ticks) ? TimeSpan.FromTicks(ticks.GetInt64()) : Duration(time),
            Request = exchangeRequest,
            Response = response,
            Error = meta.TryGetProperty("error", out var err) && err.ValueKind == JsonValueKind.Object
                ? new ExchangeError(EnumNames.ParseErrorKind(String(err, "kind")), String(err, "message") ?? string.Empty)
                : responseError,
            Tags = metaTags.Count > 0 || tags.Count == 0 ? metaTags : tags,
            Redactions = meta.TryGetProperty("redactions", out var reds) && reds.ValueKind == JsonValueKind.Array
                ? [.. reds.EnumerateArray().Select(r => new Redaction(String(r, "location") ?? "", String(r, "rule") ?? "", String(r, "action") ?? ""))]
                : [],
            Messages = HarWebSocketMessages.Read(entry, startedAt),
        };
    }

    /// <summary>Tag holding an imported entry's <c>timings</c> object (compact JSON), written back by <see cref="HarWriter"/>.</summary>
    internal const string TimingsTag = "har.timings";

    /// <summary>Tag prefixes of custom (<c>_</c>) fields kept as compact JSON: <c>har._initiator</c>, <c>har.request._x</c>, <c>har.response._transferSize</c>.</summary>
    internal const string EntryFieldPrefix = "har.", RequestFieldPrefix = "har.request.", ResponseFieldPrefix = "har.response.";

    /// <summary>Custom fields with a meaning of their own here (kept as plain tags, read as messages, or Reprise's own).</summary>
    private static readonly string[] NotKeptAsJson = ["_resourceType", "_priority", "_webSocketMessages", "_reprise"];

    /// <summary>
    /// What a foreign HAR carries that the exchange has no field for: the phase <c>timings</c> and every custom
    /// (<c>_</c>-prefixed) field of the entry, its request and its response (Chrome's <c>_initiator</c> and
    /// <c>_transferSize</c>, Playwright's <c>_securityDetails</c>, Charles's <c>_charlesStatus</c>...), as compact JSON
    /// under <c>har.*</c> tags, so an export writes them back. A field longer than <see cref="MaxKeptFieldChars"/> is dropped.
    /// </summary>
    private static ImmutableSortedDictionary<string, string> KeepForeignFields(ImmutableSortedDictionary<string, string> tags, JsonElement entry, JsonElement request)
    {
        tags = KeepCustom(tags, entry, EntryFieldPrefix);
        tags = KeepCustom(tags, request, RequestFieldPrefix);
        if (entry.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object)
        {
            tags = KeepCustom(tags, response, ResponseFieldPrefix);
        }

        if (entry.TryGetProperty("timings", out var timings) && timings.ValueKind == JsonValueKind.Object && Compact(timings) is { Length: <= MaxKeptFieldChars } json)
        {
            tags = tags.SetItem(TimingsTag, json);
        }

        return tags;
    }

    private static ImmutableSortedDictionary<string, string> KeepCustom(ImmutableSortedDictionary<string, string> tags, JsonElement parent, string prefix)
    {
        foreach (var property in parent.EnumerateObject())
        {
            if (property.Name.Length > 1 && property.Name[0] == '_' && Array.IndexOf(NotKeptAsJson, property.Name) < 0
                && Compact(property.Value) is { Length: <= MaxKeptFieldChars } json)
            {
                tags = tags.SetItem(prefix + property.Name, json);
            }
        }

        return tags;
    }

    private static string Compact(JsonElement value)
    {
        if (value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            return value.GetRawText(); // a scalar is already compact
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static ExchangeResponse? ResponseOf(JsonElement entry, JsonElement meta, HarAttachments? attachments, out ExchangeError? error)
    {
        error = null;
        var hasMeta = meta.ValueKind == JsonValueKind.Object;
        if (!entry.TryGetProperty("response", out var response) || response.ValueKind != JsonValueKind.Object)
        {
            error = new ExchangeError(ExchangeErrorKind.Other, "no response in HAR entry");
            return null;
        }

        var status = response.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : 0;
        if (hasMeta && meta.TryGetProperty("noResponse", out _))
        {
            return null; // the exact error, if any, is restored from _reprise.error
        }

        if (!hasMeta && status <= 0)
        {
            var message = String(response, "_error") ?? String(entry, "_error") ?? "no response (status 0)";
            error = new ExchangeError(message.Contains("timed out", StringComparison.OrdinalIgnoreCase) ? ExchangeErrorKind.Timeout : ExchangeErrorKind.Other, message);
            return null;
        }

        var statusText = String(response, "statusText");
        var headers = Headers(response, "headers");
        var body = ResponseBody(response, headers, hasMeta ? Meta(meta, "responseBody") : default, hasMeta, attachments);
        if (!hasMeta)
        {
            var wire = headers; // as the HAR lists them (AsExported may set Content-Length to what is stored)
            (body, headers) = AsExported(body, headers, response.TryGetProperty("content", out var content) ? content : default);
            body ??= NotCaptured(response, wire, content, status);
        }

        return new ExchangeResponse
        {
            Status = status,
            Reason = string.IsNullOrEmpty(statusText) ? null : statusText,
            Version = NormalizeVersion(String(response, "httpVersion")),
            Headers = headers,
            Body = body,
            Trailers = hasMeta ? Headers(meta, "trailers") : [],
        };
    }

    private static ExchangeBody? RequestBody(JsonElement request, JsonElement bodyMeta, bool hasMeta, HarAttachments? attachments)
    {
        if (hasMeta && bodyMeta.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (!request.TryGetProperty("postData", out var post) || post.ValueKind != JsonValueKind.Object)
        {
            return hasMeta ? WithMeta(ExchangeBody.FromBytes(Array.Empty<byte>(), null), bodyMeta) : null;
        }

        var mimeType = String(post, "mimeType");
        ReadOnlyMemory<byte> bytes;
        var text = String(post, "text");
        var attached = string.IsNullOrEmpty(text) ? attachments?.Read(String(post, "_file")) : null;
        if (attached is { } file)
        {
            bytes = file.Content;
        }
        else if (text is not null)
        {
            bytes = IsBase64(post) ? Base64(text) : Encoding.UTF8.GetBytes(text);
        }
        else if (post.TryGetProperty("params", out var parameters) && parameters.ValueKind == JsonValueKind.Array)
        {
            // Postman-style and some browser exports carry form fields only as params.
            var form = string.Join('&', parameters.EnumerateArray().Select(p => $"{Uri.EscapeDataString(String(p, "name") ?? "")}={Uri.EscapeDataString(String(p, "value") ?? "")}"));
            bytes = Encoding.UTF8.GetBytes(form);
        }
        else
        {
            bytes = ReadOnlyMemory<byte>.Empty;
        }

        var body = Capped(ExchangeBody.FromBytes(bytes, string.IsNullOrEmpty(mimeType) ? null : mimeType), attached);
        return hasMeta ? WithMeta(body, bodyMeta) : body;
    }

    /// <summary>An attachment cut at <see cref="HarAttachments.MaxBytes"/>: truncated, with the file's real size.</summary>
    private static ExchangeBody Capped(ExchangeBody body, (ReadOnlyMemory<byte> Content, long Size)? attached) =>
        attached is { } file && file.Size > file.Content.Length
            ? body with { Size = file.Size, Truncated = true, Note = $"attachment cut at {file.Content.Length:N0} of {file.Size:N0} bytes" }
            : body;

    private static ExchangeBody? ResponseBody(JsonElement response, ImmutableArray<HeaderField> headers, JsonElement bodyMeta, bool hasMeta, HarAttachments? attachments)
    {
        if (hasMeta && bodyMeta.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        response.TryGetProperty("content", out var content);
        var mimeType = content.ValueKind == JsonValueKind.Object ? String(content, "mimeType") : null;
        var text = content.ValueKind == JsonValueKind.Object ? String(content, "text") : null;
        var attached = string.IsNullOrEmpty(text) && content.ValueKind == JsonValueKind.Object ? attachments?.Read(String(content, "_file")) : null;
        ReadOnlyMemory<byte> bytes = attached is { } file ? file.Content
            : text is null ? [] : IsBase64(content) ? Base64(text) : Encoding.UTF8.GetBytes(text);
        if (!hasMeta && bytes.Length == 0)
        {
            return null;
        }

        var body = Capped(ExchangeBody.FromBytes(bytes, string.IsNullOrEmpty(mimeType) ? headers.Get("content-type") : mimeType), attached);
        return hasMeta ? WithMeta(body, bodyMeta) : body;
    }

    /// <summary>
    /// A response body the exporter did not keep (Chromium/Playwright leave out redirects, large and streamed
    /// bodies: no <c>text</c>, <c>size</c> -1 or more than 0): stored as a truncated body with nothing kept, so a
    /// diff does not report the body the target sends as "added" and a mock says it has none of it.
    /// </summary>
    private static ExchangeBody? NotCaptured(JsonElement response, ImmutableArray<HeaderField> headers, JsonElement content, int status)
    {
        if (status is < 200 or 204 or 205 or 304 || content.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var size = Number(content, "size");
        var wire = Number(response, "bodySize");
        var length = headers.Get("content-length") is { } header
            && long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : (long?)null;
        if (!(size is > 0 or -1 || (size is null && wire is > 0)) || length == 0)
        {
            return null;
        }

        return new ExchangeBody
        {
            Content = ReadOnlyMemory<byte>.Empty,
            MediaType = String(content, "mimeType") is { Length: > 0 } mime && mime != "x-unknown" ? mime : headers.Get("content-type"),
            Size = size is > 0 ? size.Value : length ?? (wire is > 0 ? wire.Value : 0),
            Truncated = true,
            Note = String(content, "_file") is { Length: > 0 } file
                ? $"not captured: the attachment '{file}' is not beside the HAR"
                : "not captured: the HAR has no body text for this response",
        };
    }

    private static long? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    /// <summary>
    /// A HAR from another tool holds bodies as the browser saw them (HAR 1.2: "decoded (decompressed and
    /// unchunked), then transcoded from its original character set into UTF-8"), while its headers are the
    /// wire's. Left as they were, a mock would serve plain bytes under <c>Content-Encoding: br</c> and UTF-8
    /// bytes under <c>charset=iso-8859-1</c>. So: text in another charset is encoded back into it (when every
    /// character fits; otherwise the charset becomes utf-8), and a Content-Encoding the body no longer has is
    /// removed (Content-Length follows the stored body). Compressed bytes an exporter kept as base64 (gzip or
    /// zstd magic) keep their header.
    /// </summary>
    private static (ExchangeBody? Body, ImmutableArray<HeaderField> Headers) AsExported(ExchangeBody? body, ImmutableArray<HeaderField> headers, JsonElement content)
    {
        var base64 = content.ValueKind == JsonValueKind.Object && IsBase64(content);
        var notes = new List<string>();
        if (body is { Content.Length: > 0 } && !base64 && Charset(body.MediaType ?? headers.Get("content-type")) is { } charset && !IsUtf8(charset))
        {
            if (Reencode(charset, Encoding.UTF8.GetString(body.Content.Span)) is { } encoded)
            {
                body = body with { Content = encoded, Size = body.Truncated ? body.Size : encoded.Length };
                notes.Add("encoded back into " + charset + " (HAR stores text as UTF-8)");
            }
            else
            {
                body = body with { MediaType = body.MediaType is null ? null : WithUtf8Charset(body.MediaType) };
                if (headers.Get("content-type") is { } type)
                {
                    headers = headers.With("content-type", WithUtf8Charset(type));
                }

                notes.Add("charset " + charset + " changed to utf-8 (HAR stores text as UTF-8)");
            }
        }

        var coding = headers.Get("content-encoding")?.Trim();
        if (!string.IsNullOrEmpty(coding) && !coding.Equals("identity", StringComparison.OrdinalIgnoreCase) && !(base64 && body is not null && LooksCompressed(body.Content.Span)))
        {
            headers = headers.Without("content-encoding");
            notes.Add($"content-encoding '{coding}' removed: HAR bodies are stored decoded");
        }

        if (notes.Count == 0)
        {
            return (body, headers);
        }

        var length = body?.Content.Length ?? 0;
        if (headers.Get("content-length") is not null)
        {
            headers = headers.With("content-length", length.ToString(CultureInfo.InvariantCulture));
        }

        if (body is not null)
        {
            body = body with { Note = body.Note is null ? string.Join("; ", notes) : body.Note + "; " + string.Join("; ", notes) };
        }

        return (body, headers);
    }

    private static bool LooksCompressed(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b]) || bytes.StartsWith((ReadOnlySpan<byte>)[0x28, 0xb5, 0x2f, 0xfd]);

    private static string? Charset(string? mediaType)
    {
        if (mediaType is null)
        {
            return null;
        }

        foreach (var parameter in mediaType.Split(';').Skip(1))
        {
            var eq = parameter.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && parameter[..eq].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                var value = parameter[(eq + 1)..].Trim().Trim('"').Trim();
                return value.Length == 0 ? null : value;
            }
        }

        return null;
    }

    private static bool IsUtf8(string charset) =>
        charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);

    private static string WithUtf8Charset(string mediaType)
    {
        var parts = mediaType.Split(';');
        for (var i = 1; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && parts[i][..eq].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                parts[i] = " charset=utf-8";
            }
        }

        return string.Join(';', parts);
    }

    private static Encoding? TextEncoding(string charset)
    {
        try
        {
            var encoding = CodePagesEncodingProvider.Instance.GetEncoding(charset, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
                ?? Encoding.GetEncoding(charset, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

            // UTF-16/32: the HAR does not say which byte order or whether there was a byte order mark, so the
            // bytes cannot be rebuilt: the text stays UTF-8 and the charset says so.
            return encoding.CodePage is 1200 or 1201 or 12000 or 12001 ? null : encoding;
        }
        catch (ArgumentException)
        {
            return null; // a charset .NET does not know
        }
    }

    private static byte[]? Reencode(string charset, string text) =>
        (IsWindows1252Label(charset) ? TryEncode(Windows1252, text) : null)
        ?? (TextEncoding(charset) is { } encoding ? TryEncode(encoding, text) : null);

    /// <summary>
    /// A browser decodes every one of these labels as windows-1252 (WHATWG Encoding), so a HAR's <c>€</c> or <c>“</c> under
    /// <c>charset=iso-8859-1</c> was the byte 0x80 or 0x93 on the wire: windows-1252 rebuilds those bytes, where ISO-8859-1
    /// has no byte for them (text a real Latin-1 decoder produced, U+0080-U+009F, still falls back to the label's own).
    /// </summary>
    private static bool IsWindows1252Label(string charset) => charset.ToLowerInvariant() is "iso-8859-1" or "iso8859-1" or "iso_8859-1"
        or "iso88591" or "iso_8859-1:1987" or "latin1" or "l1" or "cp819" or "ibm819" or "csisolatin1" or "iso-ir-100" or "us-ascii"
        or "ascii" or "ansi_x3.4-1968" or "windows-1252" or "cp1252" or "x-cp1252";

    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)!;

    private static byte[]? TryEncode(Encoding encoding, string text)
    {
        try
        {
            return encoding.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            return null;
        }
    }

    private static ExchangeBody WithMeta(ExchangeBody body, JsonElement meta) => body with
    {
        MediaType = meta.TryGetProperty("mediaType", out var mt) ? (mt.ValueKind == JsonValueKind.String ? mt.GetString() : null) : body.MediaType,
        Size = meta.TryGetProperty("size", out var size) ? size.GetInt64() : body.Size,
        Truncated = meta.TryGetProperty("truncated", out var tr) && tr.ValueKind == JsonValueKind.True,
        Note = String(meta, "note"),
    };

    private static bool IsBase64(JsonElement element) =>
        string.Equals(String(element, "encoding") ?? String(element, "_encoding"), "base64", StringComparison.OrdinalIgnoreCase);

    private static byte[] Base64(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new FormatException("body says encoding 'base64' but is not valid base64");
        }
    }

    private static ImmutableArray<HeaderField> Headers(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var headers) || headers.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var builder = ImmutableArray.CreateBuilder<HeaderField>(headers.GetArrayLength());
        foreach (var header in headers.EnumerateArray())
        {
            var headerName = String(header, "name");
            if (!string.IsNullOrEmpty(headerName))
            {
                builder.Add(new HeaderField(headerName, String(header, "value") ?? string.Empty));
            }
        }

        return builder.ToImmutable();
    }

    private static ImmutableSortedDictionary<string, string> Map(JsonElement parent, string name)
    {
        var map = Exchange.EmptyTags;
        if (parent.TryGetProperty(name, out var obj) && obj.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in obj.EnumerateObject())
            {
                map = map.SetItem(property.Name, property.Value.ToString());
            }
        }

        return map;
    }

    private static JsonElement Meta(JsonElement meta, string name) =>
        meta.TryGetProperty(name, out var value) ? value : default;

    internal static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>Exporters write "HTTP/1.1", "http/2.0", "h2", "h3" or nothing; keep the value, default HTTP/1.1.</summary>
    private static string NormalizeVersion(string? version) => string.IsNullOrWhiteSpace(version) ? "HTTP/1.1" : version;

    private static TimeSpan Duration(double? milliseconds) =>
        milliseconds is > 0 and var ms && double.IsFinite(ms) ? TimeSpan.FromTicks((long)Math.Round(ms * TimeSpan.TicksPerMillisecond)) : TimeSpan.Zero;

    /// <summary>
    /// The entry's total time in ms, or null when it does not say: <c>time</c> when it is a number of at least 0,
    /// otherwise (missing, or -1 as some exporters write for "unknown") the sum of the <c>timings</c> phases that
    /// apply (-1 is "does not apply"; <c>ssl</c> is already inside <c>connect</c>), when they add up to more than 0.
    /// </summary>
    private static double? TotalTime(JsonElement entry)
    {
        if (entry.TryGetProperty("time", out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetDouble(out var time) && time >= 0 && double.IsFinite(time))
        {
            return time;
        }

        if (!entry.TryGetProperty("timings", out var timings) || timings.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        double? total = null;
        foreach (var phase in TimedPhases)
        {
            if (timings.TryGetProperty(phase, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var ms) && ms >= 0 && double.IsFinite(ms))
            {
                total = (total ?? 0) + ms;
            }
        }

        return total > 0 ? total : null;
    }

    /// <summary>The HAR <c>timings</c> phases whose sum is the entry's time (<c>ssl</c> is part of <c>connect</c>).</summary>
    private static readonly string[] TimedPhases = ["blocked", "dns", "connect", "send", "wait", "receive"];

    /// <summary>Importing the same HAR twice gives the same ids, so results stay comparable.</summary>
    private static string DeterministicId(string? started, string method, string url, int index)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{index}\n{started}\n{method}\n{url}"));
        return "har-" + Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }
}
