using Microsoft.AspNetCore.Builder;
using Reprise.Replay.Correlation;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 12b (Prosody over BOSH): XMPP's SASL PLAIN credential (base64 of <c>\0user\0password</c>) travels as the text
/// of <c>&lt;auth&gt;</c> inside a BOSH <c>&lt;body&gt;</c> and is masked whole in the recording. A value rule could reach a
/// form, JSON, a query or a header only, so the replay sent the mask (<c>incorrect-encoding</c>) and nothing authenticated.
/// <c>substitute: { xml: /body/auth }</c> sets that element's text where the recorded request carries it.
/// </summary>
public sealed class XmlValueRuleTests
{
    [Fact]
    public async Task AnXmlValueRule_SetsTheMaskedElement_AndLeavesOtherBodies()
    {
        await using var target = await CountingTarget.StartAsync(app => app.MapPost("/http-bind", () => HttpResults.Ok()));
        var rules = CorrelationRulesFile.Parse("""
            rules:
              - name: sasl
                to: /http-bind
                value: AG1hcmlhAFhtcHAtTWFyaWEtUzNjcmV0IQ==
                substitute: { xml: /body/auth }
            """, "rules.yaml");
        var exchanges = new[]
        {
            Recorded.Post(0, "/http-bind", "<body rid='2' sid='s1' xmlns='http://jabber.org/protocol/httpbind'><auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>********************************</auth></body>", "text/xml; charset=utf-8"),
            Recorded.Post(0.1, "/http-bind", "<body rid='3' sid='s1' xmlns='http://jabber.org/protocol/httpbind'/>", "text/xml; charset=utf-8"),
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50, CorrelationRules = rules }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal("<body rid=\"2\" sid=\"s1\" xmlns=\"http://jabber.org/protocol/httpbind\"><auth xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\" mechanism=\"PLAIN\">AG1hcmlhAFhtcHAtTWFyaWEtUzNjcmV0IQ==</auth></body>", sent[0].Body);
        Assert.Equal("<body rid='3' sid='s1' xmlns='http://jabber.org/protocol/httpbind'/>", sent[1].Body);
    }

    [Theory]
    [InlineData("body/auth")]
    [InlineData("/body//auth")]
    [InlineData("/body/@sid")]
    public void ABadElementPath_IsOneLineNamingTheRule(string path)
    {
        var error = Assert.Throws<FormatException>(() => CorrelationRulesFile.Parse($"rules:\n  - name: sasl\n    value: x\n    substitute: {{ xml: \"{path}\" }}\n", "rules.yaml"));
        Assert.Equal($"rules.yaml:2: rule 'sasl': substitute.xml: '{path}' is not an element path (/name/name…, local names)", error.Message);
    }
}
