using Reprise.Core.Model;
using Reprise.Diff.Engine;
using Reprise.Diff.Tests.Engine;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Engine;

public sealed class ListenerSchemeAddressTests
{
    private static Exchange WithHeader(Exchange exchange, string name, string value) =>
        exchange with { Response = exchange.Response! with { Headers = exchange.Response.Headers.Add(new HeaderField(name, value)) } };

    // 'record --listen 127.0.0.1:6001 --upstream https://registry.example.test': the client speaks http to the recorder,
    // which rewrites the upstream's https Location to http://127.0.0.1:6001/... (CaptureTransformer uses Request.Scheme).
    // Replayed against the same https upstream, the Location is unchanged, yet diff reports it.
    [Fact]
    public async Task HttpListenerInFrontOfHttpsUpstream_UnchangedLocation_IsNoDifference()
    {
        static Exchange Through(Exchange e, string host) =>
            e with { Request = e.Request with { Headers = e.Request.Headers.Without("Host").Add(new HeaderField("Host", host)) } };
        var recorded = new[]
        {
            Through(WithHeader(Exchanges.Send("POST", "https://registry.example.test/v2/uploads/", "{}", "{}", id: "r1"), "Location", "http://127.0.0.1:6001/v2/uploads/9f"), "127.0.0.1:6001"),
        };
        var results = new[]
        {
            WithHeader(Exchanges.Send("POST", "https://registry.example.test/v2/uploads/", "{}", "{}", id: "x"), "Location", "https://registry.example.test/v2/uploads/9f") with { Id = "c-r1", Tags = DiffRun.ResultTags("r1", null) },
        };

        var report = await DiffRun.RunAsync(recorded, results);

        Assert.Equal(0, report.Variables["diffs"]);
    }
}
