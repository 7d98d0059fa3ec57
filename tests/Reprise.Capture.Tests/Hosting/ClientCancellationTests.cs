using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Reprise.Core.Model;
using Reprise.Testing;
using Xunit;

namespace Reprise.Capture.Tests.Hosting;

/// <summary>
/// A client that goes away mid-request (a browser navigating away, a curl interrupted, an EventSource closed) is not an
/// upstream failure: record logged it as "upstream failed" (a warning), recorded the 502 it wrote for a client that was
/// gone, and counted it as an error. It is logged as a client cancellation (its own event, below the default level) and
/// recorded as canceled with what really passed.
/// </summary>
public sealed class ClientCancellationTests
{
    private const int ClientCanceledEvent = 1504;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClientAbortsBeforeTheUpstreamAnswers_LoggedAsAClientCancellation_RecordedWithoutAResponse()
    {
        var upstreamSawAbort = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await TestKestrel.StartAsync(app => app.Run(async context =>
        {
            arrived.TrySetResult();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                await context.Response.WriteAsync("late", context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                upstreamSawAbort.TrySetResult();
            }
        }));
        var logs = new ListLoggerProvider();
        using var factory = new LoggerFactory([logs]);
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address }, loggerFactory: factory);

        using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var call = recorder.Client.GetAsync(recorder.Url("/reports/slow?id=7"), cancel.Token);
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }

        await upstreamSawAbort.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        var (_, exchanges) = await recorder.StopAndReadAsync();
        var exchange = Assert.Single(exchanges);
        Assert.Equal(ExchangeErrorKind.Canceled, exchange.Error!.Kind);
        Assert.StartsWith("client ended the request", exchange.Error.Message, StringComparison.Ordinal);
        Assert.Null(exchange.Response); // nothing was answered: not the 502 the recorder would write for a failed upstream
        Assert.Equal(0, recorder.Server.Stats.Errors);
        AssertLoggedAsClientCancellation(logs, "GET", "/reports/slow");
    }

    [Fact]
    public async Task ClientClosesAnEventStream_LoggedAsAClientCancellation_RecordedWithTheEventsItGot()
    {
        var upstreamSawAbort = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await TestKestrel.StartAsync(app => app.Run(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            try
            {
                for (var i = 1; i <= 2; i++)
                {
                    await context.Response.WriteAsync($"data: {{\"tick\":{i}}}\n\n", context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }

                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                upstreamSawAbort.TrySetResult();
            }
        }));
        var logs = new ListLoggerProvider();
        using var factory = new LoggerFactory([logs]);
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address }, loggerFactory: factory);

        const string TwoEvents = "data: {\"tick\":1}\n\ndata: {\"tick\":2}\n\n";
        using (var response = await recorder.Client.GetAsync(recorder.Url("/prices/stream"), HttpCompletionOption.ResponseHeadersRead, Ct))
        {
            var body = await response.Content.ReadAsStreamAsync(Ct);
            var buffer = new byte[TwoEvents.Length];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await body.ReadAsync(buffer.AsMemory(read), Ct);
                Assert.NotEqual(0, n);
                read += n;
            }

            Assert.Equal(TwoEvents, Encoding.UTF8.GetString(buffer));
        } // disposing the unfinished response closes the connection: the client went away

        await upstreamSawAbort.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        var (_, exchanges) = await recorder.StopAndReadAsync();
        var exchange = Assert.Single(exchanges);
        Assert.Equal(ExchangeErrorKind.Canceled, exchange.Error!.Kind);
        Assert.StartsWith("client ended the request", exchange.Error.Message, StringComparison.Ordinal);
        Assert.Equal(200, exchange.Response!.Status);
        Assert.Equal(TwoEvents, exchange.Response.Body!.Text);
        Assert.Equal(0, recorder.Server.Stats.Errors);
        AssertLoggedAsClientCancellation(logs, "GET", "/prices/stream");
    }

    private static void AssertLoggedAsClientCancellation(ListLoggerProvider logs, string method, string path)
    {
        var entries = logs.Entries;
        Assert.DoesNotContain(entries, e => e.Message.Contains("upstream failed", StringComparison.Ordinal));
        var line = Assert.Single(entries, e => e.EventId == ClientCanceledEvent);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains(method + " ", line.Message, StringComparison.Ordinal);
        Assert.Contains(path, line.Message, StringComparison.Ordinal);
        Assert.Contains("client", line.Message, StringComparison.Ordinal);
    }
}
