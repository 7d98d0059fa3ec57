using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// vCard and iCalendar bodies (CardDAV/CalDAV, QA round 8 with Radicale): names and addresses are properties
/// (<c>FN:</c>, <c>N:</c>, <c>ADR:</c>, <c>CN=</c>), which no value detector recognises; they reached disk raw.
/// </summary>
public sealed class ContentLineTests(ITestOutputHelper output)
{
    private const string VCard = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c0ffee00-1111-4222-8333-444455556666\r\nFN:Maria Gonzalez\r\nN:Gonzalez;Maria;;;\r\n"
        + "NICKNAME:Mari\r\nEMAIL;TYPE=INTERNET:maria.gonzalez@mailbox.org\r\nTEL;TYPE=CELL:+1 415 555 2671\r\n"
        + "ADR;TYPE=HOME:;;742 Evergreen Terrace;Springfield;OR;97477;USA\r\nEND:VCARD\r\n";

    private const string Event = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//qa8//EN\r\nBEGIN:VEVENT\r\nUID:ev-42@qa8\r\nDTSTART:20261201T090000Z\r\n"
        + "SUMMARY:Review with Jonas Schmidt\r\nLOCATION:Unter den Linden 77\\, Berlin\r\n"
        + "ATTENDEE;CN=Jonas Schmidt;ROLE=REQ-PARTICIPANT:mailto:jonas.schmidt@posteo.de\r\nORGANIZER;CN=\"Maria Gonzalez\":mailto:maria.gonzalez@mailbox.org\r\n"
        + "END:VEVENT\r\nEND:VCALENDAR\r\n";

    private static Exchange Put(string body, string mediaType) => Testing.Exchanges.Get("https://dav.acme.test/x") with
    {
        Request = new ExchangeRequest { Method = "PUT", Url = "https://dav.acme.test/alice/contacts/maria.vcf", Body = ExchangeBody.FromText(body, mediaType) },
    };

    [Fact]
    public void VCard_NamesAndAddressComponents_Redacted_StructureKept()
    {
        var text = Policies.RequestText(Policies.Default.Redact(Put(VCard, "text/vcard; charset=utf-8")));
        output.WriteLine(text);

        foreach (var raw in new[] { "Maria", "Gonzalez", "Mari\r", "742 Evergreen Terrace", "Springfield", "97477", "mailbox.org", "415 555" })
        {
            Assert.DoesNotContain(raw, text, StringComparison.Ordinal);
        }

        Assert.Matches("\r\nFN:tok_name_[a-z2-7]+ tok_name_[a-z2-7]+\r\n", text); // word by word, as N's components
        Assert.Matches("\r\nN:tok_name_[a-z2-7]+;tok_name_[a-z2-7]+;;;\r\n", text); // components kept apart, empty ones stay empty
        Assert.Matches("\r\nADR;TYPE=HOME:;;[* ]+;\\*+;\\*\\*;\\*+;\\*+\r\n", text); // each component masked at its length
        Assert.Contains("BEGIN:VCARD\r\nVERSION:3.0\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ICalendar_CommonNamesLocationAndTheNameInTheSummary_Redacted()
    {
        var text = Policies.RequestText(Policies.Default.Redact(Put(Event, "text/calendar")));
        output.WriteLine(text);

        Assert.DoesNotContain("Jonas", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Maria", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Linden", text, StringComparison.Ordinal);
        Assert.Contains("SUMMARY:Review with tok_name_", text, StringComparison.Ordinal); // the same-value pass
        Assert.Matches("ATTENDEE;CN=tok_name_[a-z2-7]+(?: tok_name_[a-z2-7]+)*;ROLE=REQ-PARTICIPANT:mailto:tok_email_", text);
        Assert.Contains("DTSTART:20261201T090000Z", text, StringComparison.Ordinal);
    }

    [Fact]
    public void MultistatusWithAddressData_TheEmbeddedVCardIsRedactedToo()
    {
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<multistatus xmlns=\"DAV:\" xmlns:CR=\"urn:ietf:params:xml:ns:carddav\"><response><href>/alice/contacts/maria.vcf</href>"
            + "<propstat><prop><getetag>\"c7b4\"</getetag><CR:address-data>" + VCard.Replace("\r\n", "&#13;\n", StringComparison.Ordinal)
            + "</CR:address-data></prop><status>HTTP/1.1 200 OK</status></propstat></response></multistatus>";
        var exchange = Testing.Exchanges.Get("https://dav.acme.test/alice/contacts/") with
        {
            Response = new ExchangeResponse { Status = 207, Body = ExchangeBody.FromText(xml, "text/xml; charset=utf-8") },
        };

        var redacted = Policies.Default.Redact(exchange);
        var text = redacted.Response!.Body!.Text;
        output.WriteLine(text);

        Assert.DoesNotContain("Gonzalez", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Evergreen", text, StringComparison.Ordinal);
        Assert.Contains("/alice/contacts/maria.vcf", text, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainTextWithColonLines_IsNoVCard_NothingInvented()
    {
        var exchange = Put("FN:Maria Gonzalez\nstatus: ok\n", "text/plain");

        var text = Policies.RequestText(Policies.Default.Redact(exchange));

        Assert.Contains("FN:Maria Gonzalez", text, StringComparison.Ordinal); // no BEGIN:VCARD: not read as content lines
    }
}
