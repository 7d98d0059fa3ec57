using System.Buffers.Binary;
using System.Text;
using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;
using static Reprise.Testing.Ipp;

namespace Reprise.Redaction.Tests;

/// <summary>
/// Review of QA round 11b's IPP redaction (<c>application/ipp</c>): a message cut inside an attribute went whole to the
/// binary redactor, which keeps a user name; a value whose redaction outgrew the 16-bit length, a text in another charset,
/// a hashed job-password, CUPS's auth-info and a textWithLanguage with a wrong inner length were written back raw; the
/// same-value pass rewrote the message as text and broke its lengths.
/// </summary>
public sealed class ReviewFindings11b
{
    private const string User = "maria.gonzalez";

    private static byte[] Job(int id) =>
    [
        0x02, // job attributes
        .. Attribute(0x21, "job-id", [0, 0, 0, (byte)id]),
        .. Attribute(0x42, "job-originating-user-name", User),
        .. Attribute(0x42, "job-name", "Quarterly report " + id),
    ];

    /// <summary>A CUPS Get-Jobs answer listing <paramref name="jobs"/> jobs.</summary>
    private static byte[] GetJobsResponse(int jobs)
    {
        var body = new List<byte> { 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x01 };
        body.AddRange(Attribute(0x47, "attributes-charset", "utf-8"));
        body.AddRange(Attribute(0x48, "attributes-natural-language", "en"));
        for (var id = 1; id <= jobs; id++)
        {
            body.AddRange(Job(id));
        }

        body.Add(0x03);
        return [.. body];
    }

    private static Exchange IppExchange(byte[] requestBody, byte[] responseBody, bool responseTruncated = false, long? responseSize = null)
    {
        var exchange = Testing.Exchanges.Send("POST", "http://127.0.0.1:8631/", "{}", id: "ipp-review");
        return exchange with
        {
            Request = exchange.Request with { Headers = [new("Content-Type", "application/ipp")], Body = ExchangeBody.FromBytes(requestBody, "application/ipp") },
            Response = exchange.Response! with
            {
                Headers = [new("Content-Type", "application/ipp")],
                Body = new ExchangeBody { Content = responseBody, MediaType = "application/ipp", Size = responseSize ?? responseBody.Length, Truncated = responseTruncated },
            },
        };
    }

    private static readonly byte[] GetJobsRequest =
    [
        0x02, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x05, 0x01,
        .. Attribute(0x47, "attributes-charset", "utf-8"),
        .. Attribute(0x48, "attributes-natural-language", "en"),
        .. Attribute(0x45, "printer-uri", "ipp://127.0.0.1:8631/printers/office"),
        0x03,
    ];

    [Fact]
    public void IppBody_CutByMaxBodyInsideAnAttribute_KeepsNoUserNameRaw()
    {
        // record --max-body cuts a long job list anywhere, here inside the last job's name.
        var whole = GetJobsResponse(4);
        var cut = whole[..(whole.Length - 8)];
        var redacted = Policies.Default.Redact(IppExchange(GetJobsRequest, cut, responseTruncated: true, responseSize: whole.Length)).Response!.Body!.Content.ToArray();

        Assert.DoesNotContain(User, Encoding.UTF8.GetString(redacted), StringComparison.Ordinal);
    }

    [Fact]
    public void IppValue_WhoseRedactionOutgrowsTheLengthField_IsNotWrittenBackRaw()
    {
        // A job name listing addresses: each 7-byte address becomes a 43-byte token, past the 65,535 a length can say.
        var addresses = new StringBuilder();
        for (var n = 0; addresses.Length < 60_000; n++)
        {
            addresses.Append(CultureInfoFree(n)).Append("@x.io ");
        }

        byte[] request =
        [
            0x02, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x07, 0x01,
            .. Attribute(0x47, "attributes-charset", "utf-8"),
            .. Attribute(0x42, "job-name", addresses.ToString()),
            0x03,
        ];

        var redacted = Policies.Default.Redact(IppExchange(request, GetJobsResponse(1))).Request.Body!.Content.ToArray();

        Assert.DoesNotContain("@x.io", Encoding.UTF8.GetString(redacted), StringComparison.Ordinal);
        AssertParses(redacted);
    }

    [Fact]
    public void IppNameWithLanguage_WhoseRedactionOutgrowsTheLengthField_IsNotWrittenBackRaw()
    {
        var addresses = new StringBuilder();
        for (var n = 0; addresses.Length < 60_000; n++)
        {
            addresses.Append(CultureInfoFree(n)).Append("@x.io ");
        }

        var text = Encoding.UTF8.GetBytes(addresses.ToString());
        var value = new byte[2 + 2 + 2 + text.Length];
        BinaryPrimitives.WriteUInt16BigEndian(value, 2);
        "en"u8.CopyTo(value.AsSpan(2));
        BinaryPrimitives.WriteUInt16BigEndian(value.AsSpan(4), (ushort)text.Length);
        text.CopyTo(value, 6);
        byte[] request =
        [
            0x02, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x07, 0x01,
            .. Attribute(0x47, "attributes-charset", "utf-8"),
            .. Attribute(0x36, "job-name", value),
            0x03,
        ];

        var redacted = Policies.Default.Redact(IppExchange(request, GetJobsResponse(1))).Request.Body!.Content.ToArray();

        Assert.DoesNotContain("@x.io", Encoding.UTF8.GetString(redacted), StringComparison.Ordinal);
        AssertParses(redacted);
    }

