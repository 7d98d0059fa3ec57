using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 12b (Prosody over BOSH) left XMPP roster names raw: <c>&lt;item jid='maria@example.org' name='Maria Gonzalez'/&gt;</c>.
/// An element's <c>name</c> attribute is a person's when the element carries a user's JID (<c>jid='…@…'</c>: a roster item,
/// a MUC occupant). A <c>name</c> beside no such attribute (a group, a feature, a parameter), or beside an email only (a
/// restaurant has one too, as in JSON), stays.
/// </summary>
public sealed class XmlAttributePersonTests
{
    private static string ResponseAfter(string xml)
    {
        var exchange = Testing.Exchanges.Send("POST", "http://chat.test/http-bind", "{}") is var e
            ? e with { Response = e.Response! with { Headers = [new("Content-Type", "text/xml; charset=utf-8")], Body = ExchangeBody.FromText(xml, "text/xml; charset=utf-8") } }
            : throw new InvalidOperationException();
        return Policies.ResponseText(Policies.Default.Redact(exchange));
    }

    [Fact]
    public void ARosterItemsName_BesideItsJid_IsTokenized()
    {
        var after = ResponseAfter("<body xmlns='http://jabber.org/protocol/httpbind'><iq type='result' id='r1' xmlns='jabber:client'><query xmlns='jabber:iq:roster'>"
            + "<item jid='maria.gonzalez@example.org' name='Maria Gonzalez' subscription='both'><group>Friends</group></item>"
            + "<item jid='kenji@example.net' name='Kenji' subscription='to'/></query></iq></body>");

        Assert.True(!after.Contains("Gonzalez", StringComparison.Ordinal), after);
        Assert.DoesNotContain("'Kenji'", after.Replace('"', '\''), StringComparison.Ordinal);
        Assert.Contains("<group>Friends</group>", after, StringComparison.Ordinal);
        Assert.Contains("subscription=\"both\"", after.Replace('\'', '"'), StringComparison.Ordinal);
    }

    [Fact]
    public void ANameBesideNoAddress_StaysAsItIs()
    {
        const string Xml = "<config><feature name='Message Archive' var='urn:xmpp:mam:2'/><param name='Blue Widget' value='3'/><restaurant name='Golden Dragon Bistro' email='info@goldendragon.de'/><user name='Maria Gonzalez' phone='+1 415 555 0134'/></config>";

        var after = ResponseAfter(Xml);

        Assert.Contains("Message Archive", after, StringComparison.Ordinal);
        Assert.Contains("Blue Widget", after, StringComparison.Ordinal);
        Assert.Contains("Golden Dragon Bistro", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Maria Gonzalez", after, StringComparison.Ordinal);
    }
}
