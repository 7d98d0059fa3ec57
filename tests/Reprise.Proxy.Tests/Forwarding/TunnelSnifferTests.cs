using System.Buffers;
using System.Text;
using Reprise.Proxy.Forwarding;
using Xunit;

namespace Reprise.Proxy.Tests.Forwarding;

public sealed class TunnelSnifferTests
{
    [Theory]
    [InlineData("GET /chat HTTP/1.1\r\nHost: a\r\n\r\n", "Http1")]
    [InlineData("POST /rpc HTTP/1.0\n", "Http1")]
    [InlineData("M-SEARCH * HTTP/1.1\r\n", "Http1")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "Http2")]
    [InlineData("\u0016\u0003\u0001", "Tls")]
    [InlineData("NICK ann\r\nUSER ann 0 * :Ann\r\n", "Other")] // IRC
    [InlineData("REGISTER sip:example.test SIP/2.0\r\n", "Other")] // SIP
    [InlineData("OPTIONS rtsp://cam.test/1 RTSP/1.0\r\n", "Other")] // RTSP
    [InlineData("SET a b\r\n", "Other")] // Redis inline command
    [InlineData("*1\r\n$4\r\nPING\r\n", "Other")] // Redis RESP
    [InlineData(" GET / HTTP/1.1\r\n", "Other")]
    [InlineData("GET", "NeedMore")]
    [InlineData("GET /still-coming", "NeedMore")]
    [InlineData("PRI * HTTP/2", "NeedMore")]
    [InlineData("", "NeedMore")]
    public void Classify_FirstBytes(string first, string expected)
    {
        var bytes = Encoding.Latin1.GetBytes(first);
        Assert.Equal(expected, TunnelSniffer.Classify(bytes).ToString());
        Assert.Equal(expected, TunnelSniffer.Classify(Split(bytes)).ToString());
    }

    [Fact]
    public void Classify_RequestLineWithoutEnd_IsNotHttpPastTheLimit()
    {
        var line = "GET /" + new string('a', TunnelSniffer.MaxRequestLine);
        Assert.Equal(TunnelSniffer.Kind.Other, TunnelSniffer.Classify(Encoding.ASCII.GetBytes(line)));
        Assert.Equal(TunnelSniffer.Kind.NeedMore, TunnelSniffer.Classify(Encoding.ASCII.GetBytes(line[..1000])));
    }

    /// <summary>The same bytes as a multi-segment sequence (one byte per segment), as a pipe may deliver them.</summary>
    private static ReadOnlySequence<byte> Split(byte[] bytes)
    {
        if (bytes.Length < 2)
        {
            return new ReadOnlySequence<byte>(bytes);
        }

        var first = new Segment(bytes.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes.AsMemory(i, 1));
        }

        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
