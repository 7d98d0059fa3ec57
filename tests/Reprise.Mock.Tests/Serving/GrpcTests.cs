using Grpc.Core;
using Grpc.Net.Client;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Serving;

/// <summary>A gRPC unary call served from a recording over h2c, with grpc-status from the recorded trailers.</summary>
public sealed class GrpcTests
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);
    private static readonly Method<byte[], byte[]> SayHello = new(MethodType.Unary, "greet.Greeter", "SayHello", Bytes, Bytes);
    private static readonly Method<byte[], byte[]> Fail = new(MethodType.Unary, "greet.Greeter", "Fail", Bytes, Bytes);

    [Fact]
    public async Task Unary_RecordedResponseAndTrailers_Served()
    {
        // Protobuf bytes of HelloRequest{name="ada"} and HelloReply{message="hi ada"}.
        byte[] request = [0x0A, 0x03, (byte)'a', (byte)'d', (byte)'a'];
        byte[] reply = [0x0A, 0x06, (byte)'h', (byte)'i', (byte)' ', (byte)'a', (byte)'d', (byte)'a'];
        using var dir = new TempDir();
        var (server, _) = await MockFixtures.StartAsync(dir, [
            MockFixtures.Grpc("http://grpc.test:5000/greet.Greeter/SayHello", request, reply),
            MockFixtures.Grpc("http://grpc.test:5000/greet.Greeter/Fail", request, [], "7", "caller is not allowed"),
        ], o => o with { H2cListen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0) });
        await using (server)
        {
            using var channel = GrpcChannel.ForAddress(server.H2cAddress!);
            var invoker = channel.CreateCallInvoker();
            var answer = await invoker.AsyncUnaryCall(SayHello, null, new CallOptions(cancellationToken: TestContext.Current.CancellationToken), request);
            Assert.Equal(reply, answer);
            var error = await Assert.ThrowsAsync<RpcException>(async () => await invoker.AsyncUnaryCall(Fail, null, new CallOptions(cancellationToken: TestContext.Current.CancellationToken), request));
            Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
            Assert.Equal("caller is not allowed", error.Status.Detail);
        }
    }

    /// <summary>
    /// A gRPC call no recorded exchange answers gets a gRPC error (the status a client derives from the 404 miss:
    /// UNIMPLEMENTED, with the reason in grpc-message), not a JSON 404 the client reports as "Bad gRPC response"; and a
    /// recorded call the recorder answered itself with UNAVAILABLE because the upstream was down is never served.
    /// </summary>
    [Fact]
    public async Task Miss_AndARecordedUpstreamFailure_AnsweredAsGrpcErrors()
    {
        byte[] request = [0x0A, 0x03, (byte)'a', (byte)'d', (byte)'a'];
        var down = MockFixtures.Grpc("http://grpc.test:5000/greet.Greeter/Fail", request, []) with
        {
            Error = new Reprise.Core.Model.ExchangeError(Reprise.Core.Model.ExchangeErrorKind.Reset, "Request: the upstream reset the stream"),
            Response = new Reprise.Core.Model.ExchangeResponse
            {
                Status = 200,
                Version = "HTTP/2",
                Headers = [new("content-type", "application/grpc"), new("grpc-status", "14"), new("grpc-message", "reprise: upstream http://grpc.test:5000 failed (Request: reset)")],
            },
        };
        using var dir = new TempDir();
        var (server, _) = await MockFixtures.StartAsync(dir, [MockFixtures.Grpc("http://grpc.test:5000/greet.Greeter/SayHello", request, [0x0A, 0x00]), down], o => o with { H2cListen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0) });
        await using (server)
        {
            using var channel = GrpcChannel.ForAddress(server.H2cAddress!);
            var invoker = channel.CreateCallInvoker();
            var unknown = new Method<byte[], byte[]>(MethodType.Unary, "greet.Greeter", "Unknown", Bytes, Bytes);
            var miss = await Assert.ThrowsAsync<RpcException>(async () => await invoker.AsyncUnaryCall(unknown, null, new CallOptions(cancellationToken: TestContext.Current.CancellationToken), request));
            Assert.Equal(StatusCode.Unimplemented, miss.StatusCode);
            Assert.StartsWith("reprise mock: no recorded exchange matches this request (POST ", miss.Status.Detail, StringComparison.Ordinal);

            var failed = await Assert.ThrowsAsync<RpcException>(async () => await invoker.AsyncUnaryCall(Fail, null, new CallOptions(cancellationToken: TestContext.Current.CancellationToken), request));
            Assert.Equal(StatusCode.Unimplemented, failed.StatusCode); // a miss: the recorder's own UNAVAILABLE is not the service's answer
            Assert.Equal(2, server.Journal.MissCount);
        }
    }

    /// <summary>
    /// The journal (<c>/_reprise/mock/requests</c>, the miss report) listed a gRPC miss as 404 while the mock answered it
    /// 200 with <c>grpc-status: 12</c>: it lists what was answered, the HTTP status and the gRPC status.
    /// </summary>
    [Fact]
    public async Task Journal_ShowsWhatAGrpcCallWasAnswered_HttpStatusAndGrpcStatus()
    {
        byte[] request = [0x0A, 0x03, (byte)'a', (byte)'d', (byte)'a'];
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [MockFixtures.Grpc("http://grpc.test:5000/greet.Greeter/SayHello", request, [0x0A, 0x00])], o => o with { H2cListen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0) });
        await using (server)
        using (client)
        {
            using var channel = GrpcChannel.ForAddress(server.H2cAddress!);
            var invoker = channel.CreateCallInvoker();
            await invoker.AsyncUnaryCall(SayHello, null, new CallOptions(cancellationToken: TestContext.Current.CancellationToken), request);
            var unknown = new Method<byte[], byte[]>(MethodType.Unary, "greet.Greeter", "Unknown", Bytes, Bytes);
            var miss = await Assert.ThrowsAsync<RpcException>(async () => await invoker.AsyncUnaryCall(unknown, null, new CallOptions(cancellationToken: TestContext.Current.CancellationToken), request));
            Assert.Equal(StatusCode.Unimplemented, miss.StatusCode);

            using var journal = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/_reprise/mock/requests", TestContext.Current.CancellationToken));
            var requests = journal.RootElement.GetProperty("requests").EnumerateArray().ToList();
            Assert.Equal(2, requests.Count);
            Assert.Equal(200, requests[0].GetProperty("status").GetInt32());
            Assert.Equal(0, requests[0].GetProperty("grpcStatus").GetInt32());
            Assert.Equal("none", requests[1].GetProperty("match").GetString());
            Assert.Equal(200, requests[1].GetProperty("status").GetInt32()); // what the client got: not 404
            Assert.Equal(12, requests[1].GetProperty("grpcStatus").GetInt32()); // UNIMPLEMENTED
            var recorded = Assert.Single(server.Journal.Misses());
            Assert.Equal((200, (int?)12), (recorded.Status, recorded.GrpcStatus));
        }
    }

    /// <summary>
    /// QA round 7: an etcd Watch the client closed after 4 s was recorded as canceled with its events; the mock wrote the
    /// events and ended the stream without a grpc-status, so etcdctl's watch failed at once. The recorded server kept it
    /// open until the client cancelled: so does the mock.
    /// </summary>
    [Fact]
    public async Task AStreamTheRecordedClientCancelled_IsServedWithItsMessages_AndHeldOpenUntilTheClientCancels()
    {
        byte[] request = [0x0A, 0x01, (byte)'k'];
        byte[] first = [0x08, 0x01], second = [0x08, 0x02];
        var watch = MockFixtures.Grpc("http://grpc.test:5000/etcdserverpb.Watch/Watch", request, first);
        watch = watch with
        {
            Response = watch.Response! with
            {
                Body = Reprise.Core.Model.ExchangeBody.FromBytes((byte[])[.. MockFixtures.Frame(first), .. MockFixtures.Frame(second)], "application/grpc"),
                Trailers = [],
            },
            Error = new Reprise.Core.Model.ExchangeError(Reprise.Core.Model.ExchangeErrorKind.Canceled, "ResponseBodyCanceled: The operation was canceled."),
        };
        using var dir = new TempDir();
        var (server, _) = await MockFixtures.StartAsync(dir, [watch], o => o with { H2cListen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0) });
        await using (server)
        {
            using var channel = GrpcChannel.ForAddress(server.H2cAddress!);
            var method = new Method<byte[], byte[]>(MethodType.ServerStreaming, "etcdserverpb.Watch", "Watch", Bytes, Bytes);
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            using var call = channel.CreateCallInvoker().AsyncServerStreamingCall(method, null, new CallOptions(cancellationToken: cancel.Token), request);
            Assert.True(await call.ResponseStream.MoveNext(cancel.Token));
            Assert.Equal(first, call.ResponseStream.Current);
            Assert.True(await call.ResponseStream.MoveNext(cancel.Token));
            Assert.Equal(second, call.ResponseStream.Current);

            var next = call.ResponseStream.MoveNext(cancel.Token);
            var settled = await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(700), TestContext.Current.CancellationToken));
            Assert.NotSame(next, settled); // still open: no end, no error, as the recorded server kept it
            await cancel.CancelAsync();
            var ended = await Assert.ThrowsAsync<RpcException>(() => next);
            Assert.Equal(StatusCode.Cancelled, ended.StatusCode);
        }
    }
}
