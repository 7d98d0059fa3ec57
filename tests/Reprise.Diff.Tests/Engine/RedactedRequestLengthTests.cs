using Reprise.Core.Model;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Engine;

/// <summary>
/// QA round 7 (httpbin <c>/anything</c>, <c>/put</c>): the service echoes the request's <c>Content-Length</c>; redaction
/// tokenized an email in the recorded request body (95 -> 111 bytes), so the recorded answer says 95 and the target,
/// sent the stored 111 bytes, says 111. That change is the redaction's doing; any other change still counts.
/// </summary>
public sealed class RedactedRequestLengthTests
{
    private static Exchange Form(string id, string echoed, string extra = "", bool redacted = true)
    {
        var exchange = Exchanges.Send("POST", "http://127.0.0.1:8801/anything/form", """{"email":"tok_email_zd6kvjh3ebqnza3g@redacted.example.com"}""", $$"""{"headers":{"Content-Length":"{{echoed}}"}{{extra}}}""", id: id);
        exchange = exchange with { Request = exchange.Request with { Headers = exchange.Request.Headers.Add(new HeaderField("Content-Length", "111")) } };
        return redacted ? exchange with { Redactions = [new Redaction("request.body:$.email", "email", "tokenize")] } : exchange;
    }

    private static Exchange Result(Exchange exchange, string id) => exchange with { Id = "c-" + id, Redactions = [], Tags = DiffRun.ResultTags(id, null) };

    [Fact]
    public async Task EchoOfTheRequestLength_RedactionChangedTheBody_IsNoise()
    {
        var report = await DiffRun.RunAsync([Form("r1", "95")], [Result(Form("x", "111"), "r1")]);

        Assert.Equal(0, report.Variables["diffs"]);
        Assert.Contains(report.Noise, n => n.Source == "redaction" && n.Location == "body:$.headers.Content-Length");
    }

    [Fact]
    public async Task SameChange_WithoutRedaction_OrAnotherValue_IsADifference()
    {
        var unredacted = await DiffRun.RunAsync([Form("r1", "95", redacted: false)], [Result(Form("x", "111", redacted: false), "r1")]);
        var other = await DiffRun.RunAsync([Form("r1", "95", ""","n":1""")], [Result(Form("x", "111", ""","n":2"""), "r1")]);
        var wrongLength = await DiffRun.RunAsync([Form("r1", "95")], [Result(Form("x", "112"), "r1")]);

        Assert.Equal(1, unredacted.Variables["diffs"]);
        Assert.Equal(1, other.Variables["diffs"]);
        Assert.Equal(1, wrongLength.Variables["diffs"]);
    }
}
