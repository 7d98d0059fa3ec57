using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests;

/// <summary>
/// QA round 15b (SOGo groupware: its JSON UI API and CalDAV/CardDAV with curl; kiwix-serve): a WebDAV collection's name
/// tokenized as a person's and spread into the request path, an iCalendar/vCard UID tokenized and spread into the
/// resource URL a later GET names raw, and the LDAP <c>cn</c> and an event organizer's name left raw.
/// </summary>
public sealed class Qa15bTests(ITestOutputHelper output)
{
    private static Exchange Dav(string method, string url, string? requestBody, int status, string? responseBody, string mediaType) =>
        Testing.Exchanges.Get(url) with
        {
            Request = new ExchangeRequest { Method = method, Url = url, Body = requestBody is null ? null : ExchangeBody.FromText(requestBody, mediaType) },
            Response = new ExchangeResponse { Status = status, Body = responseBody is null ? null : ExchangeBody.FromText(responseBody, mediaType) },
        };

    /// <summary>
    /// A PROPFIND of a calendar home lists collections with their <c>DAV:displayname</c> ("Calendar", "Personal Calendar").
    /// Read as a person's display name, "Calendar" was tokenized and the same-value pass rewrote the request path
    /// <c>/SOGo/dav/…/Calendar/</c> to <c>/tok_name_…/</c>: the mock missed it and replay got 404. A displayname whose
    /// response says what the resource is (a <c>resourcetype</c> that is not a principal) names that resource.
    /// </summary>
    [Fact]
    public void ADavCollectionsDisplayName_IsNoPersonsName_AndThePathKeepsIt()
    {
        const string body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/dav/u1/Calendar/</D:href>"
            + "<D:propstat><D:status>HTTP/1.1 200 OK</D:status><D:prop><D:resourcetype><D:collection/></D:resourcetype><D:displayname>Calendar</D:displayname></D:prop></D:propstat></D:response>"
            + "<D:response><D:href>/dav/u1/Calendar/personal.ics</D:href><D:propstat><D:status>HTTP/1.1 200 OK</D:status><D:prop><D:resourcetype/><D:displayname>Personal Calendar</D:displayname></D:prop></D:propstat></D:response>"
            + "<D:response><D:href>/dav/u1/Calendar/work/</D:href><D:propstat><D:status>HTTP/1.1 200 OK</D:status><D:prop><D:displayname>Work</D:displayname><D:resourcetype><D:collection/><C:calendar xmlns:C=\"urn:ietf:params:xml:ns:caldav\"/></D:resourcetype></D:prop></D:propstat></D:response></D:multistatus>";
        var redacted = Policies.Default.Redact(Dav("PROPFIND", "http://dav.test/dav/u1/Calendar/", null, 207, body, "text/xml; charset=utf-8"));
        output.WriteLine(redacted.Response!.Body!.Text);

        Assert.Equal("http://dav.test/dav/u1/Calendar/", redacted.Request.Url);
        Assert.Equal(body, redacted.Response!.Body!.Text);
    }

