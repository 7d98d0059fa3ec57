using System.Buffers.Binary;
using System.Text;
using Reprise.Core.Model;
using Reprise.Diff.Bodies;
using Reprise.Diff.Engine;
using Reprise.Diff.Model;
using static Reprise.Testing.Ipp;

namespace Reprise.Diff.Tests.Bodies;

/// <summary>
/// QA11b (CUPS replayed against a fresh scheduler): IPP answers were compared as text lines, so a changed job id read as
/// <c>body:line 1: G attributes-charset utf-8H attributes-natural-language enE job-uri ipp://…</c>, cut at 200
/// characters. The default comparers now read IPP attribute by attribute.
/// </summary>
public sealed class IppComparerTests
{
    private sealed class ListSink : IDiffSink
    {
        public List<Difference> Items { get; } = [];

        public void Report(string location, DifferenceKind kind, string? expected, string? actual) => Items.Add(new Difference(location, kind, expected, actual));
    }

    private static byte[] Int(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Answer(int jobId, string state) =>
    [
        0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, // successful-ok, request 5
        0x01,
        .. Attribute(0x47, "attributes-charset", "utf-8"u8.ToArray()),
        0x02,
        .. Attribute(0x45, "job-uri", Encoding.ASCII.GetBytes($"ipp://127.0.0.1:8631/jobs/{jobId}")),
        .. Attribute(0x21, "job-id", Int(jobId)),
        .. Attribute(0x44, "job-state-reasons", Encoding.ASCII.GetBytes(state)),
        .. Attribute(0x44, "", "job-printing"u8.ToArray()),
        0x03,
    ];

    [Fact]
    public void DefaultComparers_ReadIpp_AttributeByAttribute()
    {
        var expected = ExchangeBody.FromBytes(Answer(16, "job-incoming"), "application/ipp");
        var actual = ExchangeBody.FromBytes(Answer(1, "none"), "application/ipp");
        var comparer = new ExchangeComparer().For(expected, Protocol.Http1);
        var sink = new ListSink();

        Assert.True(comparer.Compare(expected, actual, BodyDiffContext.Default, sink));
        Assert.Equal(
            ["body:ipp.job-attributes.job-id: 16 → 1", "body:ipp.job-attributes.job-state-reasons: job-incoming → none", "body:ipp.job-attributes.job-uri: ipp://127.0.0.1:8631/jobs/16 → ipp://127.0.0.1:8631/jobs/1"],
            sink.Items.Select(d => d.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void NotAWholeMessage_IsLeftToTheNextComparer()
    {
        var cut = ExchangeBody.FromBytes(Answer(16, "none").AsMemory(0, 20), "application/ipp");
        Assert.False(new IppComparer().Compare(cut, cut, BodyDiffContext.Default, new ListSink()));
    }
}
