using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Reprise.Testing;
using Xunit;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// A server-sent-events stream the recorded client closed (a page left, an EventSource closed): the recorder saw the
/// response start and the client cancel (<c>error.kind: canceled</c>). Its server never ends it, so replay used to hold
/// it until <c>--timeout</c> and report a timeout; it ends it as the client did, like a client-ended gRPC stream.
/// </summary>
public sealed class SseClientEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AnEventStreamTheRecordedClientClosed_EndsOnceTheRecordedEventsArrived_NotAtTheTimeout()
    {
        var aborted = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await EventServerAsync(events: 3, aborted);
        var stream = ClosedStream(Events(2, "\n"), TimeSpan.FromSeconds(8));
        var sink = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = server.Address, RequestTimeout = Timeout }, Recorded.Stream([stream]), sink, TestContext.Current.CancellationToken);

        var held = await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken); // the server saw the client go
        Assert.True(held < TimeSpan.FromSeconds(6), $"the stream was held {held} (the recorded client closed it after 2 events; timeout {Timeout})");
        var result = Assert.Single(sink.Results);
        Assert.Equal(ExchangeErrorKind.Canceled, result.Error!.Kind);
        Assert.Equal("ended by the client as recorded: after 2 event(s)", result.Error.Message);
        Assert.Equal(200, result.Response!.Status);
        // The server writes CRLF line ends where the recording has LF: the same two events arrived, nothing of the third.
        Assert.Equal(Events(2, "\r\n"), result.Response.Body!.Content.ToArray());
    }

    [Fact]
    public async Task AnEventStreamTheRecordedClientClosed_WithFewerEventsNow_EndsAfterTheRecordedDuration()
    {
        var aborted = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await EventServerAsync(events: 1, aborted);
        var stream = ClosedStream(Events(3, "\n"), TimeSpan.FromSeconds(1));
        var sink = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = server.Address, RequestTimeout = Timeout }, Recorded.Stream([stream]), sink, TestContext.Current.CancellationToken);

        var held = await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.True(held >= TimeSpan.FromSeconds(0.9) && held < TimeSpan.FromSeconds(10), $"the stream was held {held} (recorded: 1 s; timeout {Timeout})");
        var result = Assert.Single(sink.Results);
        Assert.Equal(ExchangeErrorKind.Canceled, result.Error!.Kind);
        Assert.Equal("ended by the client as recorded: after 1s (1 of 3 event(s) arrived)", result.Error.Message);
        Assert.Equal(Events(1, "\r\n"), result.Response!.Body!.Content.ToArray());
    }

    /// <summary>A stream the server ended itself (no error recorded) is read to its end as before.</summary>
    [Fact]
    public void AnEventStreamTheServerEnded_IsNotClientEnded()
    {
        var stream = ClosedStream(Events(2, "\n"), TimeSpan.FromSeconds(1)) with { Error = null };
        Assert.Null(Reprise.Replay.Http.ClientEndedStream.Of(stream));
        var ended = Reprise.Replay.Http.ClientEndedStream.Of(ClosedStream(Events(2, "\r"), TimeSpan.FromSeconds(1)));
        Assert.Equal(new Reprise.Replay.Http.ClientEndedStream(2, TimeSpan.FromSeconds(1), Events: true), ended);
    }

    /// <summary>An SSE server: <paramref name="events"/> events (CRLF line ends, a comment before each), then the stream is held open until the client goes.</summary>
    private static Task<TestKestrel> EventServerAsync(int events, TaskCompletionSource<TimeSpan> aborted) => TestKestrel.StartAsync(app => app.Run(async context =>
    {
        var started = TimeProvider.System.GetTimestamp();
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        try
        {
            for (var i = 1; i <= events; i++)
            {
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(Event(i, "\r\n")), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(TimeSpan.FromMilliseconds(50), context.RequestAborted);
            }

            await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            aborted.TrySetResult(TimeProvider.System.GetElapsedTime(started));
        }
    }));

    private static string Event(int i, string eol) => $"id: {i}{eol}event: price{eol}data: {{\"tick\":{i}}}{eol}{eol}";

    private static byte[] Events(int count, string eol) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(1, count).Select(i => Event(i, eol))));

    /// <summary>A recorded SSE stream whose client closed it after <paramref name="duration"/>, having received <paramref name="body"/>.</summary>
    private static Exchange ClosedStream(byte[] body, TimeSpan duration)
    {
        var recorded = Recorded.Request("GET", "/prices/stream", 0, session: "c");
        return recorded with
        {
            Duration = duration,
            Request = recorded.Request with { Headers = [new("Accept", "text/event-stream"), new("Authorization", "Bearer c")] },
            Response = new ExchangeResponse
            {
                Status = 200,
                Version = "HTTP/1.1",
                Headers = [new("Content-Type", "text/event-stream"), new("Cache-Control", "no-cache")],
                Body = ExchangeBody.FromBytes(body, "text/event-stream"),
            },
            Error = new ExchangeError(ExchangeErrorKind.Canceled, "ResponseBodyClient: The client reset the request stream."),
        };
    }
}
