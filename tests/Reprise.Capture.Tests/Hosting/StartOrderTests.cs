using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Testing;
using Xunit;

namespace Reprise.Capture.Tests.Hosting;

/// <summary>The recording lists exchanges in the order their requests started, within the reorder window.</summary>
public sealed class StartOrderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SequentialRequests_FirstSlowToRedact_FileInStartOrder()
    {
        // With a Content-Length the client has the whole answer as soon as the body is copied (a chunked one
        // ends only when the handler does).
        await using var upstream = await TestKestrel.StartAsync(app => app.MapGet("/{name}", (string name) => Results.Bytes(System.Text.Encoding.UTF8.GetBytes(name), "text/plain")));
        // The first exchange's redaction is slow (as a cold redactor's first call is): the client already has its
        // answer and sends the next requests, whose exchanges are ready first. Each request on its own connection
        // (like separate curl runs): Kestrel reads a connection's next request only after the previous handler ends.
        // The first redaction is held on a gate until every answer is in, so the later exchanges are certainly ready
        // first (a fixed 600 ms sleep made that a matter of timing, and on a loaded machine could outlast the reorder window).
        using var gate = new ManualResetEventSlim();
        var slow = new SlowFirst(gate);
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address, ReorderWindow = TimeSpan.FromSeconds(30) }, slow);
        string[] names = ["first", "second", "third", "fourth", "fifth"];
        foreach (var name in names)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, recorder.Url("/" + name));
            request.Headers.ConnectionClose = true;
            using var response = await recorder.Client.SendAsync(request, Ct);
            Assert.Equal(name, await response.Content.ReadAsStringAsync(Ct));
        }

        Assert.True(SpinWait.SpinUntil(() => slow.Holding, TimeSpan.FromSeconds(10)), "the first exchange's redaction never started");
        gate.Set();

        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.Equal(names.Select(n => upstream.Address + n), exchanges.Select(e => e.Request.Url));
        Assert.Equal(exchanges.OrderBy(e => e.StartedAt).Select(e => e.Id), exchanges.Select(e => e.Id));
    }

    [Fact]
    public async Task LongRequestInFlight_LaterExchangesWrittenAfterTheWindowNotHeldUntilItEnds()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await TestKestrel.StartAsync(app =>
        {
            app.MapGet("/stream", async (HttpContext context) =>
            {
                await context.Response.WriteAsync("event: tick\n\n", context.RequestAborted); // like SSE: headers and a first event, then silence
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await release.Task.WaitAsync(TimeSpan.FromSeconds(60), context.RequestAborted);
            });
            app.MapGet("/quick/{n}", (string n) => n);
        });
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address, ReorderWindow = TimeSpan.FromMilliseconds(300) });
        using var stream = await recorder.Client.GetAsync(recorder.Url("/stream"), HttpCompletionOption.ResponseHeadersRead, Ct);
        for (var i = 0; i < 3; i++)
        {
            await recorder.Client.GetStringAsync(recorder.Url("/quick/" + i), Ct);
        }

        // Written while the stream is still open (bounded wait: the window is 300 ms; the machine may be slow).
        for (var attempt = 0; attempt < 300 && recorder.Server.Written < 3; attempt++)
        {
            await Task.Delay(50, Ct);
        }

        Assert.Equal(3, recorder.Server.Written);
        release.SetResult();
        await (await stream.Content.ReadAsStreamAsync(Ct)).CopyToAsync(Stream.Null, Ct);

        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.Equal(["/quick/0", "/quick/1", "/quick/2", "/stream"], exchanges.Select(e => new Uri(e.Request.Url).AbsolutePath));
    }

    /// <summary>Holds its first call (until the gate opens, at most 30 s), like a cold redactor (JIT, compiled patterns).</summary>
    private sealed class SlowFirst(ManualResetEventSlim gate) : IExchangeRedactor
    {
        private int _calls;
        private int _holding;

        public string PolicyName => "slow-first";

        public string PolicyDigest => "sha256:slow-first";

        public bool Holding => Volatile.Read(ref _holding) == 1;

        public Exchange Redact(Exchange exchange)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                Volatile.Write(ref _holding, 1);
                gate.Wait(TimeSpan.FromSeconds(30));
            }

            return exchange;
        }
    }
}
