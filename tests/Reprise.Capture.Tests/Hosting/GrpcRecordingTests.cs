using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Reprise.Capture.Tests.Grpc;
using Reprise.Core.Model;
using Reprise.Testing;
using Xunit;

namespace Reprise.Capture.Tests.Hosting;

/// <summary>gRPC through the reverse proxy over h2c: unary and server streaming, messages and trailers recorded.</summary>
public sealed class GrpcRecordingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UnaryAndServerStreaming_RecordedWithMessagesAndTrailers()
    {
        await using var upstream = await TestKestrel.StartAsync(app => app.MapGrpcService<GreeterService>(), HttpProtocols.Http2, services => services.AddGrpc());
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address });
        using var channel = GrpcChannel.ForAddress(recorder.Server.ReverseAddress!, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler() });
        var client = new Greeter.GreeterClient(channel);

        var reply = await client.SayHelloAsync(new HelloRequest { Name = "Ada" }, cancellationToken: Ct);
        Assert.Equal("Hello Ada", reply.Message);
        using var stream = client.Count(new CountRequest { Upto = 3 }, cancellationToken: Ct);
        var messages = new List<string>();
        await foreach (var item in stream.ResponseStream.ReadAllAsync(Ct))
        {
            messages.Add(item.Message);
        }

        Assert.Equal(["n=1", "n=2", "n=3"], messages);
        var failure = await Assert.ThrowsAsync<RpcException>(() => client.SayHelloAsync(new HelloRequest { Name = "" }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, failure.StatusCode);

        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.Equal(3, exchanges.Count);
        Assert.All(exchanges, e => Assert.Equal(Protocol.Grpc, e.Protocol));
        var unary = exchanges.First(e => e.Tags["grpc.method"] == "/reprise.test.Greeter/SayHello");
        Assert.Equal("Ada", HelloRequest.Parser.ParseFrom(unary.Request.Body!.Content.Span[5..]).Name);
        Assert.Equal("Hello Ada", HelloReply.Parser.ParseFrom(unary.Response!.Body!.Content.Span[5..]).Message);
        Assert.Equal("0", unary.Response.Trailers.Get("grpc-status"));

        var streaming = exchanges.Single(e => e.Tags["grpc.method"] == "/reprise.test.Greeter/Count");
        Assert.Equal(["n=1", "n=2", "n=3"], Frames(streaming.Response!.Body!.Content).Select(f => HelloReply.Parser.ParseFrom(f).Message));
        Assert.Equal("0", streaming.Response.Trailers.Get("grpc-status"));

        var failed = exchanges.Last(e => e.Tags["grpc.method"] == "/reprise.test.Greeter/SayHello");
        Assert.Equal("3", failed.Response!.Trailers.Get("grpc-status") ?? failed.Response.Headers.Get("grpc-status"));
    }

    private static List<byte[]> Frames(ReadOnlyMemory<byte> body)
    {
        var frames = new List<byte[]>();
        var span = body.Span;
        while (span.Length >= 5)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(span[1..5]);
            frames.Add(span.Slice(5, length).ToArray());
            span = span[(5 + length)..];
        }

        return frames;
    }

    private sealed class GreeterService : Greeter.GreeterBase
    {
        public override Task<HelloReply> SayHello(HelloRequest request, ServerCallContext context) =>
            string.IsNullOrEmpty(request.Name)
                ? throw new RpcException(new Status(StatusCode.InvalidArgument, "name is required"))
                : Task.FromResult(new HelloReply { Message = "Hello " + request.Name });

        public override async Task Count(CountRequest request, IServerStreamWriter<HelloReply> responseStream, ServerCallContext context)
        {
            for (var i = 1; i <= request.Upto; i++)
            {
                await responseStream.WriteAsync(new HelloReply { Message = "n=" + i }, context.CancellationToken);
            }
        }
    }
}
