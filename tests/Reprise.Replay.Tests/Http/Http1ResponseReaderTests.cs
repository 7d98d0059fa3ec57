using System.Text;
using CsCheck;
using Reprise.Replay.Http;
using Xunit;

namespace Reprise.Replay.Tests.Http;

public sealed class Http1ResponseReaderTests
{
    private static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    private static Task<List<ParsedResponse>> Parse(string text, int count = 1, bool head = false, params int[] splits) =>
        ParsedResponse.ReadAllAsync(new SplitSource(Bytes(text), splits), count, head);

    [Fact]
    public async Task ContentLength_ReadsStatusReasonHeadersAndExactBody()
    {
        var r = (await Parse("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 11\r\nX-A:  padded \t\r\n\r\n{\"id\":4711}"))[0];

        Assert.Equal(201, r.Status);
        Assert.Equal("Created", r.Reason);
        Assert.Equal("Content-Type: application/json\nContent-Length: 11\nX-A: padded", r.Headers);
        Assert.Equal("{\"id\":4711}", Encoding.ASCII.GetString(r.Body));
        Assert.False(r.Close);
    }

    [Fact]
    public async Task Chunked_WithExtensionsAndTrailers_JoinsChunksAndKeepsTrailers()
    {
        var r = (await Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n"))[0];

        Assert.Equal("hello, world", Encoding.ASCII.GetString(r.Body));
        Assert.Equal("X-Checksum: abc\nX-Other: 1", r.Trailers);
    }

    [Fact]
    public async Task InterimResponses_100ContinueAnd103_AreSkipped()
    {
        var r = (await Parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))[0];

        Assert.Equal(200, r.Status);
        Assert.Equal("Content-Length: 2", r.Headers);
        Assert.Equal("ok", Encoding.ASCII.GetString(r.Body));
    }

    [Fact]
    public async Task HeadAnd204And304_HaveNoBody_AndTheNextResponseFollowsDirectly()
    {
        var head = await Parse("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n", count: 2, head: true);
        Assert.All(head, r => Assert.Empty(r.Body));

        var mixed = await Parse("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz", count: 3);
        Assert.Equal([204, 304, 200], mixed.Select(r => r.Status));
        Assert.Equal("z", Encoding.ASCII.GetString(mixed[2].Body));
    }