    /// <summary>A principal's displayname (no resourcetype asked, or a principal) is still its user's full name.</summary>
    [Theory]
    [InlineData("<D:prop><D:displayname>Maria Gonzalez</D:displayname></D:prop>")]
    [InlineData("<D:prop><D:resourcetype><D:principal/></D:resourcetype><D:displayname>Maria Gonzalez</D:displayname></D:prop>")]
    public void APrincipalsDisplayName_IsStillAPersonsName(string prop)
    {
        var body = "<?xml version=\"1.0\"?><D:multistatus xmlns:D=\"DAV:\"><D:response><D:href>/dav/u1/</D:href><D:propstat>" + prop
            + "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>";
        var text = Policies.Default.Redact(Dav("PROPFIND", "http://dav.test/dav/u1/", null, 207, body, "text/xml")).Response!.Body!.Text;

        Assert.DoesNotContain("Gonzalez", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// A CalDAV client PUTs an event to <c>…/{UID}.ics</c>. The <c>UID</c> property was read as a user id (a <c>uid: value</c>
    /// pair) and tokenized, and the same-value pass rewrote the URL: the later GET and DELETE of that URL carry the UID
    /// raw and no body, so the mock missed them (404). A UID is the object's identifier (RFC 5545 3.8.4.7, RFC 6350 6.7.6).
    /// </summary>
    [Theory]
    [InlineData("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:qa15b-1795800000-ev\r\nDTSTART:20261203T090000Z\r\nSUMMARY:Physio\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "text/calendar", "qa15b-1795800000-ev.ics")]
    [InlineData("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:qa15b-1795800000-card\r\nFN:Anna Keller\r\nEND:VCARD\r\n", "text/vcard", "qa15b-1795800000-card.vcf")]
    public void AnICalendarOrVCardUid_IsTheObjectsId_AndTheUrlKeepsIt(string body, string mediaType, string resource)
    {
        var url = "http://dav.test/dav/u1/personal/" + resource;
        var redacted = Policies.Default.Redact(Dav("PUT", url, body, 201, null, mediaType));
        output.WriteLine(redacted.Request.Body!.Text);

        Assert.Equal(url, redacted.Request.Url);
        Assert.Contains("UID:qa15b-1795800000-", redacted.Request.Body!.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Keller", redacted.Request.Body!.Text, StringComparison.Ordinal);
    }

    /// <summary>A <c>uid</c> pair outside a vCard or iCalendar object (a log line) is still a user id.</summary>
    [Fact]
    public void AUidPairInPlainText_IsStillAnAccountId()
    {
        var exchange = Testing.Exchanges.Get("http://app.test/log", "{}") with
        {
            Response = new ExchangeResponse { Status = 200, Body = ExchangeBody.FromText("login ok\nuid: mgonzalez\n", "text/plain") },
        };

        Assert.DoesNotContain("mgonzalez", Policies.ResponseText(Policies.Default.Redact(exchange)), StringComparison.Ordinal);
    }

    /// <summary>
    /// SOGo's login answers <c>{"cn":"Maria Gonzalez",…}</c>: <c>cn</c> is LDAP's common name (RFC 4519), a person's full name
    /// when it is written as one; an event's <c>organizer</c> object (<c>{"name","email"}</c>) is a person like its
    /// attendees. Both went to disk raw.
    /// </summary>
    [Theory]
    [InlineData("{\"cn\":\"Maria Gonzalez\",\"expire\":-1,\"grace\":-1}")]
    [InlineData("{\"summary\":\"Dentist\",\"organizer\":{\"name\":\"Maria Gonzalez\",\"email\":\"maria.gonzalez@example.org\"}}")]
    public void AnLdapCommonNameAndAnOrganizersName_AreTokenized(string json)
    {
        var text = Policies.ResponseText(Policies.Default.Redact(Policies.Json("{}", json)));
        output.WriteLine(text);

        Assert.DoesNotContain("Gonzalez", text, StringComparison.Ordinal);
    }

    /// <summary>A certificate's or a host's <c>cn</c> is no person's name.</summary>
    [Theory]
    [InlineData("{\"cn\":\"api.example.org\",\"issuer\":\"R3\"}")]
    [InlineData("{\"cn\":\"admins\",\"gidNumber\":500}")]
    public void ACommonNameThatIsNoWrittenFullName_StaysAsItIs(string json) =>
        Assert.Equal(json, Policies.ResponseText(Policies.Default.Redact(Policies.Json("{}", json))));

    /// <summary>
    /// kiwix-serve's full-text search is <c>/search?pattern=…</c> (its OpenSearch description names <c>pattern</c> the search
    /// terms). A book's author "Maria Gonzalez" was tokenized in the catalog, but <c>?pattern=Gonzalez</c> and the page
    /// answering it ("Search: Gonzalez", "Maria &lt;b&gt;Gonzalez&lt;/b&gt;") kept the surname raw, as <c>?search=</c> would not.
    /// </summary>
    [Fact]
    public void AWordOfARedactedName_InAPatternQuery_IsTokenized()
    {
        var policy = Policies.Default;
        policy.Redact(Policies.Json("{}", """{"books":[{"title":"Field Guide","author":{"name":"Maria Gonzalez"}}]}"""));

        var search = policy.Redact(Testing.Exchanges.Get("http://kiwix.test/search?books.name=fieldguide&pattern=Gonzalez", "{}"));

        Assert.DoesNotContain("Gonzalez", search.Request.Url, StringComparison.Ordinal);
        Assert.Contains("pattern=tok_name_", search.Request.Url, StringComparison.Ordinal);
    }

    /// <summary>
    /// SOGo folds iCalendar lines at 75 octets, in the middle of a word: <c>DESCRIPTION:… anna.keller@exam\r\n ple.com</c>.
    /// Neither half is an address, and the email went to disk raw in the GET and both REPORTs of the event.
    /// </summary>
    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    public void AnEmailSplitByALineFold_IsStillRedacted(string newline)
    {
        var body = string.Join(newline, "BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", "UID:qa15b-ev", "SUMMARY:Physio",
            "DESCRIPTION:Bring referral. Anna's mobile +49 170 5551234, anna.keller@exam", " ple.com", "END:VEVENT", "END:VCALENDAR", "");
        var text = Policies.ResponseText(Policies.Default.Redact(Dav("GET", "http://dav.test/dav/u1/personal/qa15b-ev.ics", null, 200, body, "text/calendar; charset=utf-8")));
        output.WriteLine(text);

        Assert.DoesNotContain("anna.keller", text, StringComparison.Ordinal);
        Assert.Contains("tok_email_", text, StringComparison.Ordinal);
        Assert.Contains("END:VEVENT" + newline + "END:VCALENDAR", text, StringComparison.Ordinal);
    }
}
