using System.Collections.Immutable;
using System.Net;
using System.Text;
using Reprise.Core.Model;
using Reprise.Mock.Matching;
using Reprise.Testing;
using Xunit;
using static Reprise.Testing.Ipp;

namespace Reprise.Mock.Tests;

/// <summary>
/// Review of QA round 11b's withheld miss values: a value shaped like a mask that redaction never wrote (a match-all
/// <c>q=*:*</c>, <c>fields=*</c>) hid the live value of that leaf on every endpoint, while a secret the recorder masked
/// inside a longer value, or in a query parameter, was still shown in the miss body and journal. The live IPP request id
/// was written into an answer's compressed bytes.
/// </summary>
public sealed class ReviewFindings11b
{
    private const string Password = "WpAdmin-qa11b-Pass!9";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Miss_AtALeafRecordedAsAWildcardNobodyRedacted_ShowsTheLiveValue()
    {
        using var dir = new TempDir();
        // Elasticsearch's match-all query and a field wildcard: mask-shaped, but no redaction wrote them.
        var all = MockFixtures.Get("https://search.test/jobs/_search?q=*:*&fields=*", """{"hits":3}""");
        var other = MockFixtures.Get("https://search.test/people/_search?q=name:ann", """{"hits":1}""", offsetMs: 5);
        var (server, client) = await MockFixtures.StartAsync(dir, [all, other], o => o with { Redactor = new ReplacingRedactor("nothing-to-replace", "x"), Index = o.Index with { Key = KeyPolicy.Exact } });
        await using (server)
        {
            var miss = await client.GetAsync("/jobs/_search?q=status:open&fields=title", Ct);
            Assert.Equal(HttpStatusCode.NotFound, miss.StatusCode);
            var missBody = await miss.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain("withheld", missBody, StringComparison.Ordinal);
            Assert.Contains("query.q: 'status:open'", missBody, StringComparison.Ordinal);

            // The same name on another endpoint is not withheld either.
            var second = await client.GetAsync("/people/_search?q=name:bob", Ct);
            Assert.Contains("query.q: 'name:bob'", await second.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Miss_ALiveValueWhoseRecordingMaskedASecretInsideIt_IsNotShown()
    {
        // The recorder masked a password learned earlier in the stream where it sat inside a longer value.
        using var dir = new TempDir();
        var recorded = MockFixtures.Send("POST", "https://rpc.test/call", """{"cmd":"login admin ********************"}""", """{"ok":true}""")
            with { Redactions = ImmutableArray.Create(new Redaction("request.body:$.cmd", "same-value:password", "mask")) };
        var (server, client) = await MockFixtures.StartAsync(dir, [recorded], o => o with { Redactor = new ReplacingRedactor("nothing-to-replace", "x"), Index = o.Index with { Key = KeyPolicy.Exact } });
        await using (server)
        {
            using var live = new StringContent($$"""{"cmd":"login admin {{Password}}"}""", Encoding.UTF8, "application/json");
            var miss = await client.PostAsync("/call", live, Ct);
            Assert.Equal(HttpStatusCode.NotFound, miss.StatusCode);
            var missBody = await miss.Content.ReadAsStringAsync(Ct);
            Assert.Contains("body.$.cmd: live value withheld", missBody, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, missBody, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, await client.GetStringAsync("/_reprise/mock/requests", Ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Miss_TheLiveUrl_WithholdsAQueryValueTheRecordingHoldsRedacted()
    {
        // The difference line withheld the value, but the URL beside it, in the miss body and journal, named it.
        using var dir = new TempDir();
        var recorded = MockFixtures.Get("https://legacy.test/api/login?u=admin&p=" + new string('*', Password.Length), """{"ok":true}""")
            with { Redactions = ImmutableArray.Create(new Redaction("request.url:query.p", "same-value:password", "mask")) };
        var (server, client) = await MockFixtures.StartAsync(dir, [recorded], o => o with { Redactor = new ReplacingRedactor("nothing-to-replace", "x"), Index = o.Index with { Key = KeyPolicy.Exact } });
        await using (server)
        {
            var miss = await client.GetAsync("/api/login?u=admin&p=" + Uri.EscapeDataString(Password), Ct);
            Assert.Equal(HttpStatusCode.NotFound, miss.StatusCode);
            var missBody = await miss.Content.ReadAsStringAsync(Ct);
            Assert.Contains("query.p: live value withheld", missBody, StringComparison.Ordinal);
            Assert.Contains("u=admin", missBody, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, missBody, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(Password), missBody, StringComparison.Ordinal);
            var journal = await client.GetStringAsync("/_reprise/mock/requests", Ct);
            Assert.DoesNotContain(Password, journal, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(Password), journal, StringComparison.Ordinal);
        }
    }

    private static byte[] Ipp(byte operationOrStatus, byte requestId, params byte[][] attributes)
    {
        var body = new List<byte> { 0x02, 0x00, 0x00, operationOrStatus, 0x00, 0x00, 0x00, requestId, 0x01 };
        body.AddRange(Attribute(0x47, "attributes-charset", "utf-8"));
        foreach (var attribute in attributes)
        {
            body.AddRange(attribute);
        }

        body.Add(0x03);
        return [.. body];
    }

    [Fact]
    public async Task IppAnswer_RecordedCompressed_IsServedWithTheLiveRequestId_AndStillDecodes()
    {
        // --no-redact keeps the wire's Content-Encoding: the request id was written into the compressed bytes.
        var answer = Ipp(0x00, 3, Attribute(0x42, "printer-name", "office"));
        using var zlib = new MemoryStream();
        using (var compressor = new System.IO.Compression.ZLibStream(zlib, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            compressor.Write(answer);
        }

        var exchange = MockFixtures.Send("POST", "http://127.0.0.1:8631/", "", contentType: "application/ipp");
        var recorded = exchange with
        {
            Request = exchange.Request with { Body = ExchangeBody.FromBytes(Ipp(0x0B, 3), "application/ipp") },
            Response = exchange.Response! with
            {
                Headers = [new("Content-Type", "application/ipp"), new("Content-Encoding", "deflate")],
                Body = ExchangeBody.FromBytes(zlib.ToArray(), "application/ipp"),
            },
        };
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [recorded], o => o with { Index = o.Index with { Key = KeyPolicy.Exact } });
        await using (server)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(Ipp(0x0B, 9)) };
            request.Content.Headers.ContentType = new("application/ipp");
            request.Headers.AcceptEncoding.ParseAdd("deflate");
            var response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
            var coding = string.Join(",", response.Content.Headers.ContentEncoding);
            byte[] served;
            if (coding == "deflate")
            {
                using var plain = new MemoryStream();
                using (var inflater = new System.IO.Compression.ZLibStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress))
                {
                    inflater.CopyTo(plain);
                }

                served = plain.ToArray();
            }
            else
            {
                served = bytes;
            }

            Assert.Equal(9, served[7]);
            Assert.Equal(answer[8..], served[8..]);
        }
    }
}
