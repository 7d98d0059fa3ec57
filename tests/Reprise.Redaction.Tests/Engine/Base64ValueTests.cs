using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// JSON strings that carry text as base64 (etcd's gRPC gateway <c>/v3/kv/put</c>, Kubernetes Secrets, GitHub's
/// contents API): found by QA round 7, where a password and an email put through etcd's gateway were stored raw and
/// <c>scan</c> called the recording clean.
/// </summary>
public sealed class Base64ValueTests(ITestOutputHelper output)
{
    private const string Secret = """{"email":"maria.lopez.qa7@examplecorp.com","password":"GwS3cret-pass-qa7"}""";

    [Fact]
    public void Json_Base64OfTextWithPersonalData_RedactedInside_StillBase64()
    {
        var value = Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret));
        var key = Convert.ToBase64String("/gw/users/7"u8);
        var exchange = Policies.Json($$"""{"key":"{{key}}","value":"{{value}}"}""", $$"""{"kvs":[{"key":"{{key}}","value":"{{value}}"}]}""");

        var redacted = Policies.Default.Redact(exchange);

        var request = JsonNode.Parse(Policies.RequestText(redacted))!;
        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(request["value"]!.GetValue<string>()));
        output.WriteLine(decoded);
        Assert.DoesNotContain("maria.lopez", decoded, StringComparison.Ordinal);
        Assert.DoesNotContain("GwS3cret", decoded, StringComparison.Ordinal);
        Assert.NotNull(JsonNode.Parse(decoded)); // still the JSON it was, values replaced
        Assert.Equal(key, request["key"]!.GetValue<string>()); // text without personal data stays as it was
        var response = JsonNode.Parse(Policies.ResponseText(redacted))!;
        Assert.Equal(request["value"]!.GetValue<string>(), response["kvs"]![0]!["value"]!.GetValue<string>()); // same value, same replacement
        Assert.Contains(redacted.Redactions, r => r.Location == "request.body:$.value" && r.Rule == "email");
        Assert.Contains(redacted.Redactions, r => r.Location == "response.body:$.kvs[0].value");
    }

    /// <summary>
    /// QA round 8 (transmission-daemon's <c>torrent-add</c>): <c>"metainfo"</c> is base64 of a bencoded torrent, binary
    /// (SHA-1 piece hashes), so it was no "base64 of text" and the email in its comment reached disk raw. The printable
    /// runs of base64 bytes are redacted at their length, so every bencode length prefix stays right.
    /// </summary>
    [Fact]
    public void Json_Base64OfBinary_PrintableRunsRedactedAtTheirLength()
    {
        var hashes = new byte[40];
        new Random(7).NextBytes(hashes);
        hashes[0] = 0x00; // never text
        var torrent = Encoding.ASCII.GetBytes("d7:comment38:uploaded by maria.gonzalez@mailbox.org4:infod6:pieces40:")
            .Concat(hashes).Concat("ee"u8.ToArray()).ToArray();
        var value = Convert.ToBase64String(torrent);

        var redacted = Policies.Default.Redact(Policies.Json($$$"""{"method":"torrent-add","arguments":{"metainfo":"{{{value}}}","paused":true}}"""));

        var stored = Convert.FromBase64String(JsonNode.Parse(Policies.RequestText(redacted))!["arguments"]!["metainfo"]!.GetValue<string>());
        output.WriteLine(Encoding.Latin1.GetString(stored));
        Assert.DoesNotContain("mailbox.org", Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
        Assert.Equal(torrent.Length, stored.Length);
        Assert.StartsWith("d7:comment38:", Encoding.Latin1.GetString(stored), StringComparison.Ordinal);
        Assert.Equal(hashes, stored.AsSpan(torrent.Length - 42, 40).ToArray());
    }

    [Fact]
    public void Json_Base64OfCleanBinary_Unchanged()
    {
        var bytes = new byte[64];
        new Random(11).NextBytes(bytes);
        var value = Convert.ToBase64String(bytes);

        var redacted = Policies.Default.Redact(Policies.Json($$"""{"blob":"{{value}}"}"""));

        Assert.Equal(value, JsonNode.Parse(Policies.RequestText(redacted))!["blob"]!.GetValue<string>());
    }

    [Fact]
    public void Json_Base64Url_Unpadded_KeepsItsAlphabet()
    {
        var value = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("contact: maria.lopez.qa7@examplecorp.com ??>"));
        Assert.DoesNotContain('=', value);

        var redacted = Policies.Default.Redact(Policies.Json($$"""{"payload":"{{value}}"}"""));

        var payload = JsonNode.Parse(Policies.RequestText(redacted))!["payload"]!.GetValue<string>();
        Assert.DoesNotContain('=', payload);
        Assert.DoesNotContain('+', payload);
        Assert.DoesNotContain('/', payload);
        Assert.DoesNotContain("maria.lopez", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(payload)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("q83vEjRWeJq83vEjRWeJqw==")] // random bytes (a hash, a nonce): not text
    [InlineData("aGVsbG8gd29ybGQsIGhvdyBhcmUgeW91Pw==")] // text without personal data: "hello world, how are you?"
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWX")] // an id of base64 letters
    public void Json_Base64WithoutPersonalData_Untouched(string value)
    {
        var exchange = Policies.Json($$"""{"data":"{{value}}"}""");

        var redacted = Policies.Default.Redact(exchange);

        Assert.Empty(redacted.Redactions);
        Assert.Equal($$"""{"data":"{{value}}"}""", Policies.RequestText(redacted));
    }

    [Fact]
    public void Scan_Base64OfASecret_Found()
    {
        var value = Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret));

        var findings = Policies.Default.Scan(Policies.Json($$"""{"value":"{{value}}"}"""));

        Assert.Contains(findings, f => f.Location == "request.body:$.value");
    }
}
