using Reprise.Core.Model;
using Reprise.Mock.Config;
using Reprise.Mock.Serving;

namespace Reprise.Mock.Matching;

/// <summary>One servable recorded exchange: its canonical request, prepared response and the rule that applies.</summary>
internal sealed class MockEntry(Exchange exchange, RequestShape shape, RecordedResponse response, RouteRule rule, int order)
{
    public Exchange Exchange { get; } = exchange;

    public RequestShape Shape { get; } = shape;

    public RecordedResponse Response { get; } = response;

    public RouteRule Rule { get; } = rule;

    /// <summary>Position in recorded order.</summary>
    public int Order { get; } = order;

    /// <summary>Recorded path and query, for reports.</summary>
    public string Target => $"{Exchange.Request.Method} {Exchange.Request.Url}";
}
