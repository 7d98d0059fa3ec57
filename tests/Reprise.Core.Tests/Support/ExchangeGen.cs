using System.Collections.Immutable;
using System.Text;
using CsCheck;
using Reprise.Core.Model;

namespace Reprise.Core.Tests.Support;

/// <summary>CsCheck generators for arbitrary exchanges (every field, text and binary bodies).</summary>
internal static class ExchangeGen
{
    // Any BMP character outside the surrogate range: control characters, quotes, non-ASCII.
    private static readonly Gen<char> AnyChar = Gen.Char['\0', '\uD7FF'];
    public static readonly Gen<string> Text = Gen.String[AnyChar, 0, 24];
    public static readonly Gen<string> Token = Gen.String[Gen.Char.AlphaNumeric, 1, 12];

    public static readonly Gen<HeaderField> Header = Gen.Select(
        Gen.OneOf(Gen.OneOfConst("Content-Type", "Accept", "Set-Cookie", "X-Request-Id", "Authorization", "traceparent"), Token),
        Text,
        (name, value) => new HeaderField(name, value));

    public static readonly Gen<ImmutableArray<HeaderField>> Headers = Header.Array[0, 6].Select(a => a.ToImmutableArray());

    public static readonly Gen<ExchangeBody> Body = Gen.Select(
        Gen.OneOf(
            Gen.Byte.Array[0, 300].Select(b => (ReadOnlyMemory<byte>)b),
            Text.Select(t => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(t))),
        Gen.OneOfConst<string?>(null, "application/json", "text/plain; charset=utf-8", "application/octet-stream"),
        Gen.Bool,
        Gen.OneOfConst<string?>(null, "decoded from gzip"),
        Gen.Long[0, 5000],
        (content, mediaType, truncated, note, extra) => new ExchangeBody
        {
            Content = content,
            MediaType = mediaType,
            Truncated = truncated,
            Size = truncated ? content.Length + extra : content.Length,
            Note = note,
        });

    public static readonly Gen<string> Url = Gen.Select(
        Gen.OneOfConst("http", "https"),
        Gen.OneOfConst("api.example.test", "127.0.0.1:8080", "[::1]:9000", "shop.test"),
        Token.Array[0, 4],
        Gen.OneOfConst("", "?a=1&b=two", "?q=%20x&q=y"),
        (scheme, host, segments, query) => $"{scheme}://{host}/{string.Join('/', segments)}{query}");

    public static readonly Gen<ExchangeRequest> Request = Gen.Select(
        Gen.OneOfConst("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
        Url,
        Gen.OneOfConst("HTTP/1.1", "HTTP/2", "HTTP/1.0"),
        Headers,
        Body.Null(0.4),
        (method, url, version, headers, body) => new ExchangeRequest { Method = method, Url = url, Version = version, Headers = headers, Body = body });

    public static readonly Gen<ExchangeResponse> Response = Gen.Select(
        Gen.Int[100, 599],
        Gen.OneOfConst<string?>(null, "OK", "Not Found", "Créé"),
        Headers,
        Body.Null(0.3),
        Headers,
        Gen.OneOfConst("HTTP/1.1", "HTTP/2"),
        (status, reason, headers, body, trailers, version) => new ExchangeResponse { Status = status, Reason = reason, Headers = headers, Body = body, Trailers = trailers, Version = version });

    public static readonly Gen<ImmutableSortedDictionary<string, string>> Tags =
        Gen.Select(Token, Text).Array[0, 4].Select(pairs =>
        {
            var tags = Reprise.Core.Model.Exchange.EmptyTags;
            foreach (var (k, v) in pairs)
            {
                tags = tags.SetItem(k, v);
            }

            return tags;
        });

    public static readonly Gen<ImmutableArray<Redaction>> Redactions =
        Gen.Select(Token, Token, Gen.OneOfConst("mask", "tokenize", "fake", "drop"), (l, r, a) => new Redaction(l, r, a)).Array[0, 3].Select(a => a.ToImmutableArray());

    public static readonly Gen<ExchangeError?> Error = Gen.Select(
        Gen.Enum<ExchangeErrorKind>(), Text, (kind, message) => new ExchangeError(kind, message)).Null(0.7);

    public static readonly Gen<DateTimeOffset> StartedAt = Gen.Select(
        Gen.Long[new DateTime(2000, 1, 1).Ticks, new DateTime(2100, 1, 1).Ticks],
        Gen.Int[-14 * 60, 14 * 60],
        (ticks, offsetMinutes) => new DateTimeOffset(ticks, TimeSpan.FromMinutes(offsetMinutes)));

    /// <summary>Message payloads as the capture stores them: no media type; text, binary, cut or noted.</summary>
    public static readonly Gen<ExchangeBody> Payload = Body.Select(b => b with { MediaType = null });

    public static readonly Gen<WebSocketMessage> Message = Gen.Select(
        Gen.Enum<WebSocketPeer>(),
        Gen.Long[0, 1L << 36],
        Gen.Enum<WebSocketMessageKind>(),
        Gen.Bool,
        Payload.Null(0.2),
        Gen.Int[999, 4999].Select(c => c == 999 ? (int?)null : c),
        Text.Null(0.3),
        (from, offset, type, compressed, payload, code, reason) => type == WebSocketMessageKind.Close
            ? new WebSocketMessage { From = from, Offset = TimeSpan.FromTicks(offset), Kind = type, CloseCode = code, CloseReason = code is null ? null : reason }
            : new WebSocketMessage { From = from, Offset = TimeSpan.FromTicks(offset), Kind = type, Compressed = compressed && type is WebSocketMessageKind.Text or WebSocketMessageKind.Binary, Payload = payload });

    public static readonly Gen<ImmutableArray<WebSocketMessage>> Messages = Gen.Frequency(
        (3, Gen.Const(ImmutableArray<WebSocketMessage>.Empty)),
        (1, Message.Array[1, 6].Select(a => a.ToImmutableArray())));

    private static readonly Gen<string?> HexId = Gen.Byte.Array[8].Select(b => Convert.ToHexStringLower(b)).Null(0.3);

    public static readonly Gen<Exchange> Exchange = Gen.Select(
        Gen.Select(Token, HexId, HexId, Gen.Enum<Direction>(), Token.Null(0.2), Gen.Enum<Protocol>()),
        Gen.Select(StartedAt, Gen.Long[0, 1L << 40], Messages),
        Request,
        Response.Null(0.15),
        Error,
        Tags,
        Redactions,
        (ids, timing, request, response, error, tags, redactions) => new Exchange
        {
            Id = ids.Item1,
            TraceId = ids.Item2 is null ? null : ids.Item2 + ids.Item2,
            SpanId = ids.Item3,
            ParentId = ids.Item2,
            Direction = ids.Item4,
            Service = ids.Item5,
            Protocol = ids.Item6,
            StartedAt = timing.Item1,
            Duration = TimeSpan.FromTicks(timing.Item2),
            Request = request,
            Response = response,
            Error = error,
            Tags = tags,
            Redactions = redactions,
            Messages = timing.Item3,
        });
}
