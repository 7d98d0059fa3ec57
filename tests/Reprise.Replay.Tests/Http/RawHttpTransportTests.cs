using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Reprise.Core.Analysis;
using Reprise.Core.Model;
using Reprise.Replay.Http;
using Reprise.Replay.Pacing;
using Reprise.Replay.Results;
using Reprise.Replay.Tests.Support;
using Reprise.Testing;
using Xunit;

namespace Reprise.Replay.Tests.Http;

/// <summary>The raw HTTP/1.1 transport against real servers: framing, keep-alive, errors and decoding.</summary>
public sealed class RawHttpTransportTests
{
    private static (RawHttpTransport Transport, CountingFallback Fallback, TemplateBuilder Templates) Create(Uri target, TimeSpan? requestTimeout = null, params HeaderField[] overrides)
    {
        var options = new ReplayOptions { Target = target, Pacing = PacingMode.Vus, Vus = 1, TimeShift = false, RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30), HeaderOverrides = [.. overrides] };
        var fallback = new CountingFallback();
        return (new RawHttpTransport(options, fallback), fallback, new TemplateBuilder(options, new ConcurrentDictionary<EndpointKey, EndpointStats>()));
    }

    private static RequestTemplate Template(TemplateBuilder templates, string method, string path, string? body = null, params HeaderField[] headers)
    {
        var e = Recorded.Request(method, path, 0, body: body);
        return templates.Build(e with { Request = e.Request with { Headers = e.Request.Headers.AddRange(headers) } });
    }

    private static async Task<SendOutcome> SendAsync(IReplayTransport transport, RequestTemplate template, bool keep = true)
    {
        var outcome = new SendOutcome();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await transport.SendAsync(template, null, null, keep, outcome, null, timeout.Token);
        return outcome;
    }

    private static byte[] Body(SendOutcome outcome) => outcome.Buffer is null ? [] : outcome.Buffer.AsSpan(0, outcome.Length).ToArray();

    [Fact]
    public async Task FramingCases_ChunkedLargeHeadNoContent_AllReadCorrectly_OnOneKeptAliveConnection()
    {
        var connections = new ConcurrentBag<string>();
        await using var server = await RawTargets.StartKestrelAsync(connections);
        var (transport, fallback, templates) = Create(server.Address);
        using var _ = transport;

        var chunked = await SendAsync(transport, Template(templates, "GET", "/chunked"));
        Assert.Null(chunked.Error);
        Assert.Equal("one,two,three", Encoding.ASCII.GetString(Body(chunked)));
        Assert.Contains(chunked.Headers, h => h.Name == "Transfer-Encoding" && h.Value == "chunked");
        chunked.Release();

        foreach (var path in new[] { "/large", "/large-chunked" })
        {
            var large = await SendAsync(transport, Template(templates, "GET", path));
            Assert.Null(large.Error);
            Assert.Equal(RawTargets.Large, Body(large));
            Assert.Equal(RawTargets.Large.Length, large.Size);
            large.Release();
            var dropped = await SendAsync(transport, Template(templates, "GET", path), keep: false);
            Assert.Null(dropped.Error);
            Assert.Equal(200, dropped.Status);
            dropped.Release();
        }

        var head = await SendAsync(transport, Template(templates, "HEAD", "/large"));
        Assert.Equal(200, head.Status);
        Assert.Equal(0, head.Size);
        Assert.Contains(head.Headers, h => h.Name == "Content-Length" && h.Value == RawTargets.Large.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        head.Release();

        var noContent = await SendAsync(transport, Template(templates, "GET", "/nocontent"));
        var notModified = await SendAsync(transport, Template(templates, "GET", "/notmodified"));
        Assert.Equal((204, 0L), (noContent.Status, noContent.Size));
        Assert.Equal((304, 0L), (notModified.Status, notModified.Size));

        var json = await SendAsync(transport, Template(templates, "GET", "/json"));
        Assert.Equal("""{"hello":"world","n":42}""", Encoding.UTF8.GetString(Body(json)));
        Assert.Equal("application/json; charset=utf-8", json.MediaType);
        Assert.Equal("OK", json.Reason);

        Assert.Equal(0, fallback.Calls);
        Assert.Single(connections.Distinct());
    }

    [Fact]
    public async Task ExpectContinue_InterimResponseSkipped_BodyEchoed()
    {
        await using var server = await RawTargets.StartKestrelAsync();
        var (transport, _, templates) = Create(server.Address);
        using var _t = transport;

        var outcome = await SendAsync(transport, Template(templates, "POST", "/echo", "{\"a\":1}", new HeaderField("Expect", "100-continue")));

        Assert.Null(outcome.Error);
        Assert.Equal(200, outcome.Status);
        Assert.Equal("echo:{\"a\":1}", Encoding.UTF8.GetString(Body(outcome)));
    }

    [Fact]
    public async Task ConnectionCloseAfterEachResponse_Reconnects()
    {
        var connections = new ConcurrentBag<string>();
        await using var server = await RawTargets.StartKestrelAsync(connections);
        var (transport, _, templates) = Create(server.Address);
        using var _t = transport;

        for (var i = 0; i < 3; i++)
        {
            var outcome = await SendAsync(transport, Template(templates, "GET", "/close"));
            Assert.Null(outcome.Error);
            Assert.Equal("bye", Encoding.ASCII.GetString(Body(outcome)));
        }

        Assert.Equal(3, connections.Distinct().Count());
    }

    [Fact]
    public async Task IdleKeepAliveClosedByServer_IsRetriedOnceOnAFreshConnection()
    {
        await using var server = new RawTargets.IdleClosingServer();
        var (transport, _, templates) = Create(server.Address);
        using var _t = transport;

        for (var i = 0; i < 3; i++)
        {
            var outcome = await SendAsync(transport, Template(templates, "GET", "/any"));
            Assert.Null(outcome.Error);
            Assert.Equal("ok", Encoding.ASCII.GetString(Body(outcome)));
            await Task.Delay(300, TestContext.Current.CancellationToken); // the server closes the idle connection meanwhile
        }

        Assert.Equal(3, server.Connections);
    }

    [Fact]
    public async Task SlowServer_IsATimeout()
    {
        await using var server = await RawTargets.StartKestrelAsync();
        var (transport, _, templates) = Create(server.Address, TimeSpan.FromMilliseconds(300));
        using var _t = transport;
        var outcome = new SendOutcome();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await transport.SendAsync(Template(templates, "GET", "/slow"), null, null, true, outcome, null, timeout.Token);

        Assert.Equal(ExchangeErrorKind.Timeout, outcome.Error?.Kind);
        Assert.Equal("no complete response within 0.3s", outcome.Error?.Message);
    }

    [Fact]
    public async Task RefusedPort_IsAConnectError_LikeSocketsHttpHandler()
    {
        using var closed = ClosedPort.Reserve();
        var target = closed.HttpUri;
        var (transport, _, templates) = Create(target);
        using var _t = transport;

        var raw = await SendAsync(transport, Template(templates, "GET", "/json"));
        var viaHttpClient = new SendOutcome();
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await new HttpClientTransport(invoker, new ReplayOptions { Target = target }).SendAsync(Template(templates, "GET", "/json"), null, null, true, viaHttpClient, null, timeout.Token);

        Assert.Equal(ExchangeErrorKind.Connect, raw.Error?.Kind);
        Assert.Equal(viaHttpClient.Error, raw.Error);
    }

    [Fact]
    public async Task GzipResponse_IsDecodedWhenKept_AndHeadersAdjustedAsSocketsHttpHandlerDoes()
    {
        await using var server = await RawTargets.StartKestrelAsync();
        var (transport, _, templates) = Create(server.Address);
        using var _t = transport;

        var kept = await SendAsync(transport, Template(templates, "GET", "/gzip"));
        var dropped = await SendAsync(transport, Template(templates, "GET", "/gzip"), keep: false);

        Assert.Null(kept.Error);
        Assert.Equal(string.Concat(Enumerable.Repeat(RawTargets.GzipText, 200)), Encoding.ASCII.GetString(Body(kept)));
        Assert.DoesNotContain(kept.Headers, h => h.Name is "Content-Encoding" or "Content-Length");
        Assert.Null(dropped.Error);
        Assert.Equal(200, dropped.Status);
    }

    /// <summary>
    /// A replayed request asks for the encodings the recorded client asked for, no more (an added Accept-Encoding
    /// would make the target compress what it answered uncompressed when recorded); what comes compressed is still
    /// decoded in kept results, by both transports with the handler replay really uses.
    /// </summary>
    [Fact]
    public async Task AcceptEncoding_SentOnlyAsRecorded_ByBothTransports_ResponsesStillDecoded()
    {
        await using var server = await RawTargets.StartKestrelAsync();
        var options = new ReplayOptions { Target = server.Address, Pacing = PacingMode.Vus, Vus = 1, TimeShift = false };
        using var invoker = ReplayHttp.CreateInvoker(options);
        var viaHttpClient = new HttpClientTransport(invoker, options);
        using var raw = new RawHttpTransport(options, viaHttpClient);
        var templates = new TemplateBuilder(options, new ConcurrentDictionary<EndpointKey, EndpointStats>());
        var plain = Template(templates, "GET", "/accept-encoding");
        var gzip = Template(templates, "GET", "/accept-encoding", null, new HeaderField("Accept-Encoding", "gzip"));

        foreach (var transport in new IReplayTransport[] { raw, viaHttpClient })
        {
            foreach (var (template, expected) in new[] { (plain, "asked:(none)"), (gzip, "asked:gzip") })
            {
                var outcome = await SendAsync(transport, template);
                Assert.Null(outcome.Error);
                Assert.Equal(expected, Encoding.ASCII.GetString(Body(outcome)));
                Assert.DoesNotContain(outcome.Headers, h => h.Name is "Content-Encoding" or "Content-Length");
            }
        }
    }

    [Theory]
    [InlineData("zlib")]
    [InlineData("raw")]
    public async Task DeflateResponse_ZlibWrappedOrRaw_IsDecoded(string framing)
    {
        await using var server = await RawTargets.StartKestrelAsync();
        var (transport, _, templates) = Create(server.Address);
        using var _t = transport;

        var kept = await SendAsync(transport, Template(templates, "GET", "/deflate/" + framing));

        Assert.Null(kept.Error);
        Assert.Equal(RawTargets.GzipText + framing, Encoding.ASCII.GetString(Body(kept)));
        Assert.DoesNotContain(kept.Headers, h => h.Name is "Content-Encoding" or "Content-Length");
    }

    [Fact]
    public async Task NonAsciiHeaderValue_GoesThroughTheFallback()
    {
        await using var server = await RawTargets.StartKestrelAsync();
        var (transport, fallback, templates) = Create(server.Address);
        using var _t = transport;

        await SendAsync(transport, Template(templates, "GET", "/json", null, new HeaderField("X-Name", "Zoë")));

        Assert.Equal(1, fallback.Calls);
    }

    [Theory]
    [InlineData("a\r\nX-Injected: 1")] // a whole injected header
    [InlineData("a\r\n\r\nGET /admin HTTP/1.1")] // a smuggled second request
    [InlineData("a\nb")]
    [InlineData("a\0b")]
    public async Task LineBreakOrNulInAHeaderValue_NeverSentRaw(string value)
    {
        await using var server = await RawTargets.StartKestrelAsync();
        var (transport, fallback, templates) = Create(server.Address);
        using var _t = transport;

        await SendAsync(transport, Template(templates, "GET", "/json", null, new HeaderField("X-Value", value)));

        Assert.Equal(1, fallback.Calls);
    }

    [Fact]
    public async Task TransferEncodingOverride_GoesThroughTheFallback()
    {
        await using var server = await RawTargets.StartKestrelAsync();
        var (transport, fallback, templates) = Create(server.Address, null, new HeaderField("Transfer-Encoding", "chunked")); // --header
        using var _t = transport;

        await SendAsync(transport, Template(templates, "POST", "/echo", "x"));

        Assert.Equal(1, fallback.Calls);
    }

    [Fact]
    public void Ipv6Target_HostHeaderInBrackets()
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "http://[::1]:8080/x?q=1");
        var wire = Encoding.ASCII.GetString(RawRequestSerializer.Serialize(message, ReadOnlyMemory<byte>.Empty)!);

        Assert.StartsWith("GET /x?q=1 HTTP/1.1\r\nHost: [::1]:8080\r\n", wire, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BytesPastTheFramedResponse_AreNeverReadAsTheNextResponse()
    {
        // The server says Content-Length: 2 and sends more: the extra bytes must not become request 2's response.
        await using var server = new ScriptedServer(n => $"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nr{n}HTTP/1.1 408 Stray\r\nContent-Length: 0\r\n\r\n");
        var (transport, _, templates) = Create(server.Address);
        using var _t = transport;

        for (var i = 1; i <= 3; i++)
        {
            var outcome = await SendAsync(transport, Template(templates, "GET", "/any"));
            Assert.Null(outcome.Error);
            Assert.Equal(200, outcome.Status);
            Assert.Equal("r" + i, Encoding.ASCII.GetString(Body(outcome)));
        }

        Assert.Equal(3, server.Connections);
    }

    [Theory]
    [InlineData("GET", null, 3)] // retried once on a fresh connection, answered
    [InlineData("POST", "{\"charge\":1}", 2)] // the server may have acted on it: an error, never sent twice
    public async Task ConnectionClosedAfterTheRequestOnAReusedConnection_RetriedOnlyWithoutABody(string method, string? body, int requestsSeen)
    {
        // Request 1 is answered (keep-alive); request 2 is read, then the connection is closed unanswered.
        await using var server = new ScriptedServer(n => n == 2 ? null : $"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nr{n}");
        var (transport, _, templates) = Create(server.Address);
        using var _t = transport;

        Assert.Null((await SendAsync(transport, Template(templates, method, "/any", body))).Error);
        var second = await SendAsync(transport, Template(templates, method, "/any", body));

        Assert.Equal(requestsSeen, server.Requests);
        if (body is null)
        {
            Assert.Null(second.Error);
            Assert.Equal("r3", Encoding.ASCII.GetString(Body(second)));
        }
        else
        {
            Assert.NotNull(second.Error);
        }
    }

    [Fact]
    public async Task ServerThatClosesAfterEachAnswerUnannounced_RequestsWithABody_GoOnFreshConnections()
    {
        // SOGo answers HTTP/1.1 without Connection: close and closes the connection at once. A POST is never retried,
        // so an idle connection must be probed before it carries one, however short the idle time (QA round 15b).
        await using var server = new ScriptedServer(n => $"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nr{n}", closeAfterAnswer: true);
        var (transport, _, templates) = Create(server.Address);
        using var _t = transport;

        for (var i = 1; i <= 3; i++)
        {
            var outcome = await SendAsync(transport, Template(templates, "POST", "/connect", "{\"userName\":\"u\"}"));
            Assert.Null(outcome.Error);
            Assert.Equal("r" + i, Encoding.ASCII.GetString(Body(outcome)));
            await Task.Delay(50, TestContext.Current.CancellationToken); // the server's FIN arrives meanwhile
        }

        Assert.Equal(3, server.Requests);
        Assert.Equal(3, server.Connections);
    }

    [Fact]
    public async Task ServerThatClosesAfterEachAnswerUnannounced_OnceSeen_GetsNoKeptConnections_BackToBackPostsAllAnswered()
    {
        // At --speed 5 SOGo's requests follow each other within a millisecond: the probe runs before the server's FIN
        // arrives, and a POST sent on the closed connection is reset. Once the target is seen closing a connection right
        // after an answer, connections to it are not kept (QA round 15b).
        await using var server = new ScriptedServer(n => $"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nr{n}", closeAfterAnswer: true);
        var (transport, _, templates) = Create(server.Address);
        using var _t = transport;

        Assert.Null((await SendAsync(transport, Template(templates, "GET", "/"))).Error);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Null((await SendAsync(transport, Template(templates, "GET", "/"))).Error); // seen: the idle connection was closed
        for (var i = 0; i < 20; i++)
        {
            var outcome = await SendAsync(transport, Template(templates, "POST", "/save", "{\"n\":1}"));
            Assert.Null(outcome.Error);
        }

        Assert.Equal(22, server.Requests);
    }

    /// <summary>Replays the same recording through the raw transport and through SocketsHttpHandler: the results are the same.</summary>
    [Fact]
    public async Task SameRecording_RawAndSocketsHttpHandler_ProduceTheSameResults()
    {
        await using var server = await RawTargets.StartKestrelAsync();
        var recorded = new List<Exchange>();
        var at = 0.0;
        foreach (var (method, path, body, extra) in new (string, string, string?, HeaderField[])[]
        {
            ("GET", "/json", null, []), ("GET", "/chunked", null, []), ("GET", "/large", null, []), ("GET", "/large-chunked", null, []),
            ("HEAD", "/large", null, []), ("GET", "/nocontent", null, []), ("GET", "/notmodified", null, []),
            ("POST", "/echo", "{\"x\":1}", [new HeaderField("Expect", "100-continue")]), ("POST", "/echo", null, []), ("GET", "/close", null, []),
            ("GET", "/gzip", null, []), ("GET", "/deflate/zlib", null, []), ("GET", "/deflate/raw", null, []),
            ("GET", "/accept-encoding", null, []), ("GET", "/accept-encoding", null, [new HeaderField("Accept-Encoding", "gzip, br")]), ("GET", "/missing?q=1", null, [new HeaderField("Cookie", "a=1"), new HeaderField("Cookie", "b=2")]), ("DELETE", "/json", null, []),
        })
        {
            var exchange = Recorded.Request(method, path, at += 0.01, body: body, id: $"r{recorded.Count}");
            recorded.Add(exchange with { Request = exchange.Request with { Headers = exchange.Request.Headers.AddRange(extra) } });
        }

        var (raw, viaHttpClient) = await ReplayBothWaysAsync(server.Address, recorded);

        Assert.Equal(recorded.Count, raw.Count);
        Assert.Equal(recorded.Count, viaHttpClient.Count);
        for (var i = 0; i < raw.Count; i++)
        {
            Assert.Equal(Comparable(viaHttpClient[i]), Comparable(raw[i]));
        }
    }

    /// <summary>
    /// Heads Kestrel never writes, from a bare socket server: empty and missing reason phrases, non-standard
    /// ones (with inner and trailing spaces, obs-text), and obsolete line folding (RFC 9112 §5.2). The raw
    /// transport reports each exactly as SocketsHttpHandler does.
    /// </summary>
    [Fact]
    public async Task UnusualHeads_RawAndSocketsHttpHandler_ProduceTheSameResults()
    {
        string[] answers =
        [
            "HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nr1",
            "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nr2",
            "HTTP/1.1 299\r\nContent-Length: 2\r\n\r\nr3",
            "HTTP/1.1 299 Not Quite  OK \r\nContent-Length: 2\r\n\r\nr4",
            "HTTP/1.1 200 Fine\r\nContent-Length: 2\r\n\r\nr5",
            "HTTP/1.1 404 Pas trouv\u00e9\r\nContent-Length: 2\r\n\r\nr6",
            "HTTP/1.1 200 OK\r\nX-Folded: first\r\n  second\r\n\tthird \r\nContent-Type: text/plain;\r\n charset=utf-8\r\nContent-Length: 2\r\n\r\nr7",
            "HTTP/1.1 200 OK\r\nX-Empty-First:\r\n value\r\nX-After: 1\r\nContent-Length: 2\r\n\r\nr8",
            "HTTP/1.1 200 OK\nX-Bare-Lf: a\n b\nContent-Length: 2\n\nr9",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nt0\r\n0\r\nX-Trailer: x\r\n y\r\n\r\n",
        ];
        var recorded = new List<Exchange>();
        for (var i = 0; i < answers.Length; i++)
        {
            recorded.Add(Recorded.Request("GET", $"/s{i}", i * 0.01, id: $"r{i}"));
        }

        await using var server = new ScriptedServer(n => answers[(n - 1) % answers.Length]); // one run after the other: each sees the script in order
        var (raw, viaHttpClient) = await ReplayBothWaysAsync(server.Address, recorded);

        Assert.Equal(answers.Length, raw.Count);
        Assert.Equal(answers.Length, viaHttpClient.Count);
        Assert.All(viaHttpClient, r => Assert.Null(r.Error));
        for (var i = 0; i < raw.Count; i++)
        {
            Assert.Equal(Comparable(viaHttpClient[i]), Comparable(raw[i]));
        }

        Assert.Equal(["", "", "", "Not Quite  OK ", "Fine", "Pas trouv\u00e9"], raw.Take(6).Select(r => r.Response!.Reason));
        Assert.Equal("first    second  \tthird", raw[6].Response!.Headers.Get("X-Folded")); // each CRLF of a fold became a space
        Assert.Equal("text/plain;   charset=utf-8", raw[6].Response!.Headers.Get("Content-Type"));
        Assert.Equal("value", raw[7].Response!.Headers.Get("X-Empty-First"));
        Assert.Equal("a  b", raw[8].Response!.Headers.Get("X-Bare-Lf"));
        Assert.Equal("x   y", raw[9].Response!.Trailers.Get("X-Trailer"));
    }

    /// <summary>A result without what differs between any two runs (ids, times, Date).</summary>
    private static string Comparable(Exchange result)
    {
        var r = result.Response;
        var text = new StringBuilder();
        text.Append(result.Request.Method).Append(' ').Append(result.Request.Url).Append(" error=").Append(result.Error).Append('\n');
        if (r is not null)
        {
            text.Append(r.Status).Append(' ').Append(r.Reason is null ? "(no reason)" : $"'{r.Reason}'").Append(' ').Append(r.Version).Append('\n');
            foreach (var h in r.Headers.Where(h => h.Name != "Date"))
            {
                text.Append(h.Name).Append(": ").Append(h.Value).Append('\n');
            }

            foreach (var h in r.Trailers)
            {
                text.Append("trailer ").Append(h.Name).Append(": ").Append(h.Value).Append('\n');
            }

            if (r.Body is { } body)
            {
                text.Append("body ").Append(body.MediaType).Append(' ').Append(body.Size).Append(' ').Append(body.Truncated).Append(' ').Append(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(body.Content.Span)));
            }
        }

        return text.ToString();
    }

    private sealed class CountingFallback : IReplayTransport
    {
        public int Calls { get; private set; }

        public Task SendAsync(RequestTemplate template, OutgoingRequest? outgoing, string? bearer, bool keepBody, SendOutcome outcome, TransportLane? lane, CancellationToken timeout)
        {
            Calls++;
            outcome.Status = 599;
            return Task.CompletedTask;
        }
    }

    /// <summary>Replays <paramref name="recorded"/> once through the raw transport and once through SocketsHttpHandler (one VU, in order); results in recorded order.</summary>
    private static async Task<(List<Exchange> Raw, List<Exchange> ViaHttpClient)> ReplayBothWaysAsync(Uri target, IReadOnlyList<Exchange> recorded)
    {
        async Task<List<Exchange>> RunAsync(HttpMessageHandler? handler)
        {
            var sink = new ListSink();
            var options = new ReplayOptions { Target = target, Pacing = PacingMode.Vus, Vus = 1, TimeShift = false, Handler = handler, BodyCap = 100_000 };
            await Replayer.RunAsync(options, Recorded.Stream(recorded), sink, TestContext.Current.CancellationToken);
            return [.. sink.Results.OrderBy(r => int.Parse(r.Tags[WellKnownTags.ReplayOf].AsSpan(1), System.Globalization.CultureInfo.InvariantCulture))];
        }

        var raw = await RunAsync(null);
        using var sockets = new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None };
        return (raw, await RunAsync(sockets));
    }
}
