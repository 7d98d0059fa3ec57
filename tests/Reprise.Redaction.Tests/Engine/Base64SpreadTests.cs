using System.Text;
using System.Text.Json;
using Reprise.Redaction.Tests.Support;
using Reprise.Testing;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 11a (pouchdb-server, <c>GET /customers/cust-1001?attachments=true</c>): an attachment comes as base64 of text
/// inside JSON. The detectors read inside it (an email there was tokenized), but a name redacted by its field, in an
/// earlier exchange or elsewhere in the same one, stayed raw inside the base64: the carried and same-value passes searched
/// the bytes as they are. They now look inside the base64 text the normal pass decoded, and write the value's replacement
/// there, encoded again the same way.
/// </summary>
public sealed class Base64SpreadTests
{
    private const string Name = "Jonas Schmidt";

    private static string Note(string name) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"Call notes, 2026-03-02\n{name} asked for a refund of order 2231.\n"));

    private static string Attachment(string data) => $$$"""{"notes.txt":{"content_type":"text/plain","revpos":2,"data":"{{{data}}}"}}""";

    private static string Decoded(string body, params string[] path)
    {
        var element = JsonDocument.Parse(body).RootElement;
        foreach (var name in path)
        {
            element = element.GetProperty(name);
        }

        return Encoding.UTF8.GetString(Convert.FromBase64String(element.GetString()!));
    }

    [Fact]
    public void ANameRedactedInAnEarlierExchange_IsReplacedInsideALaterAttachmentsBase64_WithItsToken()
    {
        var policy = Policies.Default;
        var customer = policy.Redact(Exchanges.Send("PUT", "https://couch.test/customers/cust-1001", $$"""{"name":"{{Name}}","email":"jonas.schmidt@example.org","tier":"gold"}""", """{"ok":true,"id":"cust-1001","rev":"1-a1"}""", id: "c1"));
        var token = JsonDocument.Parse(Policies.RequestText(customer)).RootElement.GetProperty("name").GetString()!;
        Assert.NotEqual(Name, token);

        var read = policy.Redact(Exchanges.Get("https://couch.test/customers/cust-1001?attachments=true",
            $$"""{"_id":"cust-1001","_rev":"2-b2","tier":"gold","_attachments":{{Attachment(Note(Name))}}}""", id: "c2"));

        var body = Policies.ResponseText(read);
        var note = Decoded(body, "_attachments", "notes.txt", "data");
        Assert.DoesNotContain(Name, note, StringComparison.Ordinal);
        Assert.Equal($"Call notes, 2026-03-02\n{token} asked for a refund of order 2231.\n", note);
        Assert.Contains(read.Redactions, r => r.Location == "response.body" && r.Rule.StartsWith("carried:", StringComparison.Ordinal));
        Assert.Equal("gold", JsonDocument.Parse(body).RootElement.GetProperty("tier").GetString());
    }

    [Fact]
    public void ANameRedactedInAField_IsReplacedInsideBase64InTheSameBody()
    {
        var redacted = Policies.Default.Redact(Exchanges.Get("https://couch.test/customers/cust-1001?attachments=true",
            $$"""{"_id":"cust-1001","name":"{{Name}}","email":"jonas.schmidt@example.org","_attachments":{{Attachment(Note(Name))}}}""", id: "c1"));

        var body = Policies.ResponseText(redacted);
        var token = JsonDocument.Parse(body).RootElement.GetProperty("name").GetString()!;
        Assert.NotEqual(Name, token);
        Assert.Equal($"Call notes, 2026-03-02\n{token} asked for a refund of order 2231.\n", Decoded(body, "_attachments", "notes.txt", "data"));
        Assert.Contains(redacted.Redactions, r => r.Rule.StartsWith("same-value:", StringComparison.Ordinal));
    }

    [Fact]
    public void Base64WithoutTheValue_AndEverythingElse_StayByteForByte()
    {
        var policy = Policies.Default;
        policy.Redact(Exchanges.Send("PUT", "https://couch.test/customers/cust-1001", $$"""{"name":"{{Name}}","email":"jonas.schmidt@example.org"}""", """{"ok":true}""", id: "c1"));
        var other = Convert.ToBase64String(Encoding.UTF8.GetBytes("Another customer's notes, nothing personal in them at all.\n"));
        var url = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Name} called again")); // 26 bytes: one '=' of padding
        var raw = $$$"""{"_attachments":{"a.txt":{"data":"{{{other}}}"},"b.txt":{"data":"{{{Note(Name)}}}"}},"ref":"{{{url}}}", "pad" : [1, 2]}""";

        var read = policy.Redact(Exchanges.Get("https://couch.test/customers/cust-1002?attachments=true", raw, id: "c2"));

        var body = Policies.ResponseText(read);
        Assert.Contains($$"""{"_attachments":{"a.txt":{"data":"{{other}}"},"b.txt":{"data":""", body, StringComparison.Ordinal);
        Assert.EndsWith("\", \"pad\" : [1, 2]}", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Name, Decoded(body, "_attachments", "b.txt", "data"), StringComparison.Ordinal);
        var reference = JsonDocument.Parse(body).RootElement.GetProperty("ref").GetString()!;
        Assert.NotEqual(url, reference);
        Assert.DoesNotContain(Name, Encoding.UTF8.GetString(Convert.FromBase64String(reference)), StringComparison.Ordinal);
    }
}
