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
}
