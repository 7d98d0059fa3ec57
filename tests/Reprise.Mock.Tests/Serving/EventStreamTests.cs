using System.Text;
using Reprise.Core.Model;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Serving;

/// <summary>Recorded server-sent-events streams (<c>text/event-stream</c>) served by the mock.</summary>
public sealed class EventStreamTests
{
    private const string TwoEvents = "id: 1\nevent: price\ndata: {\"tick\":1}\n\nid: 2\nevent: price\ndata: {\"tick\":2}\n\n";

    /// <summary>
    /// A stream the recorded client closed (<c>error.kind: canceled</c>): its server never ended it. Ending it after the
    /// events made an EventSource reconnect at once, again and again; served like a client-ended gRPC stream instead: the
    /// recorded events, then held open until the client goes.
    /// </summary>
    [Fact]
    public async Task AStreamTheRecordedClientClosed_IsServedWithItsEvents_AndHeldOpenUntilTheClientGoes()
    {
        var stream = EventStream() with { Error = new ExchangeError(ExchangeErrorKind.Canceled, "ResponseBodyClient: The client reset the request stream.") };
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [stream]);
        await using (server)
        using (client)
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            using var response = await client.GetAsync("/prices/stream", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStreamAsync(cancel.Token);
            var received = await ReadAsync(body, Encoding.UTF8.GetByteCount(TwoEvents), cancel.Token);
            Assert.Equal(TwoEvents, received);

            var next = body.ReadAsync(new byte[1], cancel.Token).AsTask();
            var settled = await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(700), TestContext.Current.CancellationToken));
            Assert.NotSame(next, settled); // still open: no end, as the recorded server kept it
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
        }
    }

    /// <summary>A stream the server ended (no error recorded) is served whole and ended, as before.</summary>
    [Fact]
    public async Task AStreamTheServerEnded_IsServedWholeAndEnded()
    {
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [EventStream()]);
        await using (server)
        using (client)
        {
            var body = await client.GetStringAsync("/prices/stream", TestContext.Current.CancellationToken);
            Assert.Equal(TwoEvents, body);
        }
    }

    private static Exchange EventStream()
    {
        var get = MockFixtures.Get("http://prices.test/prices/stream");
        return get with
        {
            Duration = TimeSpan.FromSeconds(3),
            Response = new ExchangeResponse
            {
                Status = 200,
                Version = "HTTP/1.1",
                Headers = [new("Content-Type", "text/event-stream"), new("Cache-Control", "no-cache")],
                Body = ExchangeBody.FromText(TwoEvents, "text/event-stream"),
            },
        };
    }

    private static async Task<string> ReadAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = await body.ReadAsync(buffer.AsMemory(read), cancellationToken);
            Assert.NotEqual(0, n);
            read += n;
        }

        return Encoding.UTF8.GetString(buffer);
    }
}
