using System.Collections.Immutable;
using Reprise.Core.Analysis;
using Reprise.Core.Model;
using Reprise.Replay.Results;

namespace Reprise.Replay.Http;

/// <summary>
/// A recorded request prepared once for sending: URL rewritten to the target, hop-by-hop and pseudo
/// headers stripped, time-shifted, overrides applied, method and URI parsed. Copies and loops reuse it,
/// so the hot path only builds the <see cref="HttpRequestMessage"/>.
/// </summary>
internal sealed class RequestTemplate
{
    public required Exchange Recorded { get; init; }

    public required HttpMethod Method { get; init; }

    public required string Url { get; init; }

    public required Uri Uri { get; init; }

    public required HeaderField[] Headers { get; init; }

    public required ReadOnlyMemory<byte> Body { get; init; }

    public required string? BodyMediaType { get; init; }

    public required Version Version { get; init; }

    public required HttpVersionPolicy VersionPolicy { get; init; }

    public required EndpointKey Endpoint { get; init; }

    /// <summary>The endpoint as text for reports (<c>GET /orders/{id}</c>).</summary>
    public required string EndpointText { get; init; }

    public required EndpointStats Stats { get; init; }

    /// <summary>The request as sent when nothing per-send changes it (shared by every such send).</summary>
    public required ExchangeRequest SentRequest { get; init; }

    /// <summary>True when the request carries values a copy must vary (UUIDs, e-mails, unique fields).</summary>
    public required bool HasUniqueValues { get; init; }

    /// <summary>True when the raw HTTP/1.1 transport may send it: a plain-http URL and an HTTP/1.x recording (not HTTP/2 or gRPC).</summary>
    public required bool RawEligible { get; init; }

    // Whether SentRequest templates differently from Endpoint: -1 not known yet, then 0 or 1 (computed once).
    private int _sentRequestDiffers = -1;

    /// <summary>
    /// True when <paramref name="sent"/>'s path groups under another template than the recorded endpoint
    /// (target-path or prefix rewriting), so its result carries the recorded endpoint in a tag. For the
    /// shared <see cref="SentRequest"/> the answer is computed once, not per result.
    /// </summary>
    public bool TemplatesDifferently(ExchangeRequest sent)
    {
        if (!ReferenceEquals(sent, SentRequest))
        {
            return Differs(sent);
        }

        var known = Volatile.Read(ref _sentRequestDiffers);
        if (known < 0)
        {
            known = Differs(sent) ? 1 : 0;
            Volatile.Write(ref _sentRequestDiffers, known);
        }

        return known == 1;
    }

    private bool Differs(ExchangeRequest sent) => !string.Equals(PathTemplate.Of(UrlParts.Path(sent.Url)), Endpoint.Template, StringComparison.Ordinal);

    /// <summary>True when the recorded exchange is a WebSocket session: replayed by <see cref="WebSockets.WebSocketSessionRunner"/>, not sent as a request.</summary>
    public bool IsWebSocket { get; init; }

    /// <summary>True when the recorded exchange is GraphQL over HTTP: its responses are read for a top-level <c>errors</c> array.</summary>
    public bool IsGraphQl { get; init; }

    /// <summary>How the recorded client ended the call itself (a gRPC stream it cancelled); null when the call ended on the server's side.</summary>
    public ClientEndedStream? ClientEnd { get; init; }

    /// <summary>True for HEAD (the response has no body whatever its framing headers say).</summary>
    public bool IsHead => ReferenceEquals(Method, HttpMethod.Head) || Method.Method.Equals("HEAD", StringComparison.OrdinalIgnoreCase);

    private RawWire? _wire;

    /// <summary>
    /// The request as HTTP/1.1 bytes for the raw transport, serialised once (per bearer token value) from the
    /// same message the HttpClient path would send; null when it cannot be sent byte-identically.
    /// </summary>
    public byte[]? GetWire(string? bearer)
    {
        var wire = Volatile.Read(ref _wire);
        if (wire is not null && string.Equals(wire.Bearer, bearer, StringComparison.Ordinal))
        {
            return wire.Bytes;
        }

        using var message = CreateMessage(bearer);
        var bytes = RawRequestSerializer.Serialize(message, Body);
        Volatile.Write(ref _wire, new RawWire(bearer, bytes));
        return bytes;
    }

    /// <summary>
    /// The template's data for the direct path: null when the template cannot go that way (not sent by the raw
    /// transport, a WebSocket session, GraphQL, or no byte-identical wire). Whether a given send may use it depends on the run
    /// and the session too (<see cref="Engine.RequestExecutor.TryBeginDirect"/>).
    /// </summary>
    public DirectPlan? GetDirectPlan() =>
        RawEligible && !IsWebSocket && !IsGraphQl && GetWire(null) is { } wire ? new DirectPlan(wire, Stats, IsHead, Body.IsEmpty) : null;

    /// <summary>A mutable copy for per-send changes.</summary>
    public OutgoingRequest ToOutgoing() => new(Url, [.. Headers], Body);

    /// <summary>Builds the message for one send.</summary>
    public HttpRequestMessage CreateMessage(string? bearer) => CreateMessage(Uri, Headers, Body, bearer);

    /// <summary>Builds the message for one adjusted send.</summary>
    public HttpRequestMessage CreateMessage(OutgoingRequest request, string? bearer) =>
        CreateMessage(ReferenceEquals(request.Url, Url) ? Uri : new Uri(request.Url), request.Headers, request.Body, bearer);

    /// <summary>The request as sent, for the results file.</summary>
    public ExchangeRequest Describe(OutgoingRequest request, string? bearer)
    {
        var headers = ImmutableArray.CreateBuilder<HeaderField>(request.Headers.Count + 2);
        headers.Add(SentRequest.Headers[0]); // Host
        foreach (var header in request.Headers)
        {
            if (bearer is null || !header.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                headers.Add(header);
            }
        }

        if (bearer is not null)
        {
            headers.Add(new HeaderField("Authorization", "Bearer " + bearer));
        }

        return SentRequest with
        {
            Url = request.Url,
            Headers = headers.ToImmutable(),
            Body = request.Body.IsEmpty ? null : request.Body.Equals(Body) ? SentRequest.Body : ExchangeBody.FromBytes(request.Body, BodyMediaType),
        };
    }

    private HttpRequestMessage CreateMessage(Uri uri, IReadOnlyList<HeaderField> headers, ReadOnlyMemory<byte> body, string? bearer)
    {
        var message = new HttpRequestMessage(Method, uri)
        {
            Version = Version,
            VersionPolicy = VersionPolicy,
        };
        HttpContent? content = body.IsEmpty ? null : new ReadOnlyMemoryContent(body);
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            if (HopByHop.IsContentHeader(header.Name))
            {
                content?.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }
            else if (bearer is null || !header.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }
        }

        if (bearer is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
        }

        if (SentRequest.Headers[0].Value is { } host && !host.Equals(Uri.Authority, StringComparison.OrdinalIgnoreCase))
        {
            message.Headers.Host = host;
        }

        message.Content = content;
        return message;
    }

    private sealed record RawWire(string? Bearer, byte[]? Bytes);
}
