using System.Text;
using Reprise.Core.Model;
using Reprise.Diff.Bodies;
using Reprise.Diff.Engine;
using Reprise.Diff.Model;
using static Reprise.Testing.Ipp;

namespace Reprise.Diff.Tests;

/// <summary>
/// Review of QA round 11b's IPP diff: the document after the attributes (a Print-Job's file, a CUPS-Get-Document
/// answer) was compared by its size alone, so a changed document of the same length was no difference at all.
/// </summary>
public sealed class ReviewFindings11b
{
    private sealed class ListSink : IDiffSink
    {
        public List<Difference> Items { get; } = [];

        public void Report(string location, DifferenceKind kind, string? expected, string? actual) => Items.Add(new Difference(location, kind, expected, actual));
    }

    /// <summary>A CUPS-Get-Document answer: the attributes, then the document.</summary>
    private static byte[] Document(string text) =>
    [
        0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09,
        0x01,
        .. Attribute(0x47, "attributes-charset", "utf-8"),
        .. Attribute(0x49, "document-format", "text/plain"),
        0x03,
        .. Encoding.UTF8.GetBytes(text),
    ];

    [Fact]
    public void IppDocument_ChangedAtTheSameLength_IsADifference()
    {
        var expected = ExchangeBody.FromBytes(Document("Invoice total: 100.00 EUR\n"), "application/ipp");
        var actual = ExchangeBody.FromBytes(Document("Invoice total: 999.99 EUR\n"), "application/ipp");
        var sink = new ListSink();

        Assert.True(new ExchangeComparer().For(expected, Protocol.Http1).Compare(expected, actual, BodyDiffContext.Default, sink));
        Assert.Contains(sink.Items, d => d.Location == "body:ipp.document");
    }

    [Fact]
    public void IppDocument_TheSame_IsNoDifference()
    {
        var expected = ExchangeBody.FromBytes(Document("Invoice total: 100.00 EUR\n"), "application/ipp");
        var actual = ExchangeBody.FromBytes(Document("Invoice total: 100.00 EUR\n"), "application/ipp");
        var sink = new ListSink();

        Assert.True(new IppComparer().Compare(expected, actual, BodyDiffContext.Default, sink));
        Assert.Empty(sink.Items);
    }

    [Fact]
    public void ToSingleLine_ALoneCarriageReturn_IsShown_NotDropped()
    {
        // A form or header value changed only by a carriage return read "ab → ab": the difference was invisible.
        var difference = new Difference("body:comment", DifferenceKind.Changed, "a\rb", "ab");

        Assert.NotEqual("body:comment: ab → ab", difference.ToSingleLine());
        Assert.Equal("body:line 2-3: x⏎y → x⏎z", new Difference("body:line 2-3", DifferenceKind.Changed, "x\r\ny", "x\nz").ToSingleLine());
    }
}
