using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.Logging;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Mock.Matching;
using Reprise.Mock.Serving;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Serving;

/// <summary>A HEAD answered from a recorded GET only looks at the GET's sequence, and a redactor failure on the way answers 500.</summary>
public sealed class HeadFromGetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HeadFromRecordedGet_ReuseOnce_DoesNotUseUpTheGet()
    {
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("https://api.test/doc", """{"v":1}""")], o => o with { Index = o.Index with { Reuse = ReusePolicy.Once } });
        await using (server)
        {
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/doc"), Ct);
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);

            using var get = await client.GetAsync("/doc", Ct);
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal("""{"v":1}""", await get.Content.ReadAsStringAsync(Ct));

            using var again = await client.GetAsync("/doc", Ct);
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }
    }

    [Fact]
    public async Task RecordedHead_AnswersTheRecordedContentLength()
    {
        // curl -I on a 1.4 MB download: the recorded HEAD has no body and Content-Length: 1439273.
        var recorded = MockFixtures.Get("https://api.test/big.json");
        recorded = recorded with
        {
            Request = recorded.Request with { Method = "HEAD" },
            Response = recorded.Response! with { Headers = [new("Content-Type", "application/json"), new("Content-Length", "1439273")], Body = null },
        };
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [recorded]);
        await using (server)
        {
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/big.json"), Ct);
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(1439273, head.Content.Headers.ContentLength);
        }
    }

    [Fact]
    public async Task HeadFromRecordedGet_RedactorFailsOnTheGetForm_Answers500WithOneLogLine()
    {
        var logs = new TruncatedBodyTests.ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var dir = new TempDir();
        var recorded = MockFixtures.Get("https://api.test/doc", """{"v":1}""") with { Redactions = ImmutableArray.Create(new Redaction("request.url", "email", "tokenize")) };
        var path = dir.File("deps.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(path, [recorded]);
        await using var server = await MockServer.StartAsync(new MockServerOptions { RecordingPath = path, Watch = false, Redactor = new GetFailingRedactor() }, loggerFactory, cancellationToken: Ct);
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/doc"), Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, head.StatusCode);
        Assert.Contains(logs.Messages, m => m.Contains("could not be redacted", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("detector bug", StringComparison.Ordinal));
        Assert.Equal(0, server.Journal.ServedCount + server.Journal.MissCount);
    }

    /// <summary>Redacts HEAD requests fine and fails on GET ones (the form a HEAD is retried as).</summary>
    private sealed class GetFailingRedactor : IExchangeRedactor
    {
        public string PolicyName => "broken-get";

        public string PolicyDigest => "sha256:broken-get";

        public Exchange Redact(Exchange exchange) =>
            exchange.Request.Method == "GET" ? throw new InvalidOperationException("detector bug") : exchange;
    }
}
