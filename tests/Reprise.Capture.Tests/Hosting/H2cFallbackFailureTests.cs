using System.Net.Http;
using System.Net.Sockets;
using Reprise.Capture.Forwarding;
using Xunit;

namespace Reprise.Capture.Tests.Hosting;

/// <summary>The record proxy's h2c -> HTTP/1.1 fallback (<see cref="RecordingForwarder"/>): what a failed h2c attempt's exception tells by itself (the preface probe decides the rest).</summary>
public sealed class H2cFallbackFailureTests
{
    [Fact]
    public void FailureShowsHttp2Refusal_BrokenPipeWritingToAnUpstreamThatClosedOnThePreface_LeavesItToTheProbe()
    {
        // Flaky GrpcRecordingTests (about 1 class run in 30 under load): an HTTP/1.1-only upstream closed the connection on
        // the h2c preface while SocketsHttpHandler was still writing the request, so the request failed with EPIPE
        // (SocketError.Shutdown) instead of the usual "did not complete the HTTP/2 handshake". That socket error was taken
        // for a connection that was never made: no probe, no HTTP/1.1 retry, and the client got 502. The chain as captured:
        var brokenPipe = new HttpRequestException(
            "An error occurred while sending the request.",
            new IOException("The request was aborted.", new IOException("Unable to write data to the transport connection: Broken pipe.", new SocketException((int)SocketError.Shutdown))));

        Assert.Null(RecordingForwarder.FailureShowsHttp2Refusal(brokenPipe));
    }

    [Theory]
    [InlineData(SocketError.ConnectionReset)]
    [InlineData(SocketError.ConnectionAborted)]
    [InlineData(SocketError.Shutdown)] // EPIPE: a write after the peer closed
    [InlineData(SocketError.NotConnected)]
    public void FailureShowsHttp2Refusal_AMadeConnectionThatBroke_LeavesItToTheProbe(SocketError error)
    {
        Assert.Null(RecordingForwarder.FailureShowsHttp2Refusal(new HttpRequestException("send", new IOException("io", new SocketException((int)error)))));
        Assert.Null(RecordingForwarder.FailureShowsHttp2Refusal(new AggregateException(new SocketException((int)error), new SocketException((int)error))));
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused)]
    [InlineData(SocketError.HostUnreachable)]
    [InlineData(SocketError.NetworkUnreachable)]
    [InlineData(SocketError.HostNotFound)]
    [InlineData(SocketError.TryAgain)]
    [InlineData(SocketError.TimedOut)]
    public void FailureShowsHttp2Refusal_AConnectionNeverMade_IsNoRefusal_NothingIsResent(SocketError error)
    {
        Assert.False(RecordingForwarder.FailureShowsHttp2Refusal(new HttpRequestException("connect", new SocketException((int)error))));
        // Every address tried (IPv6 then IPv4): one that was never reached is enough.
        Assert.False(RecordingForwarder.FailureShowsHttp2Refusal(new AggregateException(new SocketException((int)SocketError.ConnectionReset), new IOException("connect", new SocketException((int)error)))));
    }

    [Fact]
    public void FailureShowsHttp2Refusal_Http11Required_IsARefusal()
    {
        var goAway = new HttpRequestException("closed", new HttpProtocolException(0xd, "The HTTP/2 server closed the connection. HTTP/2 error code 'HTTP_1_1_REQUIRED' (0xd).", null));

        Assert.True(RecordingForwarder.FailureShowsHttp2Refusal(goAway));
    }

    [Fact]
    public void FailureShowsHttp2Refusal_AStreamResetOrAnUnfinishedHandshake_LeavesItToTheProbe()
    {
        var reset = new HttpRequestException("reset", new HttpProtocolException(0x2, "The HTTP/2 server reset the stream. HTTP/2 error code 'INTERNAL_ERROR' (0x2).", null));
        var handshake = new HttpRequestException("handshake", new HttpIOException(HttpRequestError.InvalidResponse, "did not complete the HTTP/2 handshake", new HttpIOException(HttpRequestError.ResponseEnded, "ended")));

        Assert.Null(RecordingForwarder.FailureShowsHttp2Refusal(reset));
        Assert.Null(RecordingForwarder.FailureShowsHttp2Refusal(handshake));
        Assert.Null(RecordingForwarder.FailureShowsHttp2Refusal(null));
    }
}
