using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;
using static Reprise.Testing.Ipp;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 11b (CUPS 2.4 with <c>lp</c>, <c>lpstat</c> and <c>ipptool</c>): IPP is binary, each attribute a value tag,
/// a length-prefixed name and a length-prefixed value. <c>lp -U maria.gonzalez</c>'s <c>requesting-user-name</c> and the
/// <c>job-originating-user-name</c> of every job list reached the recording raw (21 times), as did the email, card and
/// password of a document sent with <c>compression=gzip</c>; <c>scan</c> said clean. Attributes are now redacted as
/// fields named by the attribute and written back with their new lengths; the document inside its compression.
/// </summary>
public sealed class IppBodyTests
{
    private const string Secret = "Print-Secret-qa11b-42";

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    private static byte[] PrintJob(string format, string? compression, byte[] document) =>
    [
        0x02, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x07, // IPP 2.0 Print-Job, request 7
        0x01, // operation attributes
        .. Attribute(0x47, "attributes-charset", "utf-8"),
        .. Attribute(0x48, "attributes-natural-language", "en"),
        .. Attribute(0x45, "printer-uri", "ipp://127.0.0.1:8631/printers/office"),
        .. Attribute(0x42, "requesting-user-name", "maria.gonzalez"),
        .. Attribute(0x42, "job-name", "Payroll"),
        .. Attribute(0x49, "document-format", format),
        .. (compression is null ? [] : Attribute(0x44, "compression", compression)),
        0x03, // end of attributes
        .. document,
    ];

    private static byte[] Redacted(byte[] body)
    {
        var exchange = Testing.Exchanges.Send("POST", "http://127.0.0.1:8631/printers/office", "{}", id: "ipp1");
        exchange = exchange with
        {
            Request = exchange.Request with
            {
                Headers = [new("Content-Type", "application/ipp")],
                Body = ExchangeBody.FromBytes(body, "application/ipp"),
            },
        };
        return Policies.Default.Redact(exchange).Request.Body!.Content.ToArray();
    }

    /// <summary>The attributes (name, value) and the document of a message, read as a printer would; fails when it does not parse.</summary>
    private static (List<(string Name, string Value)> Attributes, byte[] Document) Parse(byte[] message)
    {
        var attributes = new List<(string, string)>();
        var i = 8;
        while (message[i] != 0x03)
        {
            if (message[i] <= 0x0F)
            {
                i++;
                continue;
            }

            var nameLength = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(i + 1));
            var name = Encoding.ASCII.GetString(message, i + 3, nameLength);
            var valueLength = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(i + 3 + nameLength));
            attributes.Add((name, Encoding.UTF8.GetString(message, i + 5 + nameLength, valueLength)));
            i += 5 + nameLength + valueLength;
        }

        return (attributes, message[(i + 1)..]);
    }

    [Fact]
    public void AUserNameAndAGzipDocument_AreRedacted_AndTheMessageStillParses()
    {
        const string document = "Payroll contact maria.gonzalez@example.org card 4111 1111 1111 1111 db_password=" + Secret + "\n";
        var (attributes, redactedDocument) = Parse(Redacted(PrintJob("text/plain", "gzip", Gzip(document))));

        var user = attributes.Single(a => a.Name == "requesting-user-name").Value;
        Assert.StartsWith("tok_", user, StringComparison.Ordinal);
        Assert.Equal("ipp://127.0.0.1:8631/printers/office", attributes.Single(a => a.Name == "printer-uri").Value);
        Assert.Equal("utf-8", attributes.Single(a => a.Name == "attributes-charset").Value);
        Assert.Equal("gzip", attributes.Single(a => a.Name == "compression").Value);

        using var gunzip = new GZipStream(new MemoryStream(redactedDocument), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gunzip.CopyTo(plain);
        var text = Encoding.UTF8.GetString(plain.ToArray());
        Assert.StartsWith("Payroll contact ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("maria.gonzalez@example.org", text, StringComparison.Ordinal);
        Assert.DoesNotContain("4111 1111 1111 1111", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
    }

    [Fact]
    public void ARawDocument_IsRedactedAsText_AfterTheAttributes()
    {
        var body = PrintJob("application/vnd.cups-raw", null, Encoding.UTF8.GetBytes("Call jonas.schmidt@example.org\n"));
        var (attributes, document) = Parse(Redacted(body));

        Assert.Equal("application/vnd.cups-raw", attributes.Single(a => a.Name == "document-format").Value);
        Assert.StartsWith("Call ", Encoding.UTF8.GetString(document), StringComparison.Ordinal);
        Assert.DoesNotContain("jonas.schmidt@example.org", Encoding.UTF8.GetString(document), StringComparison.Ordinal);
    }

    [Fact]
    public void AMessageWithNothingToRedact_IsKeptByteExact()
    {
        byte[] body =
        [
            0x02, 0x00, 0x40, 0x02, 0x00, 0x00, 0x00, 0x03, // CUPS-Get-Default
            0x01,
            .. Attribute(0x47, "attributes-charset", "utf-8"),
            .. Attribute(0x48, "attributes-natural-language", "en"),
            .. Attribute(0x44, "requested-attributes", "printer-name"),
            0x03,
        ];

        Assert.Equal(body, Redacted(body));
    }

    [Fact]
    public void IppNestedAsItsOwnDocument_IsReadOneLevelDeep_NotUntilTheStackOverflows()
    {
        // Review 11b: a document whose format is application/ipp was read as IPP again, once per level of nesting.
        // 20,000 levels: each level's attributes, then the next level as its document (built flat, not level by level).
        var header = PrintJob("application/ipp", null, []);
        var body = Enumerable.Repeat(header, 20_000).SelectMany(h => h).Concat(Encoding.UTF8.GetBytes("innermost maria.gonzalez@example.org\n")).ToArray();

        var (attributes, _) = Parse(Redacted(body));

        Assert.StartsWith("tok_", attributes.Single(a => a.Name == "requesting-user-name").Value, StringComparison.Ordinal);
    }
}
