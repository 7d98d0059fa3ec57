using System.Net;
using Microsoft.Extensions.Logging;
using Reprise.Core.Model;
using Reprise.Mock.Serving;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Serving;

/// <summary>
/// A recorded 304 or 204 that carries a body (Firefox and Chrome HAR exports keep the cached copy in a 304's
/// <c>content.text</c>) is served the way the server sent it: the status and headers, no body, and no server error.
/// </summary>
public sealed class BodylessStatusTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(304)]
    [InlineData(204)]
    public async Task RecordedBodylessStatusWithBody_Served_StatusWithoutBodyAndNoError(int status)
    {
        var logs = new TruncatedBodyTests.ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Warning));
        using var dir = new TempDir();
        var recorded = MockFixtures.Get("https://site.test/page", "hello world", status);
        recorded = recorded with { Response = recorded.Response! with { Headers = [new HeaderField("ETag", "W/\"b-1\""), new HeaderField("Content-Type", "text/html")] } };
        var path = dir.File("deps.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(path, [recorded]);
        await using var server = await MockServer.StartAsync(new MockServerOptions { RecordingPath = path, Watch = false }, loggerFactory, cancellationToken: Ct);
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };

        using var response = await client.GetAsync("/page", Ct);

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("W/\"b-1\"", response.Headers.ETag?.ToString());
        Assert.DoesNotContain(logs.Messages, m => m.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase));
    }
}