    [Fact]
    public void IppUserName_InAnotherCharset_IsRedacted()
    {
        // attributes-charset iso-8859-1 (RFC 8011 4.1.4.1 lets a client name its charset): "José" is one byte 0xE9, not UTF-8.
        var latin1 = System.Text.Encoding.Latin1.GetBytes("jos\u00e9.garcia");
        byte[] request =
        [
            0x01, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x07, 0x01,
            .. Attribute(0x47, "attributes-charset", "iso-8859-1"),
            .. Attribute(0x48, "attributes-natural-language", "es"),
            .. Attribute(0x45, "printer-uri", "ipp://127.0.0.1:8631/printers/office"),
            .. Attribute(0x42, "requesting-user-name", latin1),
            0x03,
        ];

        var redacted = Policies.Default.Redact(IppExchange(request, GetJobsResponse(1))).Request.Body!.Content.ToArray();

        Assert.True(redacted.AsSpan().IndexOf(latin1) < 0, "the Latin-1 user name is not stored raw");
        Assert.True(redacted.AsSpan().IndexOf("ipp://127.0.0.1:8631/printers/office"u8) >= 0, "the printer URI is kept");
        AssertParses(redacted);
    }

    [Fact]
    public void IppJobPassword_HashedToBytes_IsNotStoredRaw()
    {
        // PWG 5100.11: job-password is an octetString, sent hashed when job-password-encryption says so (sha2-256, md5).
        var digest = System.Security.Cryptography.SHA256.HashData("1234"u8);
        byte[] request =
        [
            0x02, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x07, 0x01,
            .. Attribute(0x47, "attributes-charset", "utf-8"),
            .. Attribute(0x45, "printer-uri", "ipp://127.0.0.1:8631/printers/office"),
            0x02,
            .. Attribute(0x30, "job-password", digest),
            .. Attribute(0x44, "job-password-encryption", "sha2-256"),
            0x03,
        ];

        var redacted = Policies.Default.Redact(IppExchange(request, GetJobsResponse(1))).Request.Body!.Content.ToArray();

        Assert.True(redacted.AsSpan().IndexOf(digest) < 0, "the hashed job password is not stored raw");
        AssertParses(redacted);
    }

    [Fact]
    public void IppAuthInfo_PasswordAfterTheUserName_IsNotStoredRaw()
    {
        // CUPS Authenticate-Job / Print-Job to a queue with auth-info-required username,password (an SMB printer):
        // auth-info is a 1setOf text whose values are positional, the user name then the password.
        const string Password = "Smb-qa11b-Passw0rd";
        byte[] request =
        [
            0x02, 0x00, 0x40, 0x0E, 0x00, 0x00, 0x00, 0x07, 0x01, // CUPS-Authenticate-Job
            .. Attribute(0x47, "attributes-charset", "utf-8"),
            .. Attribute(0x48, "attributes-natural-language", "en"),
            .. Attribute(0x45, "printer-uri", "ipp://127.0.0.1:8631/printers/office"),
            .. Attribute(0x21, "job-id", [0, 0, 0, 7]),
            0x02,
            .. Attribute(0x41, "auth-info", User),
            .. Attribute(0x41, "", Password),
            0x03,
        ];

        var redacted = Policies.Default.Redact(IppExchange(request, GetJobsResponse(1))).Request.Body!.Content.ToArray();

        Assert.DoesNotContain(Password, Encoding.UTF8.GetString(redacted), StringComparison.Ordinal);
        AssertParses(redacted);
    }

    [Fact]
    public void IppNameWithLanguage_WhoseLanguageLengthLies_IsNotStoredRaw()
    {
        // A client that writes the language length wrong: the inner text cannot be found, and the value was kept as it came.
        byte[] value = [0x00, 0xFF, (byte)'e', (byte)'n', 0x00, (byte)User.Length, .. Encoding.ASCII.GetBytes(User)];
        byte[] request =
        [
            0x02, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x07, 0x01,
            .. Attribute(0x47, "attributes-charset", "utf-8"),
            .. Attribute(0x36, "requesting-user-name", value),
            0x03,
        ];

        var redacted = Policies.Default.Redact(IppExchange(request, GetJobsResponse(0))).Request.Body!.Content.ToArray();

        Assert.DoesNotContain(User, Encoding.Latin1.GetString(redacted), StringComparison.Ordinal);
        AssertParses(redacted);
    }

    [Fact]
    public void IppBody_ANameTheSameValuePassFindsAgain_KeepsTheMessageParsing()
    {
        // The user name is tokenized as requesting-user-name; the same-value pass finds it again at the end of the job
        // name (an integer attribute follows: '!' stands alone) and rewrote the message as text, the token longer than
        // the name: the job name's length no longer said where the next attribute starts.
        byte[] request =
        [
            0x02, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x07, 0x01,
            .. Attribute(0x47, "attributes-charset", "utf-8"),
            .. Attribute(0x48, "attributes-natural-language", "en"),
            .. Attribute(0x45, "printer-uri", "ipp://127.0.0.1:8631/printers/office"),
            .. Attribute(0x42, "requesting-user-name", User),
            .. Attribute(0x42, "job-name", "Expenses of " + User),
            .. Attribute(0x21, "job-priority", [0, 0, 0, 50]),
            0x03,
        ];

        var redacted = Policies.Default.Redact(IppExchange(request, GetJobsResponse(0))).Request.Body!.Content.ToArray();

        AssertParses(redacted);
        Assert.DoesNotContain(User, Encoding.UTF8.GetString(redacted), StringComparison.Ordinal);
    }

    private static string CultureInfoFree(int n) => "u" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Fails unless every attribute's lengths stay inside the message and it ends with end-of-attributes.</summary>
    private static void AssertParses(byte[] message)
    {
        Assert.NotNull(Reprise.Core.Protocols.IppAttributes.Read(message));
    }
}
