using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Reprise.Core.Model;
using Reprise.Mock.Matching;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Serving;

/// <summary>
/// QA11b (git smart HTTP): git gzips an <c>upload-pack</c> request over 1 KiB (a clone's want list); <c>record</c> stores
/// it decoded, so the live gzip bytes never matched their recording: the clone was served another request's answer.
/// </summary>
public sealed class CompressedRequestBodyTests
{
    private const string Media = "application/x-git-upload-pack-request";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Wants(string sha) => string.Concat(Enumerable.Repeat($"0032want {sha}\n", 40)) + "0000";

    private static byte[] Gzip(string text, byte mtime)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        var bytes = buffer.ToArray();
        bytes[4] = mtime; // another client, another time in the gzip header: other bytes, the same body
        return bytes;
    }

    private static Exchange Recorded(string body, string answer, int offsetMs, bool wire = false)
    {
        var exchange = MockFixtures.Send("POST", "https://git.test/r.git/git-upload-pack", body, answer, contentType: Media, offsetMs: offsetMs);
        return wire
            ? exchange with
            {
                // recorded with --no-redact: the wire's bytes and their Content-Encoding
                Request = exchange.Request with
                {
                    Headers = [new("Content-Type", Media), new("Content-Encoding", "gzip")],
                    Body = ExchangeBody.FromBytes(Gzip(body, 1), Media),
                },
            }
            : exchange with { Request = exchange.Request with { Body = exchange.Request.Body! with { Note = "decoded from gzip" } } };
    }

    [Fact]
    public async Task GzipRequestBody_MatchesItsDecodedRecording_Exactly()
    {
        var a = new string('a', 40);
        var b = new string('b', 40);
        var c = new string('c', 40);
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(
            dir,
            [Recorded(Wants(a), """{"pack":"A"}""", 0), Recorded(Wants(b), """{"pack":"B"}""", 5), Recorded(Wants(c), """{"pack":"C"}""", 10, wire: true)],
            o => o with { Index = o.Index with { Key = KeyPolicy.Exact } });
        await using (server)
        {
            Assert.Equal("""{"pack":"B"}""", await PostGzipAsync(client, Wants(b)));
            Assert.Equal("""{"pack":"A"}""", await PostGzipAsync(client, Wants(a)));
            Assert.Equal("""{"pack":"C"}""", await PostGzipAsync(client, Wants(c)));
        }
    }

    private static async Task<string> PostGzipAsync(HttpClient client, string body)
    {
        using var content = new ByteArrayContent(Gzip(body, 9));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(Media);
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await client.PostAsync("/r.git/git-upload-pack", content, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    [Fact]
    public void ABodyThatDecodesPastTheCap_IsMatchedAsItIs_NotInflatedInMemory()
    {
        // Review 11b: a live body was decoded up to 256 MiB (a 100 KB gzip of zeros cost about 768 MB per request).
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < (RequestBodyCoding.MaxDecoded / zeros.Length) + 1; i++)
            {
                gzip.Write(zeros);
            }
        }

        var bomb = buffer.ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();

        var matched = RequestBodyCoding.Decoded(bomb, "gzip");

        Assert.Equal(bomb.Length, matched.Length);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 3L * RequestBodyCoding.MaxDecoded, "allocated past three times the cap");
    }
}
