using Reprise.Core.Analysis;
using Reprise.Core.Model;
using Reprise.Testing;
using Xunit;

namespace Reprise.Core.Tests.Analysis;

public sealed class InspectSinkTests
{
    [Fact]
    public async Task Consume_Exchanges_GroupsByTemplateWithPercentiles()
    {
        var exchanges = Enumerable.Range(1, 100)
            .Select(i => Exchanges.Get($"http://shop.test/orders/{i}", durationMs: i, offsetMs: i * 1000))
            .Append(Exchanges.Get("http://shop.test/health", status: 503))
            .Append(Exchanges.Get("http://pay.test/charge") with { Direction = Direction.Outbound, Response = null, Error = new ExchangeError(ExchangeErrorKind.Timeout, "t") });

        var report = await new InspectSink().ConsumeAsync(exchanges.ToAsyncEnumerable(), TestContext.Current.CancellationToken);

        Assert.Equal(102, report.Exchanges);
        var orders = report.Endpoints[0];
        Assert.Equal(("GET", "/orders/{id}", 100L), (orders.Method, orders.Template, orders.Count));
        Assert.InRange(orders.P50Ms, 49.9, 50.1);
        Assert.InRange(orders.P99Ms, 98.9, 99.1);
        Assert.Contains(report.StatusClasses, r => r is { Name: "5xx", Count: 1 });
        Assert.Contains(report.StatusClasses, r => r is { Name: "error", Count: 1 });
        Assert.Contains(report.Directions, r => r is { Name: "outbound", Count: 1 });
        Assert.Equal(1, report.Endpoints.Single(e => e.Template == "/health").Errors);
        Assert.Equal(TimeSpan.FromSeconds(100) + TimeSpan.FromMilliseconds(100), report.Span); // from the offset-0 exchanges to the last end
    }

    /// <summary>GraphQL reports failures as 200 with a top-level errors list: those count as errors, as diff counts them.</summary>
    [Fact]
    public async Task Consume_GraphQlErrorsAnsweredWith200_CountAsErrors()
    {
        var failed = Exchanges.Send("POST", "http://api.test/graphql", """{"query":"mutation { deleteUser(id: \"9\") { id } }"}""", """{"data":null,"errors":[{"message":"not found"}]}""");
        var fine = Exchanges.Send("POST", "http://api.test/graphql", """{"query":"{ users { id } }"}""", """{"data":{"users":[]},"errors":[]}""");
        var search = Exchanges.Send("POST", "http://api.test/search", """{"query":"blue shoes"}""", """{"errors":[{"message":"a field named errors"}]}""");

        var report = await new InspectSink().ConsumeAsync(new[] { failed, fine, search }.ToAsyncEnumerable(), TestContext.Current.CancellationToken);

        Assert.Equal(1, report.Endpoints.Single(e => e.Template == "/graphql").Errors);
        Assert.Equal(0, report.Endpoints.Single(e => e.Template == "/search").Errors);
    }

    [Fact]
    public async Task Consume_TraceWithOutboundCall_CountsDependencyTraces()
    {
        var inbound = Exchanges.Get("http://a.test/x") with { TraceId = "t1" };
        var outbound = Exchanges.Get("http://dep.test/y") with { TraceId = "t1", Direction = Direction.Outbound };
        var lone = Exchanges.Get("http://a.test/z") with { TraceId = "t2" };

        var report = await new InspectSink().ConsumeAsync(new[] { inbound, outbound, lone }.ToAsyncEnumerable(), TestContext.Current.CancellationToken);

        Assert.Equal(2, report.Traces);
        Assert.Equal(1, report.TracesWithDependencyCalls);
    }
}
