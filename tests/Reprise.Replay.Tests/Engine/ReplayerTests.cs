using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Analysis;
using Reprise.Core.Model;
using Reprise.Replay.Http;
using Reprise.Replay.Pacing;
using Reprise.Replay.Results;
using Reprise.Replay.Tests.Support;
using Reprise.Testing;
using Xunit;

namespace Reprise.Replay.Tests.Engine;

public sealed class ReplayerTests
{
    [Fact]
    public async Task Multiplier5_SendsExactlyFiveCopiesOfEveryRequest_WithDistinctUniqueValues()
    {
        await using var target = await CountingTarget.StartAsync();
        var recorded = new List<Exchange>
        {
            Recorded.Request("POST", "/users", 0, session: "a", body: """{"email":"ann@example.com","username":"ann","requestId":"6f1c2d3e-0000-4000-8000-000000000001"}"""),
            Recorded.Request("GET", "/users/me", 0.1, session: "a"),
            Recorded.Request("GET", "/catalog?page=1", 0.2, session: "b"),
            Recorded.Request("GET", "/catalog?page=2", 0.3),
        };
        var sink = new ListSink();
        var summary = await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Multiplier = 5, Speed = 100 }, Recorded.Stream(recorded), sink, TestContext.Current.CancellationToken);

        Assert.Equal(20, target.Count);
        Assert.Equal(20, summary.Sent);
        Assert.Equal(20, sink.Results.Count);
        foreach (var original in recorded)
        {
            var copies = sink.Results.Where(r => r.Tags[WellKnownTags.ReplayOf] == original.Id).Select(r => r.Tags[WellKnownTags.ReplayCopy]).Order().ToList();
            Assert.Equal(["0", "1", "2", "3", "4"], copies);
        }

        var posted = target.Arrivals.Where(a => a.Method == "POST").Select(a => a.Body).ToList();
        Assert.Equal(5, posted.Distinct().Count());
        Assert.Contains(posted, b => b.Contains("\"ann@example.com\"", StringComparison.Ordinal));
        Assert.Contains(posted, b => b.Contains("ann+r3@example.com", StringComparison.Ordinal) && b.Contains("\"ann-r3\"", StringComparison.Ordinal));
        Assert.All(sink.Results, r => Assert.Equal(200, r.Response!.Status));
    }

    [Fact]
    public async Task CreateThenRead_SubstitutesTheNewIdFromTheNewResponse()
    {
        var store = new ConcurrentDictionary<string, string>();
        var next = 1000;
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/orders", async (HttpContext context) =>
            {
                var id = Interlocked.Increment(ref next).ToString(System.Globalization.CultureInfo.InvariantCulture);
                store[id] = "open";
                context.Response.StatusCode = 201;
                context.Response.Headers.Location = "/orders/" + id;
                context.Response.Headers["X-CSRF-Token"] = "csrf-" + id;
                await context.Response.WriteAsJsonAsync(new { id = int.Parse(id, System.Globalization.CultureInfo.InvariantCulture), status = "open" });
            });
            app.MapGet("/orders/{id}", (string id) => store.TryGetValue(id, out var status) ? Microsoft.AspNetCore.Http.Results.Json(new { id, status }) : Microsoft.AspNetCore.Http.Results.NotFound());
            app.MapPost("/orders/{id}/pay", (string id, HttpContext context) =>
                store.ContainsKey(id) && context.Request.Headers["X-CSRF-Token"] == "csrf-" + id ? Microsoft.AspNetCore.Http.Results.Ok() : Microsoft.AspNetCore.Http.Results.BadRequest());
        });

        var recorded = new List<Exchange>
        {
            Recorded.Request("POST", "/orders", 0, session: "u1", body: """{"item":"book"}""", responseBody: """{"id":41,"status":"open"}""", status: 201,
                responseHeaders: [new("Content-Type", "application/json"), new("Location", "/orders/41"), new("X-CSRF-Token", "csrf-41")]),
            Recorded.Request("GET", "/orders/41", 0.5, session: "u1", responseBody: """{"id":"41","status":"open"}"""),
            Recorded.Request("POST", "/orders/41/pay", 1, session: "u1", body: """{"order":41}""") with { },
        };
        recorded[2] = recorded[2] with { Request = recorded[2].Request with { Headers = recorded[2].Request.Headers.Add(new HeaderField("X-CSRF-Token", "csrf-41")) } };
        var sink = new ListSink();
        var summary = await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50, Multiplier = 3 }, Recorded.Stream(recorded), sink, TestContext.Current.CancellationToken);

        Assert.Equal(9, summary.Sent);
        var statuses = sink.Results.GroupBy(r => r.Tags[WellKnownTags.ReplayOf]).ToDictionary(g => g.Key, g => g.Select(r => r.Response!.Status).ToList());
        Assert.All(statuses[recorded[1].Id], s => Assert.Equal(200, s));
        Assert.All(statuses[recorded[2].Id], s => Assert.Equal(200, s));
        var reads = target.Arrivals.Where(a => a.Method == "GET").Select(a => a.PathAndQuery).ToList();
        Assert.True(reads.Distinct().Count() == 3, string.Join(" ", target.Arrivals.Select(a => a.Method + a.PathAndQuery + a.Body)));
        Assert.DoesNotContain("/orders/41", reads);
        var pathRule = Assert.Single(summary.Correlation, r => r.SubstitutedInto.Contains("path", StringComparison.Ordinal) && r.SubstitutedInto.StartsWith("GET", StringComparison.Ordinal));
        Assert.True(pathRule.Applied >= 3);
        Assert.Contains(summary.Correlation, r => r.Name.Contains("X-CSRF-Token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Vus_LoopedSessions_KeepTheirOrderAcrossVirtualUsers()
    {
        var store = new ConcurrentDictionary<string, bool>();
        var next = 0;
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/carts", () =>
            {
                var id = "c" + Interlocked.Increment(ref next).ToString(System.Globalization.CultureInfo.InvariantCulture) + "x9";
                store[id] = true;
                return Microsoft.AspNetCore.Http.Results.Json(new { cartId = id });
            });
            app.MapGet("/carts/{id}", (string id) => store.ContainsKey(id) ? Microsoft.AspNetCore.Http.Results.Ok() : Microsoft.AspNetCore.Http.Results.NotFound());
        });
        var recorded = new List<Exchange>();
        for (var u = 0; u < 3; u++)
        {
            recorded.Add(Recorded.Request("POST", "/carts", u * 0.1, session: "u" + u, body: "{}", responseBody: $$"""{"cartId":"c{{100 + u}}x9"}"""));
            recorded.Add(Recorded.Request("GET", $"/carts/c{100 + u}x9", 1 + (u * 0.1), session: "u" + u));
            recorded.Add(Recorded.Request("GET", "/other", 1.5 + u));
        }

        var summary = await Replayer.RunAsync(
            new ReplayOptions { Target = target.Address, Pacing = PacingMode.Vus, Vus = 4, Duration = TimeSpan.FromSeconds(2) },
            Recorded.Replayable([.. recorded.OrderBy(r => r.StartedAt)]),
            NullResultSink.Instance,
            TestContext.Current.CancellationToken);

        Assert.True(summary.Sent > 90, summary.Sent.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, summary.StatusClasses[4]);
        Assert.Equal(summary.Sent, summary.StatusClasses[2]);
    }

    [Fact]
    public async Task LoginFlows_CookieAndBearerIssuedAtReplay_AreUsedByTheLaterRequests()
    {
        var sessions = new ConcurrentDictionary<string, bool>();
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/login", (HttpContext context) =>
            {
                var sid = Guid.NewGuid().ToString("N");
                sessions[sid] = true;
                context.Response.Headers.SetCookie = $"sid={sid}; Path=/; HttpOnly";
                return Microsoft.AspNetCore.Http.Results.Ok();
            });
            app.MapGet("/account", (HttpContext context) =>
                context.Request.Cookies.TryGetValue("sid", out var sid) && sessions.ContainsKey(sid) ? Microsoft.AspNetCore.Http.Results.Ok() : Microsoft.AspNetCore.Http.Results.Unauthorized());
            app.MapPost("/oauth/token", () =>
            {
                var token = "tok" + Guid.NewGuid().ToString("N");
                sessions[token] = true;
                return Microsoft.AspNetCore.Http.Results.Json(new { access_token = token, token_type = "Bearer" });
            });
            app.MapGet("/data", (HttpContext context) =>
                context.Request.Headers.Authorization.ToString() is var auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) && sessions.ContainsKey(auth[7..]) ? Microsoft.AspNetCore.Http.Results.Ok() : Microsoft.AspNetCore.Http.Results.Unauthorized());
        });

        var login = Recorded.Request("POST", "/login", 0, body: "{}", responseHeaders: [new("Set-Cookie", "sid=recorded0session1; Path=/; HttpOnly")]);
        var account = Recorded.Request("GET", "/account", 0.2);
        account = account with { Request = account.Request with { Headers = account.Request.Headers.Add(new HeaderField("Cookie", "theme=dark; sid=recorded0session1")) } };
        var token = Recorded.Request("POST", "/oauth/token", 0.3, body: "{}", responseBody: """{"access_token":"recordedtoken123","token_type":"Bearer"}""");
        var data = Recorded.Request("GET", "/data", 0.5, session: "recordedtoken123");
        var sink = new ListSink();
        var summary = await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 20, Multiplier = 2 }, Recorded.Stream([login, account, token, data]), sink, TestContext.Current.CancellationToken);

        Assert.Equal(8, summary.Sent);
        Assert.All(sink.Results, r => Assert.Equal(200, r.Response!.Status));
        Assert.Contains(summary.Correlation, r => r.Name == "cookie sid");
        Assert.Contains(summary.Correlation, r => r.Name == "$.access_token");
    }

    [Fact]
    public async Task RecordedHttp2_WithH2c_IsSentOverHttp2()
    {
        var versions = new ConcurrentQueue<string>();
        await using var server = await TestKestrel.StartAsync(
            app => app.Run(context =>
            {
                versions.Enqueue(context.Request.Protocol);
                return context.Response.WriteAsync("{}");
            }),
            Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
        var recorded = Recorded.Request("GET", "/h2", 0) with { Protocol = Protocol.Http2 };
        recorded = recorded with { Request = recorded.Request with { Version = "h2", Headers = [new(":method", "GET"), new(":path", "/h2"), new("accept", "*/*")] } };
        var sink = new ListSink();
        await Replayer.RunAsync(new ReplayOptions { Target = server.Address, H2c = true }, Recorded.Stream([recorded]), sink, TestContext.Current.CancellationToken);

        Assert.Equal(["HTTP/2"], versions);
        var result = Assert.Single(sink.Results);
        Assert.Equal("HTTP/2", result.Response!.Version);
        Assert.Equal("HTTP/2", result.Request.Version);
    }

    [Fact]
    public async Task TokenCommand_SendsTheToken_AndRefreshesOnceOn401()
    {
        using var dir = new TempDir();
        var counter = dir.File("n");
        File.WriteAllText(counter, "0");
        var script = dir.File("token.sh");
        File.WriteAllText(script, $"n=$(cat '{counter}'); n=$((n+1)); echo $n > '{counter}'; echo token-$n\n");
        await using var target = await CountingTarget.StartAsync(app => app.Use(async (context, nextStep) =>
        {
            if (context.Request.Headers.Authorization != "Bearer token-2")
            {
                context.Response.StatusCode = 401;
                return;
            }

            await nextStep(context);
        }));
        using var token = new CommandTokenSource("sh " + script);
        var sink = new ListSink();
        var recorded = new[] { Recorded.Request("GET", "/a", 0, session: "old-token"), Recorded.Request("GET", "/b", 0.01, session: "old-token") };
        var summary = await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Token = token, Speed = 100 }, Recorded.Stream(recorded), sink, TestContext.Current.CancellationToken);

        Assert.Equal(2, token.Fetches);
        Assert.All(sink.Results, r => Assert.Equal(200, r.Response!.Status));
        Assert.Equal(2, summary.StatusClasses[2]);
        Assert.Equal(3, target.Count); // one 401, its retry, and the second request with the refreshed token
        Assert.DoesNotContain(target.Arrivals, a => a.Headers["Authorization"].Contains("old-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnreachableTarget_FailsWithinFiveSeconds()
    {
        using var closed = ClosedPort.Reserve();
        var options = new ReplayOptions { Target = closed.HttpUri };
        var recorded = Recorded.Stream([Recorded.Request("GET", "/", 0)]);
        var watch = Stopwatch.StartNew(); // from just before the call: only the replay's own time counts
        var ex = await Assert.ThrowsAsync<ReplayTargetUnreachableException>(() => Replayer.RunAsync(options, recorded, NullResultSink.Instance, TestContext.Current.CancellationToken));
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
        Assert.Contains($"127.0.0.1:{closed.Port}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoInboundExchanges_Throws()
    {
        var outbound = Recorded.Request("GET", "/dep", 0) with { Direction = Direction.Outbound };
        var ex = await Assert.ThrowsAsync<ReplayInputException>(() => Replayer.RunAsync(
            new ReplayOptions { Target = new Uri("http://127.0.0.1:1/") }, Recorded.Stream([outbound]), NullResultSink.Instance, TestContext.Current.CancellationToken));
        Assert.Contains("no inbound exchanges", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoints_GroupAsInspectAndDiff_WhateverTheTargetPath_AndMergeAgrees()
    {
        await using var target = await CountingTarget.StartAsync();
        var order = Recorded.Request("GET", "/v1/orders/42", 0) with { Service = null };
        var other = Recorded.Request("GET", "/v1/orders/43", 0.01) with { Service = null };
        var named = Recorded.Request("POST", "/v1/orders", 0.02);
        var sink = new ListSink();
        var summary = await Replayer.RunAsync(
            new ReplayOptions { Target = new Uri(target.Address, "/api"), StripPathPrefix = "/v1", AddPathPrefix = "/v2", Speed = 100 },
            Recorded.Stream([order, other, named]),
            sink,
            TestContext.Current.CancellationToken);

        // Core's key of the recorded exchange (inspect's and diff's grouping): recorded host, recorded path.
        var expected = new[] { EndpointKey.Of(order), EndpointKey.Of(named) };
        Assert.Equal(new EndpointKey("recorded.example", "GET", "/v1/orders/{id}", null), expected[0]);
        Assert.Equal(expected.ToHashSet(), summary.Endpoints.Select(e => e.Endpoint).ToHashSet());
        Assert.Equal(2, summary.Endpoints.Single(e => e.Endpoint == expected[0]).Count);

        // merge reads the results back: the same endpoints.
        var merged = new SummaryAccumulator();
        foreach (var result in sink.Results)
        {
            merged.Record(result);
        }

        Assert.Equal(expected.ToHashSet(), merged.Endpoints.Keys.ToHashSet());
    }

    [Fact]
    public async Task HarPseudoAndHopByHopHeaders_AreNotSent_AndOverridesApply()
    {
        await using var target = await CountingTarget.StartAsync();
        var recorded = Recorded.Request("GET", "/v1/items?x=1", 0) with { };
        recorded = recorded with
        {
            Request = recorded.Request with
            {
                Version = "HTTP/2",
                Headers = [new(":authority", "recorded.example"), new(":method", "GET"), new("Connection", "keep-alive"), new("Transfer-Encoding", "chunked"), new("X-Env", "prod"), new("Accept", "*/*")],
            },
        };
        var sink = new ListSink();
        await Replayer.RunAsync(
            new ReplayOptions { Target = new Uri(target.Address, "/api"), StripPathPrefix = "/v1", AddPathPrefix = "/v2", HeaderOverrides = [new("X-Env", "test")] },
            Recorded.Stream([recorded]),
            sink,
            TestContext.Current.CancellationToken);

        var arrival = Assert.Single(target.Arrivals);
        Assert.Equal("/api/v2/items?x=1", arrival.PathAndQuery);
        Assert.Equal("test", arrival.Headers["X-Env"]);
        Assert.DoesNotContain(arrival.Headers.Keys, k => k.StartsWith(':'));
        var result = Assert.Single(sink.Results);
        Assert.Equal(recorded.Id, result.Tags[WellKnownTags.ReplayOf]);
        Assert.EndsWith("/api/v2/items?x=1", result.Request.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Request.Headers, h => h.Name.StartsWith(':') || h.Name == "Connection");
    }

    [Fact]
    public async Task Rate_HoldsWithinFivePercent_MeasuredServerSide()
    {
        await using var target = await CountingTarget.StartAsync();
        var recorded = Enumerable.Range(0, 5).Select(i => Recorded.Request("GET", "/r" + i, i)).ToList();
        const double rate = 200;
        var summary = await Replayer.RunAsync(
            new ReplayOptions { Target = target.Address, Pacing = PacingMode.Rate, Rate = rate, Duration = TimeSpan.FromSeconds(10) },
            Recorded.Replayable(recorded),
            NullResultSink.Instance,
            TestContext.Current.CancellationToken);

        // The open-model scheduler sends request i at start + i/rate and catches up after a stall, so a stall
        // (GC, a descheduled thread on a loaded machine) delays the arrivals near it without changing the rate.
        // A fixed window's count moves by every request a stall pushes across one of its edges; instead, time
        // every run of 5 s worth of consecutive arrivals (1,000 of them) and take the median: the cold start
        // and any stall touch a minority of those runs, and the ones they lengthen and shorten pull opposite ways.
        var stamps = target.Arrivals.Select(a => a.Timestamp).Order().ToArray();
        const int run = (int)(rate * 5);
        Assert.True(stamps.Length > run, $"{stamps.Length} arrivals");
        var took = Enumerable.Range(0, stamps.Length - run).Select(k => Stopwatch.GetElapsedTime(stamps[k], stamps[k + run]).TotalSeconds).Order().ToArray();
        var measured = run / took[took.Length / 2];
        Assert.InRange(measured, rate * 0.95, rate * 1.05);
        Assert.InRange(summary.Sent, rate * 10 * 0.95, rate * 10 * 1.01);
        Assert.Equal(0, summary.Errors);
    }

    [Fact]
    public async Task Vus_ClosedModel_SendsEveryRequestOnce()
    {
        await using var target = await CountingTarget.StartAsync();
        var recorded = Enumerable.Range(0, 200).Select(i => Recorded.Request("GET", "/v/" + i, i * 10)).ToList();
        var summary = await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Pacing = PacingMode.Vus, Vus = 8 }, Recorded.Stream(recorded), NullResultSink.Instance, TestContext.Current.CancellationToken);
        Assert.Equal(200, target.Count);
        Assert.Equal(200, target.Arrivals.Select(a => a.PathAndQuery).Distinct().Count());
        Assert.Equal(200, summary.Sent);
        Assert.Equal(200, summary.Endpoints.Single().Count); // /v/{id} templated into one endpoint
    }

    [Fact]
    public async Task Shards_PartitionSessionsExactly()
    {
        await using var target = await CountingTarget.StartAsync();
        var recorded = Enumerable.Range(0, 60).Select(i => Recorded.Request("GET", "/s/" + i, i * 0.001, session: "user" + (i % 13))).ToList();
        var seen = new List<string>();
        for (var shard = 1; shard <= 4; shard++)
        {
            var sink = new ListSink();
            await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Pacing = PacingMode.Vus, Vus = 4, Shard = new ShardSpec(shard, 4) }, Recorded.Stream(recorded), sink, TestContext.Current.CancellationToken);
            Assert.All(sink.Results, r => Assert.Equal($"{shard}/4", r.Tags[WellKnownTags.ReplayShard]));
            seen.AddRange(sink.Results.Select(r => r.Tags[WellKnownTags.ReplayOf]));
        }

        Assert.Equal(recorded.Select(r => r.Id).Order(), seen.Order());
    }

    [Fact]
    public async Task SessionRequests_GoInRecordedOrder()
    {
        await using var target = await CountingTarget.StartAsync(app => app.Use(async (context, nextStep) =>
        {
            if (context.Request.Path == "/slow")
            {
                await Task.Delay(200, context.RequestAborted);
            }

            await nextStep(context);
        }));
        // /fast was sent after /slow's response (recorded 5 ms long); requests recorded overlapping run alongside (OverlappingRequestsTests).
        var recorded = new[] { Recorded.Request("GET", "/slow", 0, session: "s"), Recorded.Request("GET", "/fast", 0.01, session: "s") };
        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Pacing = PacingMode.Rate, Rate = 1000 }, Recorded.Stream(recorded), NullResultSink.Instance, TestContext.Current.CancellationToken);
        Assert.Equal(["/slow", "/fast"], target.Arrivals.Select(a => a.PathAndQuery));
    }

    [Fact]
    public async Task SlowResponse_IsATimeoutError_AfterTheRequestTimeout()
    {
        await using var target = await CountingTarget.StartAsync(app => app.Use(async (context, nextStep) =>
        {
            if (context.Request.Path == "/slow")
            {
                // Never answers: only the replay's request timeout can end this request.
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
            }

            await nextStep(context);
        }));
        var recorded = new[] { Recorded.Request("GET", "/slow", 0), Recorded.Request("GET", "/fast", 0.001) };
        var sink = new ListSink();
        // The timeout applies to /fast too: 2 s, not 400 ms, so a loaded machine's slow answer to it is no timeout.
        var timeout = TimeSpan.FromSeconds(2);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = Replayer.RunAsync(new ReplayOptions { Target = target.Address, Pacing = PacingMode.Vus, Vus = 2, RequestTimeout = timeout }, Recorded.Stream(recorded), sink, stop.Token);
        ReplaySummary summary;
        try
        {
            // Generous for a loaded machine, yet the replay can only finish because the request timed out.
            summary = await run.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
        }

        var slow = Assert.Single(sink.Results, r => r.Request.Url.EndsWith("/slow", StringComparison.Ordinal));
        Assert.Equal(ExchangeErrorKind.Timeout, slow.Error?.Kind);
        // Runtime timers run on a coarse tick and may fire up to one kernel tick (10 ms at HZ=100) plus millisecond truncation early.
        Assert.True(slow.Duration >= timeout - TimeSpan.FromMilliseconds(20), $"timed out after {slow.Duration}");
        Assert.Null(Assert.Single(sink.Results, r => r.Request.Url.EndsWith("/fast", StringComparison.Ordinal)).Error);
        Assert.Equal(1, summary.ErrorsByKind[ExchangeErrorKind.Timeout]);
    }

    [Fact]
    public async Task OneVirtualUser_AfterATimeout_SendsItsNextRequestsOnAFreshConnectionWithAFreshTimeout()
    {
        // One VU keeps its timeout slot and keep-alive connection between requests: after its first request
        // timed out (slot fired, connection aborted) the next ones must neither be cancelled nor use that connection,
        // and the two that follow share the VU's new connection.
        var connections = new System.Collections.Concurrent.ConcurrentQueue<(string Path, string Connection)>();
        await using var target = await CountingTarget.StartAsync(app => app.Use(async (context, nextStep) =>
        {
            connections.Enqueue((context.Request.Path.Value ?? string.Empty, context.Connection.Id));
            if (context.Request.Path == "/slow")
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
            }

            await nextStep(context);
        }));
        var recorded = new[] { Recorded.Request("GET", "/slow", 0), Recorded.Request("GET", "/fast", 0.001), Recorded.Request("GET", "/fast", 0.002) };
        var sink = new ListSink();
        // The timeout applies to the /fast requests too: 2 s, not 300 ms, so a loaded machine's slow answer is no timeout.
        var timeout = TimeSpan.FromSeconds(2);
        var summary = await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Pacing = PacingMode.Vus, Vus = 1, RequestTimeout = timeout }, Recorded.Stream(recorded), sink, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);

        Assert.Equal(ExchangeErrorKind.Timeout, Assert.Single(sink.Results, r => r.Request.Url.EndsWith("/slow", StringComparison.Ordinal)).Error?.Kind);
        var fast = sink.Results.Where(r => r.Request.Url.EndsWith("/fast", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, fast.Count);
        Assert.All(fast, r => Assert.Null(r.Error));
        Assert.All(fast, r => Assert.Equal(200, r.Response?.Status));
        Assert.Equal(1, summary.ErrorsByKind[ExchangeErrorKind.Timeout]);
        var seen = connections.ToList();
        var slowConnection = Assert.Single(seen, c => c.Path == "/slow").Connection;
        var fastConnections = seen.Where(c => c.Path == "/fast").Select(c => c.Connection).ToList();
        Assert.Equal(2, fastConnections.Count);
        Assert.DoesNotContain(slowConnection, fastConnections);
        Assert.Equal(fastConnections[0], fastConnections[1]);
    }
}
