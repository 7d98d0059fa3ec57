using System.Collections.Immutable;

namespace Reprise.Diff.Noise;

/// <summary>Manual rules from a YAML file (see docs/diff.md) merged with the built-in defaults.</summary>
public sealed record DiffRules
{
    /// <summary>Headers that vary per response or per hop on any service, ignored unless <c>--no-default-ignores</c>.</summary>
    public static readonly ImmutableArray<(string Header, string Reason)> DefaultIgnoredHeaders =
    [
        ("date", "varies per response"),
        ("server", "identifies the server build, not the API"),
        ("etag", "version token that changes with any byte of the body; the body is compared instead"),
        ("age", "cache age varies per response"),
        ("expires", "absolute time varies per response"),
        ("last-modified", "varies with data age"),
        ("content-length", "bodies are compared semantically"),
        ("transfer-encoding", "hop-by-hop framing"),
        ("content-encoding", "bodies are compared decoded"),
        ("connection", "hop-by-hop"),
        ("keep-alive", "hop-by-hop"),
        ("traceparent", "W3C trace context is per request"),
        ("tracestate", "W3C trace context is per request"),
        ("x-request-id", "per-request id"),
        ("sec-websocket-accept", "derived from the connection's random WebSocket key"),
        ("x-correlation-id", "per-request id"),
        ("request-id", "per-request id"),
        ("x-amzn-trace-id", "per-request trace id"),
        ("x-amzn-requestid", "per-request id"),
        ("x-b3-*", "Zipkin trace headers are per request"),
        ("b3", "Zipkin trace header is per request"),
        ("x-cloud-trace-context", "per-request trace id"),
        ("cf-ray", "per-request CDN id"),
        ("x-runtime", "timing"),
        ("x-response-time", "timing"),
        ("server-timing", "timing"),
        ("x-envoy-upstream-service-time", "timing"),
        ("via", "proxy path"),
        ("x-served-by", "cache node"),
        ("x-cache", "cache state"),
        ("x-cache-hits", "cache state"),
        ("x-timer", "timing"),
        ("x-powered-by", "server technology banner"),
        ("alt-svc", "transport advertisement"),
        ("report-to", "reporting endpoint"),
        ("nel", "reporting endpoint"),
        ("x-ratelimit-*", "rate-limit counters vary with load"),
        ("ratelimit-*", "rate-limit counters vary with load"),
        ("retry-after", "varies with load"),
    ];

    /// <summary>Locations to ignore.</summary>
    public ImmutableArray<IgnoreRule> Ignore { get; init; } = [];

    /// <summary>JSON arrays matched by key.</summary>
    public ImmutableArray<ArrayKeyRule> ArrayKeys { get; init; } = [];

    /// <summary>Match every JSON array by a detected id member (or by content) instead of by index.</summary>
    public bool IgnoreArrayOrder { get; init; }

    /// <summary>When two times of one format are noise (<c>timeNoise: runs|any</c>); null when the file does not say.</summary>
    public TimeNoise? TimeNoise { get; init; }

    /// <summary>The default header rules.</summary>
    public static ImmutableArray<IgnoreRule> Defaults() =>
        [.. DefaultIgnoredHeaders.Select(h => new IgnoreRule(LocationGlob.Parse("header:" + h.Header), null, h.Reason, "default"))];
}
