using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Reprise.Capture.Recording;
using Reprise.Core.Model;
using Reprise.Core.Transforms;
using Reprise.Testing;
using Xunit;

namespace Reprise.Capture.Tests.Hosting;

/// <summary>Reverse proxy: real upstream Kestrel, real recorder, real sockets.</summary>
public sealed class ReverseProxyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<TestKestrel> EchoUpstreamAsync(HttpProtocols protocols = HttpProtocols.Http1AndHttp2) => TestKestrel.StartAsync(app =>
    {
        app.MapPost("/echo", async (HttpContext c) =>
        {
            c.Response.ContentType = c.Request.ContentType;
            await c.Request.Body.CopyToAsync(c.Response.Body, c.RequestAborted);
        });
        app.MapGet("/chunked", async (HttpContext c) =>
        {
            c.Response.ContentType = "text/plain";
            for (var i = 0; i < 3; i++)
            {
                await c.Response.WriteAsync($"part{i};", c.RequestAborted);
                await c.Response.Body.FlushAsync(c.RequestAborted);
            }
        });
        app.MapGet("/proto", (HttpContext c) => $"{c.Request.Protocol} tp={c.Request.Headers.TraceParent} host={c.Request.Host}");
        app.MapGet("/big", () => Results.Text(new string('x', 10_000)));
        app.MapGet("/slow", async (HttpContext c) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), c.RequestAborted);
            return "late";
        });
        app.MapGet("/{**rest}", (string? rest) => "path=" + rest);
    }, protocols);

    [Fact]
    public async Task Http1_KeepAliveAndChunked_ForwardedAndRecorded()
    {
        await using var upstream = await EchoUpstreamAsync();
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address });

        using var post = await recorder.Client.PostAsync(recorder.Url("/echo?x=1"), new StringContent("{\"a\":1}", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal("{\"a\":1}", await post.Content.ReadAsStringAsync(Ct));
        var chunked = await recorder.Client.GetStringAsync(recorder.Url("/chunked"), Ct);
        Assert.Equal("part0;part1;part2;", chunked);

        var (header, exchanges) = await recorder.StopAndReadAsync();
        Assert.Equal("record", header.Capture["source"]);
        Assert.Equal(2, exchanges.Count);
        var echo = exchanges.Single(e => e.Request.Method == "POST");
        Assert.Equal(upstream.Address.GetLeftPart(UriPartial.Authority) + "/echo?x=1", echo.Request.Url);
        Assert.Equal("{\"a\":1}", echo.Request.Body!.Text);
        Assert.Equal("{\"a\":1}", echo.Response!.Body!.Text);
        Assert.Equal(200, echo.Response.Status);
        Assert.Equal(Direction.Inbound, echo.Direction);
        var chunk = exchanges.Single(e => e.Request.Url.EndsWith("/chunked", StringComparison.Ordinal));
        Assert.Equal("part0;part1;part2;", chunk.Response!.Body!.Text);
        Assert.Equal("chunked", chunk.Response.Headers.Get("transfer-encoding"));
        Assert.All(exchanges, e => Assert.True(e.Duration > TimeSpan.Zero));
    }

    /// <summary>
    /// The OCI registry answers an upload session with an absolute <c>Location</c> built from the Host it saw (the
    /// upstream's): the client's PATCH and PUT followed it straight to the upstream and were never recorded (QA round 8).
    /// </summary>
    [Fact]
    public async Task AbsoluteLocationOfTheUpstream_PointsBackAtTheRecorder_SoTheNextRequestIsRecorded()
    {
        await using var upstream = await TestKestrel.StartAsync(app =>
        {
            app.MapPost("/v2/uploads/", (HttpContext c) =>
            {
                c.Response.Headers.Location = $"{c.Request.Scheme}://{c.Request.Host}/v2/uploads/5a2a9a14?_state=abc";
                c.Response.Headers.ContentLocation = "http://elsewhere.test/v2/x"; // another origin: left alone
                return Results.StatusCode(202);
            });
            app.MapMethods("/v2/uploads/{id}", ["PATCH"], (string id) => Results.Text("patched " + id));
        });
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address });

        using var post = await recorder.Client.PostAsync(recorder.Url("/v2/uploads/"), null, Ct);
        var location = post.Headers.Location!;
        using var patch = await recorder.Client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, location), Ct);

        Assert.Equal(recorder.Server.ReverseAddress!.Authority, location.Authority);
        Assert.Equal("/v2/uploads/5a2a9a14?_state=abc", location.PathAndQuery);
        Assert.Equal("http://elsewhere.test/v2/x", post.Content.Headers.ContentLocation!.ToString());
        Assert.Equal("patched 5a2a9a14", await patch.Content.ReadAsStringAsync(Ct));
        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.Equal(["POST", "PATCH"], exchanges.Select(e => e.Request.Method).Order(StringComparer.Ordinal).Reverse().ToArray());
        Assert.StartsWith(new Uri(recorder.Server.ReverseAddress!, "/v2/uploads/5a2a9a14").ToString(), exchanges.Single(e => e.Request.Method == "POST").Response!.Headers.Get("location"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http1_ExpectContinue_ClientGets100ThenResponse()
    {
        await using var upstream = await EchoUpstreamAsync();
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address });
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, recorder.Server.ReverseAddress!.Port, Ct);
        await socket.SendAsync("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"u8.ToArray(), Ct);
        var buffer = new byte[4096];
        var first = Encoding.ASCII.GetString(buffer, 0, await socket.ReceiveAsync(buffer, Ct));
        Assert.StartsWith("HTTP/1.1 100 Continue", first, StringComparison.Ordinal);
        await socket.SendAsync("hello"u8.ToArray(), Ct);
        var response = new StringBuilder();
        while (!response.ToString().EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, Ct);
            Assert.True(read > 0, "connection closed before the response: " + response);
            response.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        Assert.StartsWith("HTTP/1.1 200 OK", response.ToString(), StringComparison.Ordinal);
        Assert.Contains("\r\n5\r\nhello\r\n", response.ToString(), StringComparison.Ordinal);
        socket.Dispose();
        var (_, exchanges) = await recorder.StopAndReadAsync();
        var exchange = Assert.Single(exchanges);
        Assert.Equal("hello", exchange.Request.Body!.Text);
        Assert.Equal("100-continue", exchange.Request.Headers.Get("expect"));
    }

    [Fact]
    public async Task Http2Cleartext_PriorKnowledge_ForwardedAsHttp2()
    {
        await using var upstream = await EchoUpstreamAsync(HttpProtocols.Http2);
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address });
        using var request = new HttpRequestMessage(HttpMethod.Get, recorder.Url("/proto")) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await recorder.Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.StartsWith("HTTP/2 ", text, StringComparison.Ordinal);

        var (_, exchanges) = await recorder.StopAndReadAsync();
        var h2 = Assert.Single(exchanges);
        Assert.Equal("HTTP/2", h2.Request.Version);
        Assert.Equal(Protocol.Http2, h2.Protocol);
    }

    [Fact]
    public async Task Traceparent_AbsentIsInjected_PresentIsKept()
    {
        await using var upstream = await EchoUpstreamAsync();
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address });
        var injected = await recorder.Client.GetStringAsync(recorder.Url("/proto"), Ct);
        const string given = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        using var request = new HttpRequestMessage(HttpMethod.Get, recorder.Url("/proto"));
        request.Headers.Add("traceparent", given);
        using var response = await recorder.Client.SendAsync(request, Ct);
        var kept = await response.Content.ReadAsStringAsync(Ct);

        var (_, exchanges) = await recorder.StopAndReadAsync();
        var first = exchanges[0];
        Assert.Contains($"tp=00-{first.TraceId}-{first.SpanId}-01", injected, StringComparison.Ordinal);
        Assert.Equal("injected", first.Tags[Forwarding.RecordingForwarder.TraceInjectedTag]);
        Assert.Null(first.ParentId);
        Assert.Contains("tp=" + given, kept, StringComparison.Ordinal);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", exchanges[1].TraceId);
        Assert.Equal("00f067aa0ba902b7", exchanges[1].ParentId);
        Assert.False(exchanges[1].Tags.ContainsKey(Forwarding.RecordingForwarder.TraceInjectedTag));
    }

    [Fact]
    public async Task MaxBody_StoresHeadOnly_ForwardsEverything()
    {
        await using var upstream = await EchoUpstreamAsync();
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address, Capture = new CaptureOptions { MaxBody = 1024 } });
        var payload = new string('y', 20_000);
        using var post = await recorder.Client.PostAsync(recorder.Url("/echo"), new StringContent(payload), Ct);
        Assert.Equal(payload, await post.Content.ReadAsStringAsync(Ct));
        Assert.Equal(10_000, (await recorder.Client.GetStringAsync(recorder.Url("/big"), Ct)).Length);

        var (_, exchanges) = await recorder.StopAndReadAsync();
        var echo = exchanges.Single(e => e.Request.Method == "POST");
        Assert.True(echo.Request.Body!.Truncated);
        Assert.Equal(20_000, echo.Request.Body.Size);
        Assert.Equal(1024, echo.Request.Body.Content.Length);
        Assert.Equal(new string('y', 1024), echo.Response!.Body!.Text);
        Assert.True(echo.Response.Body.Truncated);
        var big = exchanges.Single(e => e.Request.Url.EndsWith("/big", StringComparison.Ordinal));
        Assert.Equal(10_000, big.Response!.Body!.Size);
        Assert.Equal(1024, big.Response.Body.Content.Length);
    }

    [Fact]
    public async Task UpstreamDown_Client502WithClearBody_RecordedWithError()
    {
        using var closed = ClosedPort.Reserve();
        var port = closed.Port;
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = new Uri($"http://127.0.0.1:{port}") });
        using var response = await recorder.Client.GetAsync(recorder.Url("/orders"), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains($"reprise: upstream http://127.0.0.1:{port} failed", body, StringComparison.Ordinal);

        var (_, exchanges) = await recorder.StopAndReadAsync();
        var exchange = Assert.Single(exchanges);
        Assert.Equal(ExchangeErrorKind.Connect, exchange.Error!.Kind);
        Assert.Equal(502, exchange.Response!.Status);
        Assert.Contains("reprise: upstream", exchange.Response.Body!.Text, StringComparison.Ordinal);
        Assert.Equal(1, recorder.Server.Stats.Errors);
    }

    /// <summary>
    /// QA round 7: etcdctl retried against a dead upstream, 100 requests in four seconds, and record printed 100 identical
    /// "upstream failed" warnings. One line per endpoint and message is written; every exchange is still recorded.
    /// </summary>
    [Fact]
    public async Task UpstreamDown_ManyRequests_OneWarningLine_EveryExchangeRecorded()
    {
        using var closed = ClosedPort.Reserve();
        var logs = new ListLoggerProvider();
        using var factory = new Microsoft.Extensions.Logging.LoggerFactory([logs]);
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = new Uri($"http://127.0.0.1:{closed.Port}") }, loggerFactory: factory);
        for (var i = 0; i < 30; i++)
        {
            using var response = await recorder.Client.GetAsync(recorder.Url("/etcdserverpb.KV/Range"), Ct);
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        }

        using (var other = await recorder.Client.GetAsync(recorder.Url("/other"), Ct))
        {
            Assert.Equal(HttpStatusCode.BadGateway, other.StatusCode);
        }

        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.Equal(31, exchanges.Count);
        var warnings = logs.Lines.Where(l => l.Contains("upstream failed", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count); // one for each endpoint
        Assert.Contains(warnings, w => w.Contains("/etcdserverpb.KV/Range", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("/other", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpstreamSilent_Client504_RecordedAsTimeout()
    {
        await using var upstream = await EchoUpstreamAsync();
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address, UpstreamTimeout = TimeSpan.FromMilliseconds(500) });
        using var response = await recorder.Client.GetAsync(recorder.Url("/slow"), Ct);
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("did not answer in time", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.Equal(ExchangeErrorKind.Timeout, Assert.Single(exchanges).Error!.Kind);
    }

    [Fact]
    public async Task PathFiltersAndSample_ForwardAllRecordSome()
    {
        await using var upstream = await EchoUpstreamAsync();
        await using var recorder = await Recorder.StartAsync(o => o with
        {
            Upstream = upstream.Address,
            Capture = new CaptureOptions { IncludePaths = [PathGlob.Parse("/api/**")], ExcludePaths = [PathGlob.Parse("/api/health")] },
        });
        foreach (var path in new[] { "/api/a", "/api/b/c", "/api/health", "/other" })
        {
            Assert.Equal("path=" + path[1..], await recorder.Client.GetStringAsync(recorder.Url(path), Ct));
        }

        var (header, exchanges) = await recorder.StopAndReadAsync();
        Assert.Equal(["/api/a", "/api/b/c"], exchanges.Select(e => UrlParts.Path(e.Request.Url).ToString()).Order());
        Assert.Equal("/api/**", header.Capture["includePath"]);
        Assert.Equal(2, recorder.Server.Stats.Skipped);
    }

    [Fact]
    public async Task Sample_KeepsAboutTheFraction()
    {
        await using var upstream = await EchoUpstreamAsync();
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address, Capture = new CaptureOptions { SampleRate = 0.25, SampleSeed = 3 } });
        for (var i = 0; i < 200; i++)
        {
            await recorder.Client.GetStringAsync(recorder.Url("/s" + i), Ct);
        }

        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.InRange(exchanges.Count, 25, 80); // binomial(200, 0.25): mean 50, sd ~6
        Assert.Equal(200 - exchanges.Count, recorder.Server.Stats.Skipped);
    }

    [Fact]
    public async Task ServerSentEvents_StreamBeforeUpstreamFinishes()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await TestKestrel.StartAsync(app => app.MapGet("/events", async (HttpContext c) =>
        {
            c.Response.ContentType = "text/event-stream";
            await c.Response.WriteAsync("data: one\n\n", c.RequestAborted);
            await c.Response.Body.FlushAsync(c.RequestAborted);
            await release.Task.WaitAsync(TimeSpan.FromSeconds(20), c.RequestAborted);
            await c.Response.WriteAsync("data: two\n\n", c.RequestAborted);
        }));
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address });
        using var response = await recorder.Client.GetAsync(recorder.Url("/events"), HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        Assert.Equal("data: one", await reader.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct));
        await Task.Delay(TimeSpan.FromSeconds(4), Ct); // the stream stays open a while, as event streams do
        release.SetResult();
        Assert.Equal(string.Empty, await reader.ReadLineAsync(Ct));
        Assert.Equal("data: two", await reader.ReadLineAsync(Ct));

        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.Equal("data: one\n\ndata: two\n\n", Assert.Single(exchanges).Response!.Body!.Text);
        // The 4 s the stream was open is not latency the proxy added (the status line reported "p99 added 6008 ms").
        // The bound is half of that: a loaded machine's real overhead (cold paths, a descheduled thread) stays far
        // below it, while counting the stream's duration cannot (it was 1.5 s against a 1 s bound: 0.5 s of margin).
        var added = recorder.Server.Stats.TakeInterval().MaxMs;
        Assert.True(added < 2000, $"the stream's duration counted as added latency: {added} ms");
    }

    [Fact]
    public async Task GraphQLAndSoap_TaggedWithOperation()
    {
        await using var upstream = await EchoUpstreamAsync();
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address });
        using var gql = await recorder.Client.PostAsync(recorder.Url("/echo"), new StringContent("{\"query\":\"query GetUser { user { id } }\",\"operationName\":\"GetUser\"}", Encoding.UTF8, "application/json"), Ct);
        using var soapRequest = new HttpRequestMessage(HttpMethod.Post, recorder.Url("/echo")) { Content = new StringContent("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"/>", Encoding.UTF8, "text/xml") };
        soapRequest.Headers.Add("SOAPAction", "\"urn:GetQuote\"");
        using var soap = await recorder.Client.SendAsync(soapRequest, Ct);

        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.Contains(exchanges, e => e.Protocol == Protocol.GraphQL && e.Tags["graphql.operation"] == "GetUser");
        Assert.Contains(exchanges, e => e.Protocol == Protocol.Soap && e.Tags["soap.action"] == "urn:GetQuote");
    }
}
