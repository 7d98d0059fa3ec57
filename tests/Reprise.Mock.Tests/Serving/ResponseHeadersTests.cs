using System.Net;
using Microsoft.Extensions.Time.Testing;
using Reprise.Core.Model;
using Reprise.Mock.Serving;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Serving;

/// <summary>What the mock adds to or changes in recorded response headers: the loose-match header, the Date, HEAD.</summary>
public sealed class ResponseHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Fact]
    public async Task ExactMatch_HasNoMatchHeader()
    {
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("https://api.test/users?q=ada", """{"name":"Ada"}""")]);
        await using (server)
        {
            var response = await client.GetAsync("/users?q=ada", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains(MockRequestHandler.MatchHeader));
        }
    }

    [Fact]
    public async Task NearestMatch_SaysSoWithTheScore()
    {
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("https://api.test/users?q=ada&page=1&size=10", """{"name":"Ada"}""")]);
        await using (server)
        {
            var response = await client.GetAsync("/users?q=zed&page=1&size=10", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var value = Assert.Single(response.Headers.GetValues(MockRequestHandler.MatchHeader));
            var match = System.Text.RegularExpressions.Regex.Match(value, @"^nearest; score=(0\.\d{1,2}|1)$");
            Assert.True(match.Success, value);
            var score = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(score, 0.75, 0.99);
        }
    }

    [Fact]
    public async Task VolatileMatch_SaysSo()
    {
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("https://api.test/feed?since=1&cursor=a", "[]")], o => o with { Volatile = ["query.cursor"] });
        await using (server)
        {
            var response = await client.GetAsync("/feed?since=1&cursor=b", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("volatile", Assert.Single(response.Headers.GetValues(MockRequestHandler.MatchHeader)));
        }
    }

    [Fact]
    public async Task CorsPreflight_EchoedOrigin_IsTheLiveOrigin_AFixedOneIsKept()
    {
        // mock QA (Flask CORS preflight answering Access-Control-Allow-Origin with the request's Origin): the mock sent the
        // recorded https://app.test to a preflight from https://other.test, which a browser refuses.
        // The host is seen echoing https://other.test (a list of allowed origins), so a preflight recorded from
        // https://app.test answers https://other.test with its own origin; an origin never seen allowed is not echoed.
        using var dir = new TempDir();
        var preflight = Preflight("https://api.test/cors", "https://app.test", "https://app.test");
        var admin = Preflight("https://api.test/cors2", "https://other.test", "https://other.test", offsetMs: 3);
        var fixedOrigin = MockFixtures.Get("https://api.test/fixed", offsetMs: 5);
        fixedOrigin = fixedOrigin with { Response = fixedOrigin.Response! with { Headers = [new("Content-Type", "application/json"), new("Access-Control-Allow-Origin", "https://app.test")] } };
        var (server, client) = await MockFixtures.StartAsync(dir, [preflight, admin, fixedOrigin]);
        await using (server)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/cors");
            request.Headers.Add("Origin", "https://other.test");
            request.Headers.Add("Access-Control-Request-Method", "PUT");
            var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Equal("https://other.test", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));

            using var get = new HttpRequestMessage(HttpMethod.Get, "/fixed");
            get.Headers.Add("Origin", "https://other.test");
            var kept = await client.SendAsync(get, TestContext.Current.CancellationToken);
            Assert.Equal("https://app.test", Assert.Single(kept.Headers.GetValues("Access-Control-Allow-Origin"))); // recorded without Origin: not an echo

            // Review: two echoed origins made any third one echoed too (https://evil.test with credentials allowed).
            using var evil = new HttpRequestMessage(HttpMethod.Options, "/cors");
            evil.Headers.Add("Origin", "https://evil.test");
            evil.Headers.Add("Access-Control-Request-Method", "PUT");
            var refused = await client.SendAsync(evil, TestContext.Current.CancellationToken);
            Assert.NotEqual("https://evil.test", Assert.Single(refused.Headers.GetValues("Access-Control-Allow-Origin")));
        }
    }

    [Fact]
    public async Task Cors_HostSeenEchoingOneOriginOnly_KeepsItForAnotherLiveOrigin()
    {
        // review: a server allowing only https://app.example.com, recorded from that app, answers ACAO == Origin every
        // time; the mock echoed https://evil.test too, even with credentials allowed, so a "disallowed origin is refused"
        // test passed against the mock.
        using var dir = new TempDir();
        Exchange[] recorded =
        [
            Preflight("https://api.test/account", "https://app.example.com", "https://app.example.com", credentials: true),
            Preflight("https://api.test/orders", "https://app.example.com", "https://app.example.com", offsetMs: 5, credentials: true),
        ];
        var (server, client) = await MockFixtures.StartAsync(dir, recorded);
        await using (server)
        {
            using var evil = new HttpRequestMessage(HttpMethod.Options, "/account");
            evil.Headers.Add("Origin", "https://evil.test");
            evil.Headers.Add("Access-Control-Request-Method", "PUT");
            var refused = await client.SendAsync(evil, TestContext.Current.CancellationToken);
            Assert.Equal("https://app.example.com", Assert.Single(refused.Headers.GetValues("Access-Control-Allow-Origin")));

            using var app = new HttpRequestMessage(HttpMethod.Options, "/orders");
            app.Headers.Add("Origin", "https://app.example.com");
            app.Headers.Add("Access-Control-Request-Method", "PUT");
            var allowed = await client.SendAsync(app, TestContext.Current.CancellationToken);
            Assert.Equal("https://app.example.com", Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
            Assert.Equal("true", Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Credentials")));
        }
    }

    [Fact]
    public void EchoedOrigin_OnlyAnOriginTheHostWasSeenEchoing()
    {
        var one = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "https://app.test" };
        var two = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "https://app.test", "https://admin.test" };
        Assert.Null(MockRequestHandler.EchoedOrigin("https://app.test", "https://app.test", "https://evil.test", one));
        Assert.Equal("https://APP.test", MockRequestHandler.EchoedOrigin("https://app.test", "https://app.test", "https://APP.test", one));
        Assert.Equal("https://admin.test", MockRequestHandler.EchoedOrigin("https://app.test", "https://app.test", "https://admin.test", two));
        Assert.Null(MockRequestHandler.EchoedOrigin("https://app.test", "https://app.test", "https://new.test", two));
        Assert.Null(MockRequestHandler.EchoedOrigin("*", "https://app.test", "https://new.test", two));
        Assert.Null(MockRequestHandler.EchoedOrigin("https://app.test", null, "https://new.test", two)); // recorded without Origin: not an echo
    }

    private static Exchange Preflight(string url, string origin, string allowed, int offsetMs = 0, bool credentials = false)
    {
        var preflight = MockFixtures.Send("OPTIONS", url, "", "", 204, headers: [new("Origin", origin), new("Access-Control-Request-Method", "PUT")], offsetMs: offsetMs);
        List<HeaderField> headers = [new("Access-Control-Allow-Origin", allowed), new("Access-Control-Allow-Methods", "GET, PUT"), new("Vary", "Origin")];
        if (credentials)
        {
            headers.Add(new("Access-Control-Allow-Credentials", "true"));
        }

        return preflight with { Request = preflight.Request with { Body = null }, Response = preflight.Response! with { Body = null, Headers = [.. headers] } };
    }

    [Fact]
    public async Task CompressedRecording_ServedDecodedToAClientThatDidNotAskForGzip()
    {
        // record --no-redact keeps the wire bytes: an Express app behind compression() answered a browser in gzip.
        var json = """{"user":"alice","items":[1,2,3]}"""u8.ToArray();
        var (recorded, gzipped) = Gzipped("https://api.test/me", json);
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [recorded]);
        await using (server)
        {
            // curl without --compressed, HttpClient without AutomaticDecompression: no Accept-Encoding.
            var plain = await client.GetAsync("/me", TestContext.Current.CancellationToken);
            Assert.Empty(plain.Content.Headers.ContentEncoding);
            Assert.Equal(json, await plain.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
            Assert.Equal(json.Length, plain.Content.Headers.ContentLength);

            using var asks = new HttpRequestMessage(HttpMethod.Get, "/me");
            asks.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br");
            var compressed = await client.SendAsync(asks, TestContext.Current.CancellationToken);
            Assert.Equal("gzip", Assert.Single(compressed.Content.Headers.ContentEncoding));
            Assert.Equal(gzipped, await compressed.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task CompressedRecording_WithARouteTemplate_IsEditedDecoded()
    {
        // A `set:` edit or shiftDates ran on the gzip bytes: the JSON path was never found and the client that asked
        // for gzip got the recorded value.
        var (recorded, _) = Gzipped("https://api.test/users/1", """{"id":1,"name":"alice"}"""u8.ToArray());
        using var dir = new TempDir();
        var config = dir.File("mock.yaml");
        await File.WriteAllTextAsync(config, """
            routes:
              - method: GET
                path: /users/*
                set:
                  $.id: "{{request.path[1]}}"
            """, TestContext.Current.CancellationToken);
        var (server, client) = await MockFixtures.StartAsync(dir, [recorded], o => o with { ConfigPath = config });
        await using (server)
        {
            using var asks = new HttpRequestMessage(HttpMethod.Get, "/users/42");
            asks.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
            var response = await client.SendAsync(asks, TestContext.Current.CancellationToken);

            Assert.Empty(response.Content.Headers.ContentEncoding);
            Assert.Equal("""{"id":42,"name":"alice"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }

    /// <summary>A GET recorded with --no-redact from an app behind compression(): the wire's gzip bytes.</summary>
    private static (Core.Model.Exchange Recorded, byte[] Gzipped) Gzipped(string url, byte[] json)
    {
        using var gzipped = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(gzipped, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(json);
        }

        var recorded = MockFixtures.Get(url);
        var bytes = gzipped.ToArray();
        return (recorded with
        {
            Response = recorded.Response! with
            {
                Headers = [new("Content-Type", "application/json"), new("Content-Encoding", "gzip"), new("Vary", "Accept-Encoding")],
                Body = Core.Model.ExchangeBody.FromBytes(bytes, "application/json"),
            },
        }, bytes);
    }

    [Theory]
    [InlineData("", "gzip", false)]
    [InlineData("gzip, deflate, br", "gzip", true)]
    [InlineData("br;q=1.0, gzip;q=0", "gzip", false)]
    [InlineData("*", "br", true)]
    [InlineData("gzip", "gzip, br", false)]
    [InlineData("identity", "identity", true)]
    [InlineData("gzip;q=0, *", "gzip", false)]
    [InlineData("*;q=0, gzip", "gzip", true)]
    [InlineData("GZIP; Q=0.5", "gzip", true)]
    [InlineData("gzip;q=0.000", "gzip", false)]
    [InlineData("x-gzip", "gzip", true)]
    public void AcceptsCoding_FollowsAcceptEncoding(string accept, string coding, bool expected) =>
        Assert.Equal(expected, MockRequestHandler.AcceptsCoding(accept.Length == 0 ? default : new Microsoft.Extensions.Primitives.StringValues(accept), coding));

    [Fact]
    public void AcceptsCoding_AllocatesNothing()
    {
        // It runs on every request for a compressed recording.
        var accept = new Microsoft.Extensions.Primitives.StringValues("gzip, deflate;q=0.5, br;q=1.0, zstd");
        Assert.True(MockRequestHandler.AcceptsCoding(accept, "gzip, br"));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            MockRequestHandler.AcceptsCoding(accept, "gzip, br");
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task Date_IsTheCurrentDate_UnlessTheRecordedOneIsAskedFor()
    {
        var recorded = MockFixtures.Get("https://api.test/x");
        recorded = recorded with { Response = recorded.Response! with { Headers = [new("Content-Type", "application/json"), new("Date", "Thu, 01 Jan 2026 12:00:00 GMT")] } };
        using (var dir = new TempDir())
        {
            var (server, client) = await MockFixtures.StartAsync(dir, [recorded], o => o with { Time = new FakeTimeProvider(Now) });
            await using (server)
            {
                var response = await client.GetAsync("/x", TestContext.Current.CancellationToken);
                Assert.Equal(Now, response.Headers.Date);
                Assert.Single(response.Headers.GetValues("Date"));
            }
        }

        using (var dir = new TempDir())
        {
            var (server, client) = await MockFixtures.StartAsync(dir, [recorded], o => o with { Time = new FakeTimeProvider(Now), RecordedDate = true });
            await using (server)
            {
                var response = await client.GetAsync("/x", TestContext.Current.CancellationToken);
                Assert.Equal(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero), response.Headers.Date);
            }
        }
    }

    [Fact]
    public async Task Head_ForARecordedGet_ServesItsHeadersWithoutBody()
    {
        using var dir = new TempDir();
        const string Body = """{"id":7,"name":"pen"}""";
        var (server, client) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("https://api.test/items/7", Body)]);
        await using (server)
        {
            var ct = TestContext.Current.CancellationToken;
            using var head = new HttpRequestMessage(HttpMethod.Head, "/items/7");
            var response = await client.SendAsync(head, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(Body.Length, response.Content.Headers.ContentLength);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync(ct));
            Assert.False(response.Headers.Contains(MockRequestHandler.MatchHeader));

            using var missing = new HttpRequestMessage(HttpMethod.Head, "/other/path/entirely");
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(missing, ct)).StatusCode);
            Assert.Equal(1, server.Journal.ServedCount);
            Assert.Equal(1, server.Journal.MissCount);
        }
    }
}
