using System.Diagnostics;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Reprise.Core.Model;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.EndToEnd;

/// <summary>
/// A bidirectional gRPC stream whose client keeps its side open (etcd's Watch: the client sends a create request, reads
/// events, and cancels when done, never ending its request stream). Recorded through <c>reprise record</c> from a real
/// Grpc.AspNetCore service, then served by <c>reprise mock</c> to a Grpc.Net.Client. The mock matched on the whole
/// request body, which never ends, so it never answered; it matches on the first request messages (as many as the
/// recording holds), streams the recorded responses, and holds the stream open until the client ends it.
/// </summary>
public sealed class GrpcBidiStreamTests
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // A watch create request: field 1 (key) = "/app/config".
    private static readonly byte[] CreateRequest = [0x0A, 0x0B, .. "/app/config"u8];

    [Fact]
    public async Task ABidiStreamTheClientKeepsOpen_RecordedThenMocked_IsServedAndHeldOpen()
    {
        await using var upstream = await TestKestrel.StartAsync(
            app => app.MapGrpcService<WatchService>(),
            Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2,
            services => services.AddGrpc());
        using var dir = new TempDir();
        var recording = dir.File("watch.reprise.jsonl");

        // Record: the client sends its create request, reads two events, then cancels (its request side still open).
        List<byte[]> recordedEvents;
        using (var record = RepriseExe.Start(["record", "--upstream", upstream.Address.ToString(), "--listen", "127.0.0.1:0", "-o", recording]))
        {
            var recordErr = record.StandardError.ReadToEndAsync(Ct);
            try
            {
                var address = await AddressAsync(record);
                recordedEvents = await WatchAsync(address, expectHeldOpen: false);
                await Task.Delay(TimeSpan.FromMilliseconds(500), Ct); // the cancel reaches the recorder
                await TerminateAsync(record);
            }
            finally
            {
                KillIfRunning(record);
            }

            Assert.True(record.ExitCode == 0, await recordErr);
        }

        var watch = Assert.Single(await Exchanges.ReadAllAsync(recording), e => e.Request.Url.EndsWith("/etcdserverpb.Watch/Watch", StringComparison.Ordinal));
        Assert.Equal(ExchangeErrorKind.Canceled, watch.Error?.Kind);
        Assert.Null(watch.Response!.Trailers.Get("grpc-status"));

        // Mock it: the same create request gets the recorded events, and the stream stays open until the client cancels.
        using var mock = RepriseExe.Start(["mock", recording, "--direction", "inbound", "--listen", "127.0.0.1:0"]);
        var mockErr = mock.StandardError.ReadToEndAsync(Ct);
        try
        {
            var address = await AddressAsync(mock);
            var served = await WatchAsync(address, expectHeldOpen: true);
            Assert.Equal(recordedEvents, served);
            await TerminateAsync(mock);
        }
        finally
        {
            KillIfRunning(mock);
        }

        Assert.True(mock.ExitCode == 0, await mockErr);
    }

    /// <summary>Opens a Watch, sends the create request, reads two events; then (mocked) checks the stream stays open; cancels.</summary>
    private static async Task<List<byte[]>> WatchAsync(Uri address, bool expectHeldOpen)
    {
        using var channel = GrpcChannel.ForAddress(address);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromSeconds(20)); // a server that waits for the request stream to end never answers: fail, do not hang
        using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(WatchService.WatchMethod, null, new CallOptions(cancellationToken: cancel.Token));
        await call.RequestStream.WriteAsync(CreateRequest, cancel.Token); // and never CompleteAsync: the request side stays open
        var events = new List<byte[]>();
        for (var i = 0; i < 2; i++)
        {
            Assert.True(await call.ResponseStream.MoveNext(cancel.Token), $"the stream ended after {i} event(s)");
            events.Add(call.ResponseStream.Current);
        }

        if (expectHeldOpen)
        {
            var next = call.ResponseStream.MoveNext(cancel.Token);
            var settled = await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(700), Ct));
            Assert.NotSame(next, settled); // still open: no end, no error, as the recorded server kept it
            await cancel.CancelAsync();
            var ended = await Assert.ThrowsAsync<RpcException>(() => next);
            Assert.Equal(StatusCode.Cancelled, ended.StatusCode);
        }
        else
        {
            await cancel.CancelAsync();
        }

        return events;
    }

    private static async Task<Uri> AddressAsync(Process process)
    {
        var first = await process.StandardOutput.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Matches(@"^listening on http://127\.0\.0\.1:\d+$", first);
        return new Uri(first!["listening on ".Length..]);
    }

    private static void KillIfRunning(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private static async Task TerminateAsync(Process process)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(Ct);
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
    }

    /// <summary>The service base protoc would generate: Grpc.AspNetCore binds the overrides of its virtual methods.</summary>
    [BindServiceMethod(typeof(WatchBase), nameof(BindService))]
    public abstract class WatchBase
    {
        public static void BindService(ServiceBinderBase binder, WatchBase? service) =>
            binder.AddMethod(WatchService.WatchMethod, service is null ? null! : service.Watch);

        public virtual Task Watch(IAsyncStreamReader<byte[]> requests, IServerStreamWriter<byte[]> responses, ServerCallContext context) =>
            throw new RpcException(new Status(StatusCode.Unimplemented, string.Empty));
    }

    /// <summary>An etcd-Watch-like bidirectional service: for each request message it answers two events, and keeps the stream open as long as the client does.</summary>
    public sealed class WatchService : WatchBase
    {
        public static readonly Method<byte[], byte[]> WatchMethod = new(MethodType.DuplexStreaming, "etcdserverpb.Watch", "Watch", Bytes, Bytes);

        public override async Task Watch(IAsyncStreamReader<byte[]> requests, IServerStreamWriter<byte[]> responses, ServerCallContext context)
        {
            try
            {
                var revision = 0;
                while (await requests.MoveNext(context.CancellationToken))
                {
                    foreach (var kind in (string[])["created", "put"])
                    {
                        byte[] message = [0x08, (byte)++revision, 0x12, (byte)kind.Length, .. Encoding.ASCII.GetBytes(kind)];
                        await responses.WriteAsync(message, context.CancellationToken);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // the client ended the watch
            }
        }
    }
}
