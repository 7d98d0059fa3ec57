using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Reprise.Core.Model;
using Reprise.Mock.Serving;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Serving;

public sealed class MockServerTests
{
    [Fact]
    public async Task Serve_CreateReadDelete_SequenceInRecordedOrder()
    {
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [
            MockFixtures.Get("https://items.test/items/1", """{"error":"not found"}""", 404, offsetMs: 0),
            MockFixtures.Send("POST", "https://items.test/items", """{"name":"pen"}""", """{"id":1,"name":"pen"}""", 201, offsetMs: 10),
            MockFixtures.Get("https://items.test/items/1", """{"id":1,"name":"pen"}""", 200, offsetMs: 20),
            MockFixtures.Send("DELETE", "https://items.test/items/1", "", "", 204, offsetMs: 30) with { Request = new ExchangeRequest { Method = "DELETE", Url = "https://items.test/items/1" } },
            MockFixtures.Get("https://items.test/items/1", """{"error":"not found"}""", 404, offsetMs: 40),
        ]);
        await using (server)
        {
            var ct = TestContext.Current.CancellationToken;
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/items/1", ct)).StatusCode);
            var created = await client.PostAsync("/items", new StringContent("""{ "name": "pen" }""", System.Text.Encoding.UTF8, "application/json"), ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal("""{"id":1,"name":"pen"}""", await created.Content.ReadAsStringAsync(ct));
            var read = await client.GetAsync("/items/1", ct);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/items/1", ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/items/1", ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/items/1", ct)).StatusCode); // repeat last
            Assert.Equal(0, server.Journal.MissCount);
        }
    }

    [Fact]
    public async Task Miss_Returns404WithNearestCandidatesAndDifferences()
    {
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [
            MockFixtures.Get("https://api.test/products?category=tea&page=1", """{"p":1}"""),
            MockFixtures.Get("https://api.test/orders/5", """{"o":5}"""),
        ], o => o with { MissStatus = 418 });
        await using (server)
        {
            var ct = TestContext.Current.CancellationToken;
            var response = await client.GetAsync("/products?category=coffee&page=1&sort=price", ct);
            Assert.Equal((HttpStatusCode)418, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var nearest = json.RootElement.GetProperty("nearest")[0];
            Assert.Equal("GET https://api.test/products?category=tea&page=1", nearest.GetProperty("request").GetString());
            var differences = nearest.GetProperty("differences").EnumerateArray().Select(d => d.GetString()).ToList();
            Assert.Contains("query.category: 'coffee' (recorded 'tea')", differences);
            Assert.Contains("query.sort: not in the recorded request", differences);
            Assert.Equal(1, server.Journal.MissCount);
            var requests = await client.GetFromJsonAsync<JsonElement>("/_reprise/mock/requests", ct);
            Assert.Equal(1, requests.GetProperty("misses").GetInt32());
            Assert.Equal("none", requests.GetProperty("requests")[0].GetProperty("match").GetString());
        }
    }

