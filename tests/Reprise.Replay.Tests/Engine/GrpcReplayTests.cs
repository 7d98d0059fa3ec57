using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Reprise.Testing;
using Xunit;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 6 (python grpcio server recorded through <c>record --upstream</c>): a gRPC recording replayed against its
/// plain-http target went out as HTTP/1.1 unless <c>--h2c</c> was given (every call "The response ended prematurely"),
/// and with <c>--h2c</c> without <c>TE: trailers</c>, which gRPC servers require (grpc-core answers status 2 "Missing :te
/// header"). gRPC is HTTP/2 only and <c>TE: trailers</c> is the one TE value HTTP/2 allows.
/// </summary>
public sealed class GrpcReplayTests
{
    [Fact]
    public async Task RecordedGrpc_AgainstAPlainHttpTarget_IsSentOverH2c_WithTeTrailers_WithoutTheFlag()
    {
        var seen = new ConcurrentQueue<(string Protocol, string Te)>();
        await using var server = await TestKestrel.StartAsync(
            app => app.Run(async context =>
            {
                seen.Enqueue((context.Request.Protocol, context.Request.Headers.TE.ToString()));
                context.Response.ContentType = "application/grpc";
                await context.Response.Body.WriteAsync(new byte[] { 0, 0, 0, 0, 0 });
                context.Response.AppendTrailer("grpc-status", context.Request.Headers.TE == "trailers" ? "0" : "2");
            }),
            Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
        var recorded = Recorded.Request("POST", "/shop.v1.Orders/GetOrder", 0) with { Protocol = Protocol.Grpc };
        recorded = recorded with
        {
            Request = recorded.Request with
            {
                Version = "HTTP/2",
                Headers = [new("Content-Type", "application/grpc"), new("TE", "trailers"), new("User-Agent", "grpc-python/1.51.1")],
                Body = ExchangeBody.FromBytes(new byte[] { 0, 0, 0, 0, 0 }, "application/grpc"),
            },
        };
        var sink = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = server.Address }, Recorded.Stream([recorded]), sink, TestContext.Current.CancellationToken);

        Assert.Equal([("HTTP/2", "trailers")], seen);
        var result = Assert.Single(sink.Results);
        Assert.Null(result.Error);
        Assert.Equal("0", result.Response!.Trailers.Get("grpc-status"));
    }

    [Fact]
    public async Task RecordedGrpcWeb_OverHttp11_StaysHttp11()
    {
        var versions = new ConcurrentQueue<string>();
        await using var server = await TestKestrel.StartAsync(app => app.Run(context =>
        {
            versions.Enqueue(context.Request.Protocol);
            context.Response.ContentType = "application/grpc-web";
            return Task.CompletedTask;
        }));
        var recorded = Recorded.Request("POST", "/shop.v1.Orders/GetOrder", 0) with { Protocol = Protocol.Grpc };
        recorded = recorded with
        {
            Request = recorded.Request with
            {
                Version = "HTTP/1.1",
                Headers = [new("Content-Type", "application/grpc-web"), new("X-Grpc-Web", "1")],
                Body = ExchangeBody.FromBytes(new byte[] { 0, 0, 0, 0, 0 }, "application/grpc-web"),
            },
        };

        await Replayer.RunAsync(new ReplayOptions { Target = server.Address }, Recorded.Stream([recorded]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal(["HTTP/1.1"], versions);
    }
}
