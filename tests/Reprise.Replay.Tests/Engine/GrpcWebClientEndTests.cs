using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Reprise.Testing;
using Xunit;

namespace Reprise.Replay.Tests.Engine;

public sealed class GrpcWebClientEndTests
{
    // One gRPC message: flag 0, length 3, payload 08 96 01 (field 1 = 150).
    private static readonly byte[] OneFrame = [0, 0, 0, 0, 3, 0x08, 0x96, 0x01];

    // gRPC-Web server stream over HTTP/1.1 that the recorded client cancelled after one message. ClientEndedStream.Of
    // accepts it (content type starts with application/grpc), but a plain-http target sends it through RawHttpTransport,
    // which ignores RequestTemplate.ClientEnd: the call runs until --timeout.
    [Fact]
    public async Task GrpcWebStreamTheRecordedClientCancelled_OnAPlainHttpTarget_EndsAsRecorded()
    {
        await using var server = await TestKestrel.StartAsync(app => app.Run(async context =>
        {
            context.Response.ContentType = "application/grpc-web+proto";
            await context.Response.Body.WriteAsync(OneFrame);
            await context.Response.Body.FlushAsync();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        }));
        var recorded = Recorded.Request("POST", "/pkg.Events/Watch", 0, session: "c");
        recorded = recorded with
        {
            Duration = TimeSpan.FromSeconds(1),
            Request = recorded.Request with
            {
                Version = "HTTP/1.1",
                Headers = [new("Content-Type", "application/grpc-web+proto"), new("X-Grpc-Web", "1"), new("Authorization", "Bearer c")],
                Body = ExchangeBody.FromBytes(new byte[] { 0, 0, 0, 0, 0 }, "application/grpc-web+proto"),
            },
            Response = new ExchangeResponse
            {
                Status = 200,
                Version = "HTTP/1.1",
                Headers = [new("Content-Type", "application/grpc-web+proto")],
                Body = ExchangeBody.FromBytes(OneFrame, "application/grpc-web+proto"),
            },
            Error = new ExchangeError(ExchangeErrorKind.Canceled, "ResponseBodyCanceled: The operation was canceled."),
        };
        var sink = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = server.Address, RequestTimeout = TimeSpan.FromSeconds(6) }, Recorded.Stream([recorded]), sink, TestContext.Current.CancellationToken);

        var result = Assert.Single(sink.Results);
        Assert.Equal("ended by the client as recorded: after 1 response message(s)", result.Error?.Message);
    }
}
