using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 12b (Prosody over BOSH): an XMPP client sets its vCard with XEP-0054's vcard-temp,
/// <c>&lt;vCard xmlns="vcard-temp"&gt;&lt;FN&gt;Maria Gonzalez&lt;/FN&gt;&lt;N&gt;&lt;FAMILY&gt;Gonzalez&lt;/FAMILY&gt;&lt;GIVEN&gt;Maria&lt;/GIVEN&gt;&lt;/N&gt;…</c>,
/// and another fetches it: the names stayed raw in both (the email and phone beside them were redacted). A text vCard's
/// <c>FN</c>/<c>N</c> were already redacted by property; the XML forms (vcard-temp, xCard) name the same properties.
/// </summary>
public sealed class XmlVCardTests
{
    private static string RequestAfter(string xml)
    {
        var exchange = Testing.Exchanges.Send("POST", "http://chat.test/http-bind", "{}") with
        {
            Request = new ExchangeRequest
            {
                Method = "POST",
                Url = "http://chat.test/http-bind",
                Headers = [new("Content-Type", "text/xml; charset=utf-8")],
                Body = ExchangeBody.FromText(xml, "text/xml; charset=utf-8"),
            },
        };
        return Policies.RequestText(Policies.Default.Redact(exchange));
    }

    [Fact]
    public void AVcardTempInABoshBody_HasItsNamesTokenized()
    {
        var after = RequestAfter("<body rid='1' sid='s' xmlns='http://jabber.org/protocol/httpbind'><iq type='set' id='vc1' xmlns='jabber:client'><vCard xmlns='vcard-temp'><FN>Maria Gonzalez</FN><N><FAMILY>Gonzalez</FAMILY><GIVEN>Maria</GIVEN></N><NICKNAME>Mari</NICKNAME><ORG><ORGNAME>Acme Logistics</ORGNAME></ORG></vCard></iq></body>");
        Assert.DoesNotContain("Gonzalez", after, StringComparison.Ordinal);
        Assert.DoesNotContain(">Maria<", after, StringComparison.Ordinal);
        Assert.DoesNotContain(">Mari<", after, StringComparison.Ordinal);
        Assert.Contains("<ORGNAME>Acme Logistics</ORGNAME>", after, StringComparison.Ordinal);
    }

    [Fact]
    public void AnXCard_HasItsNamesTokenized()
    {
        var after = RequestAfter("<vcards xmlns='urn:ietf:params:xml:ns:vcard-4.0'><vcard><fn><text>Jonas Schmidt</text></fn><n><surname>Schmidt</surname><given>Jonas</given></n></vcard></vcards>");
        Assert.DoesNotContain("Schmidt", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Jonas", after, StringComparison.Ordinal);
    }

    [Fact]
    public void AnFnOrGivenOutsideAVCard_IsNotAName()
    {
        var after = RequestAfter("<config><fn>Compute Totals</fn><n><given>Default Value</given></n></config>");
        Assert.Contains("<fn>Compute Totals</fn>", after, StringComparison.Ordinal);
        Assert.Contains("<given>Default Value</given>", after, StringComparison.Ordinal);
    }
}
