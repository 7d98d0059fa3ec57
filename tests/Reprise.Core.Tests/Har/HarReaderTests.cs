using System.Text;
using Reprise.Core.Har;
using Reprise.Core.Model;
using Reprise.Core.Recording;
using Reprise.Testing;
using Xunit;

namespace Reprise.Core.Tests.Har;

public sealed class HarReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Read_ChromeExport_MapsEveryEntry()
    {
        var exchanges = await Read(Path.Combine(AppContext.BaseDirectory, "TestData", "shop.har"));

        Assert.Equal(24, exchanges.Count);
        Assert.All(exchanges, e => Assert.Equal(Direction.Inbound, e.Direction));
        var graphql = Assert.Single(exchanges, e => e.Protocol == Protocol.GraphQL);
        Assert.Equal("Recommendations", graphql.Tags["graphql.operation"]);
        var png = Assert.Single(exchanges, e => e.Request.Url.EndsWith(".png", StringComparison.Ordinal));
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], png.Response!.Body!.Content[..4].ToArray());
        var failed = Assert.Single(exchanges, e => e.Response is null);
        Assert.Contains("ERR_CONNECTION_RESET", failed.Error!.Message, StringComparison.Ordinal);
        Assert.Equal("xhr", exchanges[0].Tags["har.resourceType"]);
        Assert.Equal(Protocol.Http2, exchanges[0].Protocol);
    }

    [Fact]
    public async Task Read_MinimalFirefoxStyleEntry_FillsDefaults()
    {
        var path = await Har("""
            {"log":{"version":"1.2","creator":{"name":"Firefox","version":"133"},"entries":[
              {"startedDateTime":"2026-03-01T10:00:00.000+01:00","time":12.5,
               "request":{"method":"GET","url":"http://api.test/v1/users?id=7"},
               "response":{"status":200,"content":{"mimeType":"application/json","text":"{\"id\":7}"}}}
            ]}}
            """);

        var exchange = Assert.Single(await Read(path));

        Assert.Equal("HTTP/1.1", exchange.Request.Version);
        Assert.Empty(exchange.Request.Headers);
        Assert.Equal("api.test", exchange.Service);
        Assert.Equal(TimeSpan.FromMilliseconds(12.5), exchange.Duration);
        Assert.Equal(TimeSpan.FromHours(1), exchange.StartedAt.Offset);
        Assert.Equal("{\"id\":7}", exchange.Response!.Body!.Text);
    }

    [Fact]
    public async Task Read_PostmanStyleParamsAndCookies_BuildsBodyAndCookieHeader()
    {
        var path = await Har("""
            {"log":{"entries":[{"startedDateTime":"2026-03-01T10:00:00Z","time":1,
              "request":{"method":"POST","url":"http://a.test/login","httpVersion":"HTTP/1.1","headers":[],
                "cookies":[{"name":"sid","value":"abc"}],
                "postData":{"mimeType":"application/x-www-form-urlencoded","params":[{"name":"user","value":"a b"},{"name":"pw","value":"x&y"}]}},
              "response":{"status":302,"statusText":"Found","headers":[{"name":"Location","value":"/home"}],"content":{"size":0,"mimeType":""}}}]}}
            """);

        var exchange = Assert.Single(await Read(path));

        Assert.Equal("user=a%20b&pw=x%26y", exchange.Request.Body!.Text);
        Assert.Equal("sid=abc", exchange.Request.Headers.Get("cookie"));
        Assert.Equal("Found", exchange.Response!.Reason);
        Assert.Null(exchange.Response.Body);
    }

    [Fact]
    public async Task Read_OutboundWithService_AppliesOptions()
    {
        var path = await Har("""{"log":{"entries":[{"startedDateTime":"2026-03-01T10:00:00Z","request":{"method":"GET","url":"https://pay.test/x"},"response":{"status":204}}]}}""");
        var exchange = Assert.Single(await Read(path, new HarImportOptions { Direction = Direction.Outbound, Service = "payments" }));
        Assert.Equal(Direction.Outbound, exchange.Direction);
        Assert.Equal("payments", exchange.Service);
    }

    [Fact]
    public async Task Read_TraceparentHeader_LinksTrace()
    {
        var path = await Har("""{"log":{"entries":[{"startedDateTime":"2026-03-01T10:00:00Z","request":{"method":"GET","url":"https://a.test/","headers":[{"name":"traceparent","value":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}]},"response":{"status":200}}]}}""");
        var exchange = Assert.Single(await Read(path));
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", exchange.TraceId);
        Assert.Equal("b7ad6b7169203331", exchange.ParentId);
    }

    [Fact]
    public async Task Read_SameFileTwice_GivesSameIds()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "shop.har");
        Assert.Equal((await Read(path)).Select(e => e.Id), (await Read(path)).Select(e => e.Id));
    }

    [Fact]
    public async Task Read_EntryLargerThanBuffer_IsStreamed()
    {
        var big = new string('z', 3_000_000);
        var path = await Har("""{"log":{"pages":[],"entries":[{"startedDateTime":"2026-03-01T10:00:00Z","request":{"method":"GET","url":"https://a.test/big"},"response":{"status":200,"content":{"mimeType":"text/plain","text":"""
            + "\"" + big + "\""
            + """}}},{"startedDateTime":"2026-03-01T10:00:01Z","request":{"method":"GET","url":"https://a.test/small"},"response":{"status":200}}],"comment":"after"}}""");
        var exchanges = await Read(path);
        Assert.Equal(2, exchanges.Count);
        Assert.Equal(3_000_000, exchanges[0].Response!.Body!.Content.Length);
    }

    [Theory]
    [InlineData("""{"log":{"version":"1.2","entries":[]}}""", "HAR has no entries")]
    [InlineData("""{"log":{"version":"1.2"}}""", "no 'log.entries' array")]
    [InlineData("""{"notlog":1}""", "no 'log' object")]
    [InlineData("""[1,2]""", "not a HAR file")]
    [InlineData("""{"log":{"entries":[{"startedDateTime":"2026-03-01T10:00:00Z","request":{"url":"x"}}]}}""", "log.entries[0]: request has no 'method'")]
    [InlineData("""{"log":{"entries":[{"startedDateTime":"2026""", "truncated HAR")]
    [InlineData("not json at all", "not valid JSON")]
    public async Task Read_BadHar_OneLineErrorNamingTheProblem(string text, string expected)
    {
        var path = await Har(text);
        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => Read(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private async Task<string> Har(string text)
    {
        var path = _dir.File($"{Guid.NewGuid():N}.har");
        await File.WriteAllTextAsync(path, text, Encoding.UTF8);
        return path;
    }

    private static async Task<List<Exchange>> Read(string path, HarImportOptions? options = null)
    {
        var list = new List<Exchange>();
        await foreach (var exchange in new HarReader(path, options).ReadAsync(TestContext.Current.CancellationToken))
        {
            list.Add(exchange);
        }

        return list;
    }
}
