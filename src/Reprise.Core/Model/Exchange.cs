using System.Collections.Immutable;

namespace Reprise.Core.Model;

/// <summary>
/// One request/response pair with its timing and its place in a trace: the unit every Reprise
/// source produces and every sink consumes.
/// </summary>
public sealed record Exchange
{
    /// <summary>An empty tag map with ordinal ordering, the comparer every tag map uses.</summary>
    public static readonly ImmutableSortedDictionary<string, string> EmptyTags =
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>A unique id (stable across transforms; replay results link to it).</summary>
    public required string Id { get; init; }

    /// <summary>The W3C trace id (32 hex) this exchange belongs to.</summary>
    public string? TraceId { get; init; }

    /// <summary>The W3C span id (16 hex) of this exchange.</summary>
    public string? SpanId { get; init; }

    /// <summary>The span id of the parent (for outbound calls: the call that caused them).</summary>
    public string? ParentId { get; init; }

    /// <summary>Inbound (into the service) or outbound (to a dependency).</summary>
    public Direction Direction { get; init; } = Direction.Inbound;

    /// <summary>The logical service name (defaults to the host).</summary>
    public string? Service { get; init; }

    /// <summary>The application protocol.</summary>
    public Protocol Protocol { get; init; } = Protocol.Http1;

    /// <summary>When the request started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Time from request start to the end of the response.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>The request.</summary>
    public required ExchangeRequest Request { get; init; }

    /// <summary>The response, or null when none arrived (see <see cref="Error"/>).</summary>
    public ExchangeResponse? Response { get; init; }

    /// <summary>The failure, when the exchange did not complete normally.</summary>
    public ExchangeError? Error { get; init; }

    /// <summary>Free-form labels (e.g. <c>graphql.operation</c>, <c>soap.action</c>, <c>replay.of</c>).</summary>
    public ImmutableSortedDictionary<string, string> Tags { get; init; } = EmptyTags;

    /// <summary>
    /// The messages of a WebSocket session (protocol <c>websocket</c>), both directions in the order they
    /// completed; empty for every other exchange.
    /// </summary>
    public ImmutableArray<WebSocketMessage> Messages { get; init; } = [];

    /// <summary>What was redacted before this exchange was stored.</summary>
    public ImmutableArray<Redaction> Redactions { get; init; } = [];
}
