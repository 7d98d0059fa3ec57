using System.Collections.Immutable;
using Reprise.Core.Model;

namespace Reprise.Diff.Engine;

/// <summary>
/// What the diff keeps of a recorded exchange while results stream past: the response (status,
/// headers, trailers, body), the error, the duration and enough of the request to show it. The
/// request body and headers are dropped.
/// </summary>
internal sealed record RecordedEntry(
    string Id,
    string Endpoint,
    string Method,
    string Url,
    Protocol Protocol,
    ExchangeResponse? Response,
    ExchangeError? Error,
    double DurationMs)
{
    public static RecordedEntry From(Exchange exchange, string endpoint) => new(
        exchange.Id,
        endpoint,
        exchange.Request.Method,
        exchange.Request.Url,
        exchange.Protocol,
        exchange.Response,
        exchange.Error,
        exchange.Duration.TotalMilliseconds);

    /// <summary>Builds a comparable view of a result exchange (same shape, so baseline and candidate compare the same way).</summary>
    public static RecordedEntry View(Exchange exchange, string endpoint) => From(exchange, endpoint);

    public ImmutableArray<HeaderField> Headers => Response?.Headers ?? [];
}
