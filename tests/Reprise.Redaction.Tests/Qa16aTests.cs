using System.IO.Compression;
using System.Text;
using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests;

/// <summary>
/// QA round 16a (Debian's mailman3-web: Postorius, HyperKitty and django-allauth on Django, with GNU Mailman 3 core's REST
/// API): the numbered password fields of Django's forms kept the typed passwords, a gzip archive export kept every name,
/// email and phone of the list's messages, and email-confirmation and password-reset links kept their keys in the path.
/// </summary>
public sealed class Qa16aTests(ITestOutputHelper output)
{
    private static Exchange FormPost(string url, string form) =>
        Testing.Exchanges.Get(url) with
        {
            Request = new ExchangeRequest
            {
                Method = "POST",
                Url = url,
                Headers = [new("Content-Type", "application/x-www-form-urlencoded")],
                Body = ExchangeBody.FromBytes(Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded"),
            },
        };

    /// <summary>
    /// allauth's sign-up and Django's password change and reset forms ask for the password twice and number the fields:
    /// <c>password1</c>/<c>password2</c>, <c>new_password1</c>/<c>new_password2</c>. Only <c>oldpassword</c> was masked.
    /// </summary>
    [Theory]
    [InlineData("username=obrandvold&email=ottilie.brandvold%40fjordpost.no&password1=Kx7%21fjordPass-2291&password2=Kx7%21fjordPass-2291")]
    [InlineData("csrfmiddlewaretoken=x&oldpassword=Nq4%23ValleyRoad-5512&new_password1=Kx7%21fjordPass-2291&new_password2=Kx7%21fjordPass-2291")]
    [InlineData("pass1=Kx7%21fjordPass-2291&pass2=Kx7%21fjordPass-2291")]
    public void NumberedPasswordFields_AreMasked(string form)
    {
        var text = Policies.RequestText(Policies.Default.Redact(FormPost("http://lists.test/accounts/signup/", form)));
        output.WriteLine(text);

        Assert.DoesNotContain("fjordPass", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ValleyRoad", text, StringComparison.Ordinal);
    }

    /// <summary>Guards: a number ending a name that no detector takes stays a plain field, and listed names still match as listed.</summary>
    [Theory]
    [InlineData("page2=3&step1=done&h1=Welcome", "page2=3&step1=done&h1=Welcome")]
    [InlineData("sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08&utf8=%E2%9C%93", "utf8=%E2%9C%93")]
    public void ANumberedNameNoDetectorTakes_StaysAsItIs(string form, string kept)
    {
        var text = Policies.RequestText(Policies.Default.Redact(FormPost("http://lists.test/search", form)));

        Assert.Contains(kept, text, StringComparison.Ordinal);
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    private static string Gunzip(ReadOnlyMemory<byte> content)
    {
        using var gzip = new GZipStream(new MemoryStream(content.ToArray()), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private const string Mbox = "From ottilie.brandvold@fjordpost.no Fri Nov 27 20:09:54 2026\n"
        + "From: Ottilie Brandvold <ottilie.brandvold@fjordpost.no>\nTo: fjord-walkers@lists.fjordwalkers.org\nSubject: Sunday walk\n\n"
        + "If you get lost call me on +47 912 34 567, or mail bart.qa@quinceymail.com. My card: 4111 1111 1111 1111.\n\n";

    /// <summary>
    /// HyperKitty's archive export (<c>GET …/export/list.mbox.gz</c>) answers <c>application/gzip</c> without a
    /// Content-Encoding: the body is the file. Only printable runs of the compressed bytes were scanned, so every name,
    /// email and phone of the messages went to disk. The file is read inside and stored as a gzip file still.
    /// </summary>
    [Theory]
    [InlineData("application/gzip")]
    [InlineData("application/x-gzip")]
    [InlineData("application/octet-stream")]
    public void AGzipFileBody_IsRedactedInside_AndStaysAGzipFile(string mediaType)
    {
        var exchange = Testing.Exchanges.Get("http://lists.test/hyperkitty/list/l@lists.test/export/l.mbox.gz") is var e
            ? e with { Response = e.Response! with { Headers = [new("Content-Type", mediaType)], Body = ExchangeBody.FromBytes(Gzip(Mbox), mediaType) } }
            : null!;
        var redacted = Policies.Default.Redact(exchange);
        var body = redacted.Response!.Body!;
        var inside = Gunzip(body.Content);
        output.WriteLine(inside);

        Assert.Equal(0x1f, body.Content.Span[0]);
        Assert.DoesNotContain("ottilie.brandvold@fjordpost.no", inside, StringComparison.Ordinal);
        Assert.DoesNotContain("bart.qa@quinceymail.com", inside, StringComparison.Ordinal);
        Assert.DoesNotContain("Ottilie Brandvold", inside, StringComparison.Ordinal);
        Assert.DoesNotContain("912 34 567", inside, StringComparison.Ordinal);
        Assert.DoesNotContain("4111 1111 1111 1111", inside, StringComparison.Ordinal);
        Assert.Contains("Subject: Sunday walk", inside, StringComparison.Ordinal);
    }

    /// <summary>Guard: a gzip file holding nothing to redact is kept byte for byte.</summary>
    [Fact]
    public void AGzipFileWithNothingToRedact_IsKeptByteExact()
    {
        var bytes = Gzip("plain release notes: version 1.2.3, nothing personal\n");
        var exchange = Testing.Exchanges.Get("http://files.test/notes.txt.gz") is var e
            ? e with { Response = e.Response! with { Headers = [new("Content-Type", "application/gzip")], Body = ExchangeBody.FromBytes(bytes, "application/gzip") } }
            : null!;

        Assert.Equal(bytes, Policies.Default.Redact(exchange).Response!.Body!.Content.ToArray());
    }

    /// <summary>
    /// Review: a gzip file's header is not inside it. <c>gzip -N</c> keeps the original file name (FNAME, RFC 1952 2.3.1),
    /// and an export named after its owner carried the address raw when nothing inside needed redacting (the file was kept
    /// byte for byte, its bytes no longer scanned as before).
    /// </summary>
    [Fact]
    public void AGzipFilesHeaderName_IsScannedWhenNothingInsideIsRedacted()
    {
        var plain = Gzip("{}");
        var name = Encoding.ASCII.GetBytes("anna.keller@acme-mail.com-export.csv\0");
        var bytes = plain[..10].Concat(name).Concat(plain[10..]).ToArray();
        bytes[3] = 0x08; // FNAME
        var exchange = Testing.Exchanges.Get("http://files.test/export.csv.gz") is var e
            ? e with { Response = e.Response! with { Headers = [new("Content-Type", "application/gzip")], Body = ExchangeBody.FromBytes(bytes, "application/gzip") } }
            : null!;

        var body = Policies.Default.Redact(exchange).Response!.Body!.Content.ToArray();

        Assert.Equal("{}", Gunzip(bytes)); // the fixture is a valid gzip file
        Assert.DoesNotContain("anna.keller", Encoding.Latin1.GetString(body), StringComparison.Ordinal);
    }

    /// <summary>
    /// allauth mails <c>/accounts/confirm-email/{key}/</c> and <c>/accounts/password/reset/key/{uidb36}-{token}/</c>:
    /// whoever holds the link confirms the address or sets the password. The keys went to disk in the URL, the page's form
    /// action and the next request's Referer.
    /// </summary>
    [Theory]
    [InlineData("http://lists.test/accounts/confirm-email/Mw:1xX2HT:sZCJp2UryWHnPBdLOlL7498TcZtw2wBPGiOMSEsSxY8/", "sZCJp2UryWHnPBdLOlL7498TcZtw2wBPGiOMSEsSxY8")]
    [InlineData("http://lists.test/accounts/password/reset/key/4-dipxe6-c2d13d3d5fd1ea75513ebce2420675cd/", "c2d13d3d5fd1ea75513ebce2420675cd")]
    [InlineData("http://app.test/users/verify/eyQ9xk2LmP7vR4tW8zN3bC6d/", "eyQ9xk2LmP7vR4tW8zN3bC6d")]
    [InlineData("http://app.test/invite/Zq83KdLmx01PaQwErTy7u2/accept", "Zq83KdLmx01PaQwErTy7u2")]
    public void AOneTimeKeyInALinksPath_IsMasked_InTheUrlTheFormAndTheReferer(string url, string key)
    {
        var page = $"<form method=\"post\" action=\"{new Uri(url).AbsolutePath}\"><input type=\"submit\" value=\"Confirm\"></form>";
        var exchange = Testing.Exchanges.Page(url, page);
        exchange = exchange with { Request = exchange.Request with { Headers = [new("Referer", url)] } };
        var redacted = Policies.Default.Redact(exchange);
        output.WriteLine(redacted.Request.Url);

        Assert.DoesNotContain(key, redacted.Request.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(key, Policies.ResponseText(redacted), StringComparison.Ordinal);
        Assert.DoesNotContain(redacted.Request.Headers, h => h.Value.Contains(key, StringComparison.Ordinal));
    }

    /// <summary>Guards: a plain word or a short id after such a word (<c>/key/done/</c>, <c>/token/42</c>, <c>/reset/set-password/</c>) is no credential.</summary>
    [Theory]
    [InlineData("http://lists.test/accounts/password/reset/key/done/")]
    [InlineData("http://lists.test/accounts/password/reset/key/4-set-password/")]
    [InlineData("http://app.test/api/token/42")]
    [InlineData("http://app.test/api/key/production-settings-page/")]
    [InlineData("http://app.test/docs/reset/release-2024-notes-v12/")]
    public void AWordOrAShortIdAfterSuchAWord_StaysInThePath(string url) =>
        Assert.Equal(url, Policies.Default.Redact(Testing.Exchanges.Get(url)).Request.Url);
}
