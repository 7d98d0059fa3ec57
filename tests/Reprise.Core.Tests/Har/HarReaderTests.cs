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

    /// <summary>
    /// Browsers list inlined images (<c>data:</c>), blobs and extension files beside real requests: they are not HTTP
    /// exchanges (replay would send nonsense to the target), so they are skipped with one warning; WebSocket entries stay.
    /// </summary>
    [Fact]
    public async Task Read_NonHttpEntries_SkippedWithOneWarning_WebSocketsKept()
    {
        static string Entry(string url) =>
            """{"startedDateTime":"2026-03-01T10:00:00Z","time":1,"request":{"method":"GET","url":""" + "\"" + url + "\"" + """},"response":{"status":200,"content":{"mimeType":"text/plain","text":"ok"}}}""";
        var path = await Har($$$"""{"log":{"version":"1.2","entries":[{{{Entry("data:image/png;base64,iVBORw0KGgo=")}}},{{{Entry("http://api.test/a")}}},{{{Entry("chrome-extension://abc/x.js")}}},{{{Entry("blob:http://api.test/1-2")}}},{{{Entry("wss://api.test/live")}}},{{{Entry("about:blank")}}}]}}""");
        var warnings = new List<RecordingWarning>();

        var reader = new HarReader(path, new HarImportOptions { OnWarning = warnings.Add });
        var exchanges = await reader.ReadAsync(TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        await reader.ReadAsync(TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken); // a replay looping the file

        Assert.Equal(["http://api.test/a", "wss://api.test/live"], exchanges.Select(e => e.Request.Url));
        var warning = Assert.Single(warnings);
        Assert.Equal($"{path}: skipped 4 entries that are not an HTTP request (data:, chrome-extension:, blob:, about: URLs)", warning.ToString());

        var onlyImages = await Har($$$"""{"log":{"version":"1.2","entries":[{{{Entry("data:image/png;base64,iVBORw0KGgo=")}}}]}}""");
        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => Read(onlyImages));
        Assert.Equal($"{onlyImages}: HAR has no HTTP entries (all 1 are data: URLs)", error.Message);
    }

    [Fact]
    public async Task Read_ChromiumEntryWithBrotliHeader_BodyIsDecodedSoTheHeaderGoes()
    {
        // What Chromium (via Playwright recordHar) writes for an Express app behind compression(): the wire's
        // Content-Encoding and Transfer-Encoding headers, and the body already decoded as text.
        var path = await Har("""
            {"log":{"version":"1.2","creator":{"name":"Playwright","version":"1.65.1"},"entries":[
              {"startedDateTime":"2026-11-26T11:32:54.000Z","time":3,
               "request":{"method":"GET","url":"http://127.0.0.1:8800/me","httpVersion":"HTTP/1.1","headers":[]},
               "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[
                 {"name":"Content-Encoding","value":"br"},{"name":"Content-Type","value":"application/json; charset=utf-8"},
                 {"name":"Content-Length","value":"48"},{"name":"Vary","value":"Accept-Encoding"}],
                 "content":{"size":63,"mimeType":"application/json; charset=utf-8","compression":15,
                   "text":"{\"user\":\"alice\",\"csrfToken\":\"3d50c90a7006e10c3afd9f75\"}"}}},
              {"startedDateTime":"2026-11-26T11:32:55.000Z","time":3,
               "request":{"method":"GET","url":"http://127.0.0.1:8800/gz","headers":[]},
               "response":{"status":200,"headers":[{"name":"Content-Encoding","value":"gzip"}],
                 "content":{"mimeType":"text/plain","encoding":"base64","text":"H4sIAAAAAAAAA8tIzcnJBwCGphA2BQAAAA=="}}}
            ]}}
            """);

        var exchanges = await Read(path);

        var me = exchanges[0].Response!;
        Assert.False(me.Headers.Has("content-encoding"));
        Assert.Equal("55", me.Headers.Get("content-length"));
        Assert.Equal("Accept-Encoding", me.Headers.Get("vary"));
        Assert.Equal("""{"user":"alice","csrfToken":"3d50c90a7006e10c3afd9f75"}""", me.Body!.Text);
        Assert.Contains("content-encoding 'br' removed", me.Body.Note, StringComparison.Ordinal);

        // An exporter that kept the compressed bytes (base64 with the gzip magic) keeps the header that goes with them.
        var gz = exchanges[1].Response!;
        Assert.Equal("gzip", gz.Headers.Get("content-encoding"));
        Assert.Equal([0x1f, 0x8b], gz.Body!.Content[..2].ToArray());
    }

    [Fact]
    public async Task Read_TextInAnotherCharset_IsStoredInThatCharset()
    {
        // HAR text is transcoded to UTF-8; the wire bytes were ISO-8859-1 (and the header still says so).
        var path = await Har("""
            {"log":{"entries":[
              {"startedDateTime":"2026-11-26T11:32:54.000Z","time":1,
               "request":{"method":"POST","url":"http://127.0.0.1:8800/echo","headers":[{"name":"Content-Type","value":"text/plain; charset=ISO-8859-1"}],
                 "postData":{"mimeType":"text/plain; charset=ISO-8859-1","text":"na\u00efve"}},
               "response":{"status":200,"headers":[{"name":"Content-Type","value":"text/plain; charset=iso-8859-1"}],
                 "content":{"size":30,"mimeType":"text/plain; charset=iso-8859-1","text":"Caf\u00e9 cr\u00e8me, Zo\u00eb M\u00fcller"}}},
              {"startedDateTime":"2026-11-26T11:32:55.000Z","time":1,
               "request":{"method":"GET","url":"http://127.0.0.1:8800/euro","headers":[]},
               "response":{"status":200,"headers":[{"name":"Content-Type","value":"text/plain; charset=iso-8859-1"}],
                 "content":{"mimeType":"text/plain; charset=iso-8859-1","text":"5 \u20ac \u2713"}}},
              {"startedDateTime":"2026-11-26T11:32:56.000Z","time":1,
               "request":{"method":"GET","url":"http://127.0.0.1:8800/utf16","headers":[]},
               "response":{"status":200,"headers":[{"name":"Content-Type","value":"text/plain; charset=utf-16"}],
                 "content":{"mimeType":"text/plain; charset=utf-16","text":"hi"}}}
            ]}}
            """);

        var exchanges = await Read(path);

        var latin1 = exchanges[0];
        Assert.Equal(Encoding.Latin1.GetBytes("Café crème, Zoë Müller"), latin1.Response!.Body!.Content.ToArray());
        Assert.Equal(Encoding.Latin1.GetBytes("naïve"), latin1.Request.Body!.Content.ToArray());
        Assert.Equal("text/plain; charset=iso-8859-1", latin1.Response.Headers.Get("content-type"));

        // '✓' has no ISO-8859-1 (nor windows-1252) byte: the UTF-8 text stays and the charset says so.
        var euro = exchanges[1].Response!;
        Assert.Equal("5 € ✓", euro.Body!.Text);
        Assert.Equal("text/plain; charset=utf-8", euro.Headers.Get("content-type"));
        Assert.Equal("text/plain; charset=utf-8", euro.Body.MediaType);

        // UTF-16: byte order and BOM are unknown, so the text stays UTF-8 under a utf-8 charset.
        var utf16 = exchanges[2].Response!;
        Assert.Equal("hi"u8.ToArray(), utf16.Body!.Content.ToArray());
        Assert.Equal("text/plain; charset=utf-8", utf16.Headers.Get("content-type"));
    }

    [Fact]
    public async Task Read_BrowserHarUnderIso88591_KeepsTheWindows1252BytesTheBrowserDecoded()
    {
        // Chromium and Firefox decode charset=iso-8859-1 (and us-ascii) as windows-1252 (WHATWG Encoding): "€" and curly
        // quotes in the HAR text were the bytes 0x80, 0x93 and 0x94 on the wire. They used to be stored as UTF-8 under a
        // charset changed to utf-8.
        var path = await Har("""
            {"log":{"entries":[
              {"startedDateTime":"2026-11-26T11:32:55.000Z","time":1,
               "request":{"method":"GET","url":"http://127.0.0.1:8800/price","headers":[]},
               "response":{"status":200,"headers":[{"name":"Content-Type","value":"text/html; charset=ISO-8859-1"}],
                 "content":{"mimeType":"text/html; charset=ISO-8859-1","text":"<p>\u201cCaf\u00e9\u201d 5 \u20ac</p>"}}}
            ]}}
            """);

        var response = (await Read(path))[0].Response!;

        Assert.Equal([.. "<p>"u8, 0x93, .. "Caf"u8, 0xE9, 0x94, .. " 5 "u8, 0x80, .. "</p>"u8], response.Body!.Content.ToArray());
        Assert.Equal("text/html; charset=ISO-8859-1", response.Headers.Get("content-type"));
    }

    [Fact]
    public async Task Read_ResponseWithoutBodyText_IsATruncatedBodyWithNothingKept()
    {
        // Playwright's recordHar leaves out the text of redirects, large and streamed bodies (size -1).
        var path = await Har("""
            {"log":{"entries":[
              {"startedDateTime":"2026-11-26T11:32:54.000Z","time":1,"request":{"method":"GET","url":"http://127.0.0.1:8800/big","headers":[]},
               "response":{"status":200,"headers":[{"name":"Content-Length","value":"1439273"}],"content":{"size":-1,"mimeType":"application/json; charset=utf-8"},"bodySize":-1}},
              {"startedDateTime":"2026-11-26T11:32:55.000Z","time":1,"request":{"method":"DELETE","url":"http://127.0.0.1:8800/api/notes/1","headers":[]},
               "response":{"status":204,"headers":[],"content":{"size":-1,"mimeType":"x-unknown"},"bodySize":0}},
              {"startedDateTime":"2026-11-26T11:32:56.000Z","time":1,"request":{"method":"GET","url":"http://127.0.0.1:8800/empty","headers":[]},
               "response":{"status":200,"headers":[],"content":{"size":0,"mimeType":"text/plain"},"bodySize":0}}
            ]}}
            """);

        var exchanges = await Read(path);

        var big = exchanges[0].Response!.Body!;
        Assert.True(big.Truncated);
        Assert.Equal(0, big.Content.Length);
        Assert.Equal(1439273, big.Size);
        Assert.Equal("application/json; charset=utf-8", big.MediaType);
        Assert.Null(exchanges[1].Response!.Body); // 204: there is no body to miss
        Assert.Null(exchanges[2].Response!.Body); // size 0: empty, not missing
    }

    [Fact]
    public async Task Read_PlaywrightAttachedBodies_AreReadFromTheFilesNextToTheHar()
    {
        // QA round 4: Playwright's recordHar with content 'attach' (its default for routeFromHAR updates and .zip
        // HARs) leaves "text" out (or empty, with params, for a form) and names a "_file" beside the HAR instead.
        // Those bodies were imported as "not captured". A _file that is not a plain name in that directory is ignored.
        await File.WriteAllTextAsync(_dir.File("b754f0.json"), """{"id":"5c9a","name":"Hannah"}""");
        await File.WriteAllTextAsync(_dir.File("3bdbb8.dat"), "_csrf=8f8c&email=a%40b.test");
        await File.WriteAllBytesAsync(_dir.File("logo.png"), [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF]);
        var path = await Har("""
            {"log":{"version":"1.2","creator":{"name":"Playwright","version":"1.65.1"},"entries":[
              {"startedDateTime":"2026-11-26T16:23:18.000Z","time":3,
               "request":{"method":"POST","url":"http://127.0.0.1:36671/login","headers":[{"name":"Content-Type","value":"application/x-www-form-urlencoded"}],
                          "postData":{"mimeType":"application/x-www-form-urlencoded","text":"","params":[{"name":"_csrf","value":"8f8c"}],"_file":"3bdbb8.dat"}},
               "response":{"status":201,"headers":[{"name":"Content-Type","value":"application/json"}],
                           "content":{"size":30,"mimeType":"application/json","compression":0,"_file":"b754f0.json"}}},
              {"startedDateTime":"2026-11-26T16:23:19.000Z","time":3,
               "request":{"method":"GET","url":"http://127.0.0.1:36671/logo.png"},
               "response":{"status":200,"content":{"size":6,"mimeType":"image/png","_file":"logo.png"}}},
              {"startedDateTime":"2026-11-26T16:23:20.000Z","time":3,
               "request":{"method":"GET","url":"http://127.0.0.1:36671/x"},
               "response":{"status":200,"content":{"size":30,"mimeType":"application/json","_file":"../b754f0.json"}}}]}}
            """);

        var exchanges = await Read(path);

        Assert.Equal("_csrf=8f8c&email=a%40b.test", exchanges[0].Request.Body!.Text);
        Assert.Equal("""{"id":"5c9a","name":"Hannah"}""", exchanges[0].Response!.Body!.Text);
        Assert.False(exchanges[0].Response!.Body!.Truncated);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF], exchanges[1].Response!.Body!.Content.ToArray());
        Assert.True(exchanges[2].Response!.Body!.Truncated); // not a plain file name: not read, reported as not captured
    }

    [Fact]
    public async Task Read_AttachmentThatIsASymlinkOrAFifo_IsTreatedAsMissing_WithoutBlocking()
    {
        // A bug-report tarball can hold "b754f0.json -> ~/.aws/credentials" (imported and replayed as a body) or a FIFO
        // (reading it blocks forever). Only regular files that are not links are attachments.
        var secret = Path.Combine(_dir.Path, "outside");
        Directory.CreateDirectory(secret);
        await File.WriteAllTextAsync(Path.Combine(secret, "credentials"), "aws_secret_access_key=AKIASECRET", TestContext.Current.CancellationToken);
        File.CreateSymbolicLink(_dir.File("b754f0.json"), Path.Combine(secret, "credentials"));
        Mkfifo(_dir.File("fifo.json"));
        await File.WriteAllTextAsync(_dir.File("empty.json"), "", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(_dir.File("ok.json"), """{"ok":true}""", TestContext.Current.CancellationToken);
        var path = await Har("""
            {"log":{"version":"1.2","creator":{"name":"Playwright","version":"1.65.1"},"entries":[
              {"startedDateTime":"2026-11-26T16:23:18.000Z","time":3,"request":{"method":"GET","url":"http://127.0.0.1:1/a"},
               "response":{"status":200,"content":{"size":33,"mimeType":"application/json","_file":"b754f0.json"}}},
              {"startedDateTime":"2026-11-26T16:23:19.000Z","time":3,
               "request":{"method":"POST","url":"http://127.0.0.1:1/b","postData":{"mimeType":"application/json","text":"","_file":"fifo.json"}},
               "response":{"status":200,"content":{"size":11,"mimeType":"application/json","_file":"fifo.json"}}},
              {"startedDateTime":"2026-11-26T16:23:20.000Z","time":3,"request":{"method":"GET","url":"http://127.0.0.1:1/c"},
               "response":{"status":200,"content":{"size":11,"mimeType":"application/json","_file":"empty.json"}}},
              {"startedDateTime":"2026-11-26T16:23:21.000Z","time":3,"request":{"method":"GET","url":"http://127.0.0.1:1/d"},
               "response":{"status":200,"content":{"size":11,"mimeType":"application/json","_file":"ok.json"}}}]}}
            """);

        var read = Read(path);
        var exchanges = await read.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken); // a FIFO read would block forever

        Assert.Equal(4, exchanges.Count);
        foreach (var exchange in exchanges.Take(3))
        {
            Assert.True(exchange.Response!.Body!.Truncated, exchange.Request.Url); // like a missing attachment: not captured
            Assert.Equal(0, exchange.Response.Body.Content.Length);
        }

        Assert.Equal(0, exchanges[1].Request.Body?.Content.Length ?? 0);
        Assert.Equal("""{"ok":true}""", exchanges[3].Response!.Body!.Text);
    }

    [Fact]
    public async Task Read_AttachmentInASymlinkedHarDirectory_IsRead()
    {
        // The HAR's directory itself may be reached through a link (a user's ~/bugs -> /data/bugs): its real path is used.
        var real = Path.Combine(_dir.Path, "real");
        Directory.CreateDirectory(real);
        Directory.CreateSymbolicLink(_dir.File("linked"), real);
        await File.WriteAllTextAsync(Path.Combine(real, "ok.json"), """{"ok":true}""", TestContext.Current.CancellationToken);
        var path = Path.Combine(_dir.File("linked"), "a.har");
        await File.WriteAllTextAsync(path, """
            {"log":{"version":"1.2","entries":[
              {"startedDateTime":"2026-11-26T16:23:21.000Z","time":3,"request":{"method":"GET","url":"http://127.0.0.1:1/d"},
               "response":{"status":200,"content":{"size":11,"mimeType":"application/json","_file":"ok.json"}}}]}}
            """, TestContext.Current.CancellationToken);

        var exchanges = await Read(path);

        Assert.Equal("""{"ok":true}""", exchanges[0].Response!.Body!.Text);
    }

    [Fact]
    public async Task Attachments_LargerThanTheCap_AreCutAndMarkedTruncatedWithTheRealSize_AndSharedBetweenEntries()
    {
        await File.WriteAllBytesAsync(_dir.File("big.bin"), new byte[10_000], TestContext.Current.CancellationToken);
        var attachments = new HarAttachments(_dir.Path, maxBytes: 4096);

        var first = attachments.Read("big.bin");
        var second = attachments.Read("big.bin");

        Assert.Equal(4096, first!.Value.Content.Length);
        Assert.Equal(10_000, first.Value.Size);
        Assert.True(first.Value.Content.Span == second!.Value.Content.Span, "a file named by many entries is read once while in use");
        Assert.Null(attachments.Read("../big.bin"));
        Assert.Null(attachments.Read("missing.bin"));
    }

    [Fact]
    public async Task Map_AttachmentOverTheCap_IsStoredTruncatedWithTheFileSize()
    {
        await File.WriteAllBytesAsync(_dir.File("big.bin"), new byte[10_000], TestContext.Current.CancellationToken);
        using var entry = System.Text.Json.JsonDocument.Parse("""
            {"startedDateTime":"2026-11-26T16:23:21.000Z","time":3,
             "request":{"method":"POST","url":"http://127.0.0.1:1/d","postData":{"mimeType":"application/octet-stream","_file":"big.bin"}},
             "response":{"status":200,"content":{"size":-1,"mimeType":"application/octet-stream","_file":"big.bin"}}}
            """);

        var exchange = HarEntryMapper.ToExchange(entry.RootElement, new HarImportOptions(), 0, new HarAttachments(_dir.Path, maxBytes: 4096));

        foreach (var body in new[] { exchange.Request.Body!, exchange.Response!.Body! })
        {
            Assert.True(body.Truncated);
            Assert.Equal(10_000, body.Size);
            Assert.Equal(4096, body.Content.Length);
        }
    }

    private static void Mkfifo(string path)
    {
        using var process = System.Diagnostics.Process.Start("mkfifo", [path]);
        Assert.True(process.WaitForExit(10_000) && process.ExitCode == 0, "mkfifo " + path);
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
