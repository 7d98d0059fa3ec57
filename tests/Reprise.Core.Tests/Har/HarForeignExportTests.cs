using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reprise.Core.Har;
using Reprise.Core.Model;
using Reprise.Core.Recording;
using Reprise.Testing;
using Xunit;

namespace Reprise.Core.Tests.Har;

/// <summary>
/// Shapes seen in HAR files other tools wrote (Chrome DevTools, Charles, Fiddler, Playwright, BrowserMob, mitmproxy):
/// what HAR carries survives import then export, and what is not an HTTP exchange is not imported as one.
/// </summary>
public sealed class HarForeignExportTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A Chrome-shaped entry: phase timings summing to <c>time</c>, custom fields at entry, request and response level.</summary>
    private const string ChromeShaped = """
        {"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[],"entries":[{
          "_initiator":{"type":"script","stack":{"callFrames":[{"functionName":"send","scriptId":"7","url":"https://cdn.test/app.js","lineNumber":21,"columnNumber":529}]}},
          "_priority":"High","_resourceType":"fetch","_fromCache":"disk","_serverPort":443,
          "_securityDetails":{"protocol":"TLS 1.3","validFrom":1644853133},
          "cache":{},"connection":"4711",
          "request":{"method":"POST","url":"https://api.test/v1/metrics","httpVersion":"http/2.0","_requestTag":"x",
            "headers":[{"name":":authority","value":"api.test"},{"name":"content-type","value":"application/json"}],
            "queryString":[],"cookies":[],"headersSize":-1,"bodySize":9,"postData":{"mimeType":"application/json","text":"{\"a\":1}"}},
          "response":{"status":200,"statusText":"","httpVersion":"http/2.0","headers":[{"name":"content-type","value":"application/json"}],"cookies":[],
            "content":{"size":2,"mimeType":"application/json","text":"{}"},"redirectURL":"","headersSize":-1,"bodySize":-1,
            "_transferSize":73,"_error":null,"_charlesStatus":"COMPLETE"},
          "serverIPAddress":"10.0.0.7","startedDateTime":"2023-07-15T13:37:26.093Z","time":169.796,
          "timings":{"blocked":0.654,"dns":18.781,"ssl":55.379,"connect":96.754,"send":0.319,"wait":53.018,"receive":0.27,"_blocked_queueing":0.408}}]}}
        """;

    [Fact]
    public async Task ImportThenExport_ChromeShapedEntry_KeepsPhaseTimings()
    {
        var entry = await ImportExportEntry(ChromeShaped);

        var timings = entry["timings"]!.AsObject();
        Assert.Equal(55.379, timings["ssl"]!.GetValue<double>());
        Assert.Equal(96.754, timings["connect"]!.GetValue<double>());
        Assert.Equal(53.018, timings["wait"]!.GetValue<double>());
        Assert.Equal(0.408, timings["_blocked_queueing"]!.GetValue<double>());
        Assert.Equal(169.796, entry["time"]!.GetValue<double>(), 3);
    }

    [Fact]
    public async Task ImportThenExport_ChromeShapedEntry_KeepsCustomFieldsAtEveryLevel()
    {
        var entry = await ImportExportEntry(ChromeShaped);

        Assert.Equal("script", entry["_initiator"]!["type"]!.GetValue<string>());
        Assert.Equal(529, entry["_initiator"]!["stack"]!["callFrames"]![0]!["columnNumber"]!.GetValue<int>());
        Assert.Equal("disk", entry["_fromCache"]!.GetValue<string>());
        Assert.Equal(443, entry["_serverPort"]!.GetValue<int>());
        Assert.Equal("TLS 1.3", entry["_securityDetails"]!["protocol"]!.GetValue<string>());
        Assert.Equal("x", entry["request"]!["_requestTag"]!.GetValue<string>());
        Assert.Equal(73, entry["response"]!["_transferSize"]!.GetValue<int>());
        Assert.Equal("COMPLETE", entry["response"]!["_charlesStatus"]!.GetValue<string>());
        Assert.True(entry["response"]!.AsObject().ContainsKey("_error"));
        Assert.Equal("fetch", entry["_resourceType"]!.GetValue<string>());
    }

    [Fact]
    public async Task ImportThenExport_ExportedAgain_IsTheSameHar()
    {
        // Reprise's own HAR (with _reprise) read back and written again: nothing drifts (no duplicate fields either).
        var once = await ImportExportText(ChromeShaped);
        var twice = await ImportExportText(once);

        Assert.Equal(Normalize(once), Normalize(twice));
    }

    [Fact]
    public async Task Export_DurationChangedSinceImport_WritesTimingsThatSumToIt()
    {
        // A replay result or an edited recording has its own duration: the recorded phases no longer describe it.
        var path = await Har(ChromeShaped);
        var exchange = Assert.Single(await Read(path));
        exchange = exchange with { Duration = TimeSpan.FromMilliseconds(12) };

        var entry = await ExportEntry(exchange);

        var timings = entry["timings"]!.AsObject();
        Assert.Equal(12, timings["wait"]!.GetValue<double>());
        Assert.False(timings.ContainsKey("ssl"));
    }

    [Fact]
    public async Task Import_CustomFieldLargerThanTheCap_IsNotKept()
    {
        var big = new string('f', HarEntryMapper.MaxKeptFieldChars);
        var path = await Har(ChromeShaped.Replace("\"_fromCache\":\"disk\"", "\"_fromCache\":\"" + big + "\"", StringComparison.Ordinal));

        var exchange = Assert.Single(await Read(path));

        Assert.DoesNotContain(exchange.Tags.Keys, k => k.EndsWith("_fromCache", StringComparison.Ordinal));
        Assert.Contains(exchange.Tags.Keys, k => k.EndsWith("_serverPort", StringComparison.Ordinal));
    }

    /// <summary>
    /// BrowserMob and other proxies list the CONNECT that opened each TLS tunnel as an entry (status 0 when the tunnel
    /// failed). It is not an HTTP exchange: replaying it would send CONNECT to the target. Skipped like data: URLs.
    /// </summary>
    [Fact]
    public async Task Read_ConnectTunnelEntries_SkippedWithOneWarning()
    {
        static string Entry(string method, string url, int status) =>
            $$$"""{"startedDateTime":"2020-09-08T14:10:25.924+05:30","time":474,"request":{"method":"{{{method}}}","url":"{{{url}}}","httpVersion":"HTTP/1.1","headers":[]},"response":{"status":{{{status}}},"httpVersion":"unknown","headers":[],"content":{"size":0,"mimeType":""},"_error":"Unable to connect to host"},"timings":{"connect":472,"wait":-9860836}}""";
        var path = await Har($$$"""{"log":{"version":"1.2","entries":[{{{Entry("CONNECT", "https://configuration.apple.com", 0)}}},{{{Entry("GET", "https://api.test/a", 200)}}},{{{Entry("connect", "https://api.test:443", 0)}}}]}}""");
        var warnings = new List<RecordingWarning>();

        var exchanges = await Read(path, new HarImportOptions { OnWarning = warnings.Add });

        var exchange = Assert.Single(exchanges);
        Assert.Equal("GET", exchange.Request.Method);
        var warning = Assert.Single(warnings);
        Assert.Contains("skipped 2 entries", warning.Message, StringComparison.Ordinal);
        Assert.Contains("CONNECT", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_OnlyConnectTunnelEntries_OneLineError()
    {
        var path = await Har("""{"log":{"version":"1.2","entries":[{"startedDateTime":"2020-09-08T14:10:25.924+05:30","request":{"method":"CONNECT","url":"https://configuration.apple.com"},"response":{"status":0}}]}}""");

        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => Read(path));

        Assert.Contains("no HTTP entries", error.Message, StringComparison.Ordinal);
        Assert.Contains("CONNECT", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Playwright's <c>recordHar({content: 'attach'})</c> stores bodies in files beside the HAR (<c>"_file"</c>); a HAR
    /// copied without them used to import as "the HAR has no body text" with no word of the missing files.
    /// </summary>
    [Fact]
    public async Task Read_AttachmentFilesMissing_OneWarningNamingThem_NoteSaysWhy()
    {
        static string Entry(string file) =>
            $$$$"""{"startedDateTime":"2022-06-10T04:27:32.146Z","time":8.286,"request":{"method":"GET","url":"http://app.test/{{{{file}}}}","headers":[]},"response":{"status":200,"headers":[{"name":"content-length","value":"12"},{"name":"content-type","value":"text/html"}],"content":{"size":12,"mimeType":"text/html","compression":0,"_file":"{{{{file}}}}"}}}""";
        var path = await Har($$$"""{"log":{"version":"1.2","creator":{"name":"Playwright","version":"1.23.0"},"entries":[{{{Entry("a1.txt")}}},{{{Entry("b2.txt")}}},{{{Entry("a1.txt")}}}]}}""");
        var warnings = new List<RecordingWarning>();

        var exchanges = await Read(path, new HarImportOptions { OnWarning = warnings.Add });

        Assert.Equal(3, exchanges.Count);
        Assert.All(exchanges, e => Assert.True(e.Response!.Body!.Truncated));
        Assert.Contains("a1.txt", exchanges[0].Response!.Body!.Note, StringComparison.Ordinal);
        var warning = Assert.Single(warnings);
        Assert.Contains("3 bodies", warning.Message, StringComparison.Ordinal);
        Assert.Contains("a1.txt, b2.txt", warning.Message, StringComparison.Ordinal);
    }

    private static string Normalize(string har)
    {
        var node = JsonNode.Parse(har)!;
        foreach (var entry in node["log"]!["entries"]!.AsArray())
        {
            entry!["_reprise"]!.AsObject().Remove("id"); // the id of a re-import is the recorded one either way
        }

        return node.ToJsonString();
    }

    private async Task<JsonNode> ImportExportEntry(string har) => JsonNode.Parse(await ImportExportText(har))!["log"]!["entries"]![0]!;

    private async Task<string> ImportExportText(string har)
    {
        var exchanges = await Read(await Har(har));
        return await Export(exchanges);
    }

    private static async Task<JsonNode> ExportEntry(Exchange exchange) => JsonNode.Parse(await Export([exchange]))!["log"]!["entries"]![0]!;

    private static async Task<string> Export(IReadOnlyList<Exchange> exchanges)
    {
        using var stream = new MemoryStream();
        await new HarWriter(stream).ConsumeAsync(exchanges.ToAsyncEnumerable(), Ct);
        var text = Encoding.UTF8.GetString(stream.ToArray());
        using var _ = JsonDocument.Parse(text); // well-formed (no duplicate-free guarantee from the parser, see the round trip test)
        return text;
    }

    private async Task<string> Har(string text)
    {
        var path = _dir.File($"{Guid.NewGuid():N}.har");
        await File.WriteAllTextAsync(path, text, Encoding.UTF8, Ct);
        return path;
    }

    private static async Task<List<Exchange>> Read(string path, HarImportOptions? options = null) =>
        await new HarReader(path, options).ReadAsync(Ct).ToListAsync(Ct);
}
