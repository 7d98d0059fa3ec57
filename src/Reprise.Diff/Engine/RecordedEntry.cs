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
    /// <summary>The comparable view of a recorded or a result exchange (one shape, so both sides compare the same way).</summary>
    public static RecordedEntry From(Exchange exchange, string endpoint) => new(
        exchange.Id,
        endpoint,
        exchange.Request.Method,
        exchange.Request.Url,
        exchange.Protocol,
        exchange.Response,
        exchange.Error,
        exchange.Duration.TotalMilliseconds);

    public ImmutableArray<HeaderField> Headers => Response?.Headers ?? [];
}