    [Fact]
    public async Task Health_Answers200()
    {
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("https://api.test/x")]);
        await using (server)
        {
            var response = await client.GetAsync("/_reprise/health", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Reload_RecordingRewritten_ServesNewResponses()
    {
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("https://api.test/v", """{"v":1}""")], o => o with { Watch = true, ReloadDebounce = TimeSpan.FromMilliseconds(100) });
        await using (server)
        {
            var ct = TestContext.Current.CancellationToken;
            Assert.Equal("""{"v":1}""", await client.GetStringAsync("/v", ct));
            var temp = dir.File("next.reprise.jsonl");
            await Exchanges.WriteRecordingAsync(temp, [MockFixtures.Get("https://api.test/v", """{"v":2}""")]);
            File.Move(temp, dir.File("deps.reprise.jsonl"), overwrite: true);
            var deadline = DateTime.UtcNow.AddSeconds(15);
            string body;
            do
            {
                await Task.Delay(100, ct);
                body = await client.GetStringAsync("/v", ct);
            }
            while (body != """{"v":2}""" && DateTime.UtcNow < deadline);
            Assert.Equal("""{"v":2}""", body);
            Assert.True(server.Reloads >= 1);
        }
    }

    [Fact]
    public async Task Reload_BrokenFile_KeepsServingPrevious()
    {
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("https://api.test/v", """{"v":1}""")]);
        await using (server)
        {
            await File.WriteAllTextAsync(dir.File("deps.reprise.jsonl"), "not a recording\n", TestContext.Current.CancellationToken);
            await server.ReloadAsync();
            Assert.Equal("""{"v":1}""", await client.GetStringAsync("/v", TestContext.Current.CancellationToken));
            Assert.Equal(0, server.Reloads);
        }
    }

    [Fact]
    public async Task Reload_RecordedJsonBodyWithInvalidUtf8_Reloads()
    {
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("https://api.test/v", """{"v":1}""")]);
        await using (server)
        {
            var post = MockFixtures.Send("POST", "https://api.test/p", "{}");
            post = post with { Request = post.Request with { Body = ExchangeBody.FromBytes(System.Text.Encoding.Latin1.GetBytes("{\"name\":\"a\xFF\"}"), "application/json") } };
            var temp = dir.File("next.reprise.jsonl");
            await Exchanges.WriteRecordingAsync(temp, [MockFixtures.Get("https://api.test/v", """{"v":2}"""), post]);
            File.Move(temp, dir.File("deps.reprise.jsonl"), overwrite: true);
            await server.ReloadAsync();
            Assert.Equal(1, server.Reloads);
            Assert.Equal("""{"v":2}""", await client.GetStringAsync("/v", TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Start_UpstreamFailuresTheRecorderAnswered_WarnedAndNotServed()
    {
        using var dir = new TempDir();
        var path = dir.File("deps.reprise.jsonl");
        var down = MockFixtures.Get("https://api.test/rates", """{"error":"upstream unreachable"}""") with
        {
            Response = new ExchangeResponse { Status = 502, Headers = [new("Content-Type", "application/json")], Body = ExchangeBody.FromText("""{"error":"upstream unreachable"}""", "application/json") },
            Error = new ExchangeError(ExchangeErrorKind.Connect, "connection refused"),
        };
        await Exchanges.WriteRecordingAsync(path, [down, MockFixtures.Get("https://api.test/rates", """{"eur":1.1}""")]);
        var warnings = new List<string>();

        await using var server = await MockServer.StartAsync(new MockServerOptions { RecordingPath = path, Watch = false }, onWarning: warnings.Add, cancellationToken: TestContext.Current.CancellationToken);
        using var client = new HttpClient { BaseAddress = server.Address };

        var warning = Assert.Single(warnings);
        Assert.Contains("1 outbound exchange(s) recorded an upstream failure", warning, StringComparison.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("""{"eur":1.1}""", await client.GetStringAsync("/rates", TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Start_InboundOnlyRecording_FailsWithOneLine()
    {
        using var dir = new TempDir();
        var path = dir.File("in.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(path, [Exchanges.Get("https://svc.test/x")]);
        var ex = await Assert.ThrowsAsync<MockSetupException>(() => MockServer.StartAsync(new MockServerOptions { RecordingPath = path, Watch = false }, cancellationToken: TestContext.Current.CancellationToken));
        var line = Assert.Single(ex.Errors);
        Assert.Contains("only inbound", line, StringComparison.Ordinal);
        Assert.Contains("--direction inbound", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_DirectionInbound_StandsInForRecordedService()
    {
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [Exchanges.Get("https://svc.test/api/status", """{"up":true}""")], o => o with { Index = o.Index with { Direction = Direction.Inbound } });
        await using (server)
        {
            Assert.Equal("""{"up":true}""", await client.GetStringAsync("/api/status", TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Serve_Http2PriorKnowledge_Works()
    {
        using var dir = new TempDir();
        var (server, _) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("https://api.test/v", """{"v":1}""")], o => o with { H2cListen = new IPEndPoint(IPAddress.Loopback, 0) });
        await using (server)
        {
            using var client = new HttpClient { BaseAddress = server.H2cAddress, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
            var response = await client.GetAsync("/v", TestContext.Current.CancellationToken);
            Assert.Equal(HttpVersion.Version20, response.Version);
            Assert.Equal("""{"v":1}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Serve_MainListener_SpeaksHttp11AndH2cOnOnePort()
    {
        using var dir = new TempDir();
        var (server, _) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("https://api.test/v", """{"v":1}""")]);
        await using (server)
        {
            using var h2 = new HttpClient { BaseAddress = server.Address, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
            var viaH2 = await h2.GetAsync("/v", TestContext.Current.CancellationToken);
            Assert.Equal(HttpVersion.Version20, viaH2.Version);
            Assert.Equal("""{"v":1}""", await viaH2.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

            using var h1 = new HttpClient { BaseAddress = server.Address };
            var viaH1 = await h1.GetAsync("/v", TestContext.Current.CancellationToken);
            Assert.Equal(HttpVersion.Version11, viaH1.Version);
            Assert.Equal("""{"v":1}""", await viaH1.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Serve_Http2StreamedPutAndPatchBodies_AreMatched()
    {
        using var dir = new TempDir();
        var (server, _) = await MockFixtures.StartAsync(dir, [
            MockFixtures.Send("PUT", "https://api.test/items/1", """{"name":"a"}""", """{"put":"a"}"""),
            MockFixtures.Send("PUT", "https://api.test/items/1", """{"name":"b"}""", """{"put":"b"}"""),
            MockFixtures.Send("PATCH", "https://api.test/items/1", """{"name":"a"}""", """{"patch":"a"}"""),
            MockFixtures.Send("PATCH", "https://api.test/items/1", """{"name":"b"}""", """{"patch":"b"}"""),
        ], o => o with { H2cListen = new IPEndPoint(IPAddress.Loopback, 0) });
        await using (server)
        {
            using var client = new HttpClient { BaseAddress = server.H2cAddress, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
            foreach (var method in new[] { "PUT", "PATCH" })
            {
                foreach (var name in new[] { "b", "a" })
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), "/items/1") 
                    {
                        Content = new StreamedJson($$"""{"name":"{{name}}"}"""),
                        Version = HttpVersion.Version20,
                        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                    };
                    using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
                    Assert.Equal(HttpVersion.Version20, response.Version);
                    Assert.Equal($$"""{"{{method.ToLowerInvariant()}}":"{{name}}"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                }
            }
        }
    }

    /// <summary>A body of unknown length: HTTP/2 sends it as DATA frames with no Content-Length.</summary>
    private sealed class StreamedJson(string json) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(json)).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
