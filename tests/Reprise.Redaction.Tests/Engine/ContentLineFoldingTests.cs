using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

public sealed class ContentLineFoldingTests(ITestOutputHelper output)
{
    private static Exchange Put(string body, string mediaType) => Testing.Exchanges.Get("https://dav.acme.test/x") with
    {
        Request = new ExchangeRequest { Method = "PUT", Url = "https://dav.acme.test/alice/calendars/work/ev.ics", Body = ExchangeBody.FromText(body, mediaType) },
    };

    // RFC 5545 3.1: lines longer than 75 octets SHOULD be folded (CRLF + one space); every CalDAV server folds ATTENDEE lines.
    [Fact]
    public void ICalendar_FoldedAttendeeLine_CommonNameRedacted()
    {
        var ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:ev-42@qa8\r\nDTSTART:20261201T090000Z\r\n"
            + "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Jonas Schm\r\n idt:mailto:jonas.schmidt@posteo.de\r\n"
            + "END:VEVENT\r\nEND:VCALENDAR\r\n";
        var text = Policies.RequestText(Policies.Default.Redact(Put(ics, "text/calendar")));
        output.WriteLine(text);
        Assert.DoesNotContain("Jonas", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ICalendar_FoldedLocation_AllComponentsRedacted()
    {
        var ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:ev-43@qa8\r\n"
            + "LOCATION:Flat 4\\, Unter den Linden 77\\, 10117 Berlin\\, Germany (ring twice at t\r\n he side door)\r\n"
            + "END:VEVENT\r\nEND:VCALENDAR\r\n";
        var text = Policies.RequestText(Policies.Default.Redact(Put(ics, "text/calendar")));
        output.WriteLine(text);
        Assert.DoesNotContain("side door", text, StringComparison.Ordinal);
    }

    // RFC 6350 3.3: contentline = [group "."] name *(";" param) ":" value; Apple Contacts / iCloud write item1.ADR.
    [Fact]
    public void VCard_GroupedProperty_AddressRedacted()
    {
        var vcf = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Maria Gonzalez\r\nN:Gonzalez;Maria;;;\r\n"
            + "item1.ADR;type=HOME;type=pref:;;742 Evergreen Terrace;Springfield;OR;97477;USA\r\nitem1.X-ABADR:us\r\nEND:VCARD\r\n";
        var text = Policies.RequestText(Policies.Default.Redact(Put(vcf, "text/vcard")));
        output.WriteLine(text);
        Assert.DoesNotContain("Evergreen", text, StringComparison.Ordinal);
    }
}