    [Fact]
    public async Task NoLength_ReadsUntilClose_AndMarksTheConnectionClosed()
    {
        var r = (await Parse("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it until the end"))[0];

        Assert.Equal("all of it until the end", Encoding.ASCII.GetString(r.Body));
        Assert.True(r.Close);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: Keep-Alive, Close\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false)]
    public async Task Connection_CloseAndHttp10_AreHonoured(string response, bool close)
    {
        Assert.Equal(close, (await Parse(response))[0].Close);
    }

    [Fact]
    public async Task BareLineFeeds_AndMissingReason_AreAccepted()
    {
        var r = (await Parse("HTTP/1.1 404\nContent-Length: 3\n\nnop"))[0];

        Assert.Equal(404, r.Status);
        Assert.Equal("", r.Reason); // as SocketsHttpHandler: empty, not "Not Found"
        Assert.Equal("nop", Encoding.ASCII.GetString(r.Body));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 \r\n", "")]
    [InlineData("HTTP/1.1 200\r\n", "")]
    [InlineData("HTTP/1.1 200 OK\r\n", "OK")]
    [InlineData("HTTP/1.1 200 Fine\r\n", "Fine")]
    [InlineData("HTTP/1.1 299 Not Quite  OK \r\n", "Not Quite  OK ")]
    [InlineData("HTTP/1.1 404 Pas trouv\u00e9\r\n", "Pas trouv\u00e9")]
    [InlineData("HTTP/1.0 503  \r\n", " ")]
    public async Task ReasonPhrase_KeptVerbatim_EmptyWhenMissing(string statusLine, string reason)
    {
        var r = (await Parse(statusLine + "Content-Length: 0\r\n\r\n"))[0];
        Assert.Equal(reason, r.Reason);
    }

    [Theory]
    [InlineData("X-A: first\r\n second\r\n", "X-A: first   second")]
    [InlineData("X-A: first\r\n\tsecond\r\n  third\r\n", "X-A: first  \tsecond    third")]
    [InlineData("X-A:\r\n value\r\n", "X-A: value")]
    [InlineData("X-A: a\n b\n", "X-A: a  b")]
    [InlineData("X-A: a \r\n \r\nX-B: b\r\n", "X-A: a\nX-B: b")]
    [InlineData("Content-Type: text/plain;\r\n charset=utf-8\r\nX-B: b\r\n", "Content-Type: text/plain;   charset=utf-8\nX-B: b")]
    public async Task ObsFold_EachFoldBecomesSpaces_RestOfTheValueKept(string fields, string expected)
    {
        var r = (await Parse("HTTP/1.1 200 OK\r\n" + fields + "Content-Length: 2\r\n\r\nok"))[0];

        Assert.Equal(expected + "\nContent-Length: 2", r.Headers);
        Assert.Equal("ok", Encoding.ASCII.GetString(r.Body));
    }

    [Fact]
    public async Task ObsFold_InFramingFields_StillFrames()
    {
        var r = (await Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n chunked\r\nConnection: keep-alive,\r\n close\r\n\r\n2\r\nok\r\n0\r\nX-T: a\r\n\tb\r\n\r\n", splits: [60, 81, 98, 100, 101]))[0];

        Assert.Equal("ok", Encoding.ASCII.GetString(r.Body));
        Assert.True(r.Close);
        Assert.Equal("X-T: a  \tb", r.Trailers);
    }

    [Theory]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200OK\r\n\r\n")]
    [InlineData("garbage\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nName : space before colon\r\n\r\n")]
    public async Task InvalidHead_IsAProtocolError(string response)
    {
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => Parse(response));
        Assert.Equal(HttpRequestError.InvalidResponse, ex.HttpRequestError);
    }

    [Fact]
    public async Task EndOfStream_BeforeHead_IsResponseEnded_WithNothingReceived()
    {
        using var reader = new Http1ResponseReader(new SplitSource([], []));
        var ex = await Assert.ThrowsAsync<HttpRequestException>(async () => await reader.ReadHeadAsync(false, false));
        Assert.Equal(HttpRequestError.ResponseEnded, ex.HttpRequestError);
        Assert.Equal(0, reader.Received);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA\r\nshort")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
    public async Task TruncatedOrBadBody_IsAnIOException(string response)
    {
        await Assert.ThrowsAnyAsync<IOException>(() => Parse(response));
    }

    [Fact]
    public async Task HeadLargerThanTheBuffer_GrowsIt_AndBodyLargerThanTheBuffer_Streams()
    {
        var big = new string('v', 40_000);
        var body = new string('b', 100_000);
        var r = (await ParsedResponse.ReadAllAsync(new SplitSource(Bytes($"HTTP/1.1 200 OK\r\nX-Big: {big}\r\nContent-Length: {body.Length}\r\n\r\n{body}"), []), 1, bufferSize: 4096))[0];

        Assert.Contains(big, r.Headers, StringComparison.Ordinal);
        Assert.Equal(body.Length, r.Body.Length);
    }

    [Fact]
    public async Task HeadBeyondTheLimit_IsRejected()
    {
        var huge = new string('v', Http1ResponseReader.MaxHeadLength + 10);
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => Parse($"HTTP/1.1 200 OK\r\nX-Huge: {huge}\r\n\r\n"));
        Assert.Equal(HttpRequestError.ConfigurationLimitExceeded, ex.HttpRequestError);
    }

    [Fact]
    public async Task AfterTheBodyWasRead_DrainAndFurtherReads_ReturnAtOnce_WithoutReceiving()
    {
        var source = new SplitSource(Bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"), []);
        using var reader = new Http1ResponseReader(source);
        await reader.ReadHeadAsync(false, materialize: true);
        var buffer = new byte[64];
        Assert.Equal(2, await reader.ReadBodyAsync(buffer));
        Assert.Equal(0, await reader.ReadBodyAsync(buffer));
        var receives = source.Receives;

        await reader.DrainBodyAsync();
        Assert.Equal(0, await reader.ReadBodyAsync(buffer));

        Assert.Equal(receives, source.Receives);
        Assert.True(reader.BodyComplete);
    }

    [Fact]
    public async Task Drain_WithoutMaterialising_LeavesTheReaderAtTheNextResponse()
    {
        var text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\nok";
        using var reader = new Http1ResponseReader(new SplitSource(Bytes(text), [7, 50, 51, 52]));
        await reader.ReadHeadAsync(false, materialize: false);
        Assert.Empty(reader.Head.Headers);
        Assert.Null(reader.Head.Reason);
        await reader.DrainBodyAsync();
        Assert.True(reader.BodyComplete);
        await reader.ReadHeadAsync(false, materialize: false);
        Assert.Equal(202, reader.Head.Status);
        await reader.DrainBodyAsync();
        Assert.True(reader.BodyComplete);
    }

    /// <summary>Any valid response sequence, split at arbitrary byte boundaries, parses exactly as when it arrives whole, and as generated.</summary>
    [Fact]
    public void AnySplit_ParsesIdentically()
    {
        // Values may be folded (obs-fold, RFC 9112 §5.2) onto a continuation line: each CRLF of a fold reads as two spaces.
        var value = Gen.String[Gen.Char["abc xyz/=;,0123"], 0, 30].Select(v => v.Trim());
        var header = Gen.Select(Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz-"], 1, 12], value, Gen.Int[0, 3], value, (n, v, fold, more) =>
            fold == 0
                ? ("X-" + n, v, v)
                : ("X-" + n, v + "\r\n" + (fold == 1 ? " " : fold == 2 ? "\t" : " \t ") + more, (v + "  " + (fold == 1 ? " " : fold == 2 ? "\t" : " \t ") + more).Trim(' ', '\t')));
        var reason = Gen.OneOfConst("", " ", " Reason", " Not  quite ", " \u00c7a va");
        var response = Gen.Select(
            Gen.Int[200, 599],
            header.Array[0, 5],
            Gen.Byte.Array[0, 3000],
            Gen.Int[0, 2],
            Gen.Int[1, 700].Array[1, 6],
            header.Array[0, 2],
            reason);
        var gen = Gen.Select(response.Array[1, 3], Gen.Int[0, 4000].Array[0, 40], Gen.Int[1, 9000]);
        gen.Sample(
            (responses, splits, bodyChunk) =>
            {
                var wire = new MemoryStream();
                var expected = new List<(int Status, string Reason, byte[] Body, string Headers, string Trailers)>();
                for (var i = 0; i < responses.Length; i++)
                {
                    var (status, headers, body, framing, chunkSizes, trailers, reasonText) = responses[i];
                    if (status is 204 or 304)
                    {
                        body = [];
                    }

                    var last = i == responses.Length - 1;
                    framing = framing == 2 && !last ? 0 : framing; // read-until-close only as the last response
                    var head = new StringBuilder($"HTTP/1.1 {status}{reasonText}\r\n");
                    var fields = new List<string>();
                    foreach (var (n, folded, v) in headers)
                    {
                        head.Append(n).Append(": ").Append(folded).Append("\r\n");
                        fields.Add(n + ": " + v);
                    }

                    var trailerText = "";
                    var noBody = status is 204 or 304;
                    if (framing == 0)
                    {
                        head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
                        fields.Add("Content-Length: " + body.Length);
                    }
                    else if (framing == 1)
                    {
                        head.Append("Transfer-Encoding: chunked\r\n");
                        fields.Add("Transfer-Encoding: chunked");
                        trailerText = noBody ? "" : string.Join("\n", trailers.Select(t => t.Item1 + ": " + t.Item3));
                    }

                    head.Append("\r\n");
                    wire.Write(Bytes(head.ToString()));
                    if (framing == 1 && !noBody)
                    {
                        var offset = 0;
                        var k = 0;
                        while (offset < body.Length)
                        {
                            var size = Math.Min(chunkSizes[k++ % chunkSizes.Length], body.Length - offset);
                            wire.Write(Bytes(size.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n"));
                            wire.Write(body, offset, size);
                            wire.Write("\r\n"u8);
                            offset += size;
                        }

                        wire.Write("0\r\n"u8);
                        foreach (var (n, folded, _) in trailers)
                        {
                            wire.Write(Bytes(n + ": " + folded + "\r\n"));
                        }

                        wire.Write("\r\n"u8);
                    }
                    else if (!noBody)
                    {
                        wire.Write(body);
                    }

                    expected.Add((status, reasonText.Length == 0 ? "" : reasonText[1..], body, string.Join("\n", fields), trailerText));
                }

                var bytes = wire.ToArray();
                var cuts = splits.Where(s => s < bytes.Length).Distinct().Order().ToArray();
                var whole = ParsedResponse.ReadAllAsync(new SplitSource(bytes, []), responses.Length).GetAwaiter().GetResult();
                var split = ParsedResponse.ReadAllAsync(new SplitSource(bytes, cuts), responses.Length, bodyChunk: bodyChunk, bufferSize: 1024).GetAwaiter().GetResult();
                for (var i = 0; i < responses.Length; i++)
                {
                    Assert.True(whole[i].SameAs(split[i]), $"response {i} differs when split at {string.Join(",", cuts)}");
                    Assert.Equal(expected[i].Status, split[i].Status);
                    Assert.Equal(expected[i].Reason, split[i].Reason);
                    Assert.Equal(expected[i].Headers, split[i].Headers);
                    Assert.Equal(expected[i].Trailers, split[i].Trailers);
                    Assert.True(expected[i].Body.AsSpan().SequenceEqual(split[i].Body), $"body of response {i}");
                }
            },
            iter: 300);
    }
}
