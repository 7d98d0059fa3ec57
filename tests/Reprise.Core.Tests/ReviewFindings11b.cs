using System.Text;
using Reprise.Core.Protocols;
using Xunit;
using static Reprise.Testing.Ipp;

namespace Reprise.Core.Tests;

/// <summary>
/// Review of QA round 11b's IPP reader (<see cref="IppAttributes"/>): the document after the attributes was read as its
/// size alone, so two different documents of one length read the same; and no length, count or cut crashes or loops it.
/// </summary>
public sealed class ReviewFindings11b
{

    private static byte[] Message(string document) =>
    [
        0x02, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x07, 0x01,
        .. Attribute(0x47, "attributes-charset", "utf-8"),
        .. Attribute(0x42, "requesting-user-name", "maria.gonzalez"),
        .. Attribute(0x49, "document-format", "text/plain"),
        0x03,
        .. Encoding.UTF8.GetBytes(document),
    ];

    [Fact]
    public void Read_TwoDocumentsOfOneLength_ReadDifferently()
    {
        var a = IppAttributes.Read(Message("Invoice total: 100.00 EUR\n"))!;
        var b = IppAttributes.Read(Message("Invoice total: 999.99 EUR\n"))!;

        Assert.NotEqual(a.Single(l => l.Key == "ipp.document").Value, b.Single(l => l.Key == "ipp.document").Value);
        Assert.StartsWith("26 bytes", a.Single(l => l.Key == "ipp.document").Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EveryCutAndMutation_ReturnsWithoutThrowing()
    {
        var message = Message("Hello printer\n");
        for (var cut = 0; cut <= message.Length; cut++)
        {
            _ = IppAttributes.Read(message.AsSpan(0, cut));
        }

        var random = new Random(11);
        for (var n = 0; n < 2000; n++)
        {
            var mutated = (byte[])message.Clone();
            mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            mutated[random.Next(mutated.Length)] = 0xFF; // lengths past the end
            _ = IppAttributes.Read(mutated);
        }
    }
}
