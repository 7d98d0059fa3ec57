using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Reprise.Testing;
using Xunit;
using static Reprise.Replay.Tests.Unit.ProtobufBytes;

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

    [Fact]
    public async Task AnIdTheTargetIssuedInAProtobufResponse_ReachesTheNextCallsMessage_WithItsFramingIntact()
    {
        // QA round 6 (python grpcio): CreateOrder answered a new uuid4 in field 1 of an Order (nested in field 2 here);
        // GetOrder and Watch sent the recorded one and got NOT_FOUND, so 'test' failed the unchanged server.
        var issued = Guid.NewGuid().ToString();
        var received = new ConcurrentQueue<byte[]>();
        await using var server = await TestKestrel.StartAsync(
            app => app.Run(async context =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                received.Enqueue(buffer.ToArray());
                context.Response.ContentType = "application/grpc";
                var reply = context.Request.Path == "/shop.v1.Orders/CreateOrder" ? Frame(Field(2, [.. Field(1, Encoding.ASCII.GetBytes(issued)), .. Field(4, "PLACED"u8.ToArray())])) : Frame([]);
                await context.Response.Body.WriteAsync(reply);
                context.Response.AppendTrailer("grpc-status", "0");
            }),
            Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
        const string RecordedId = "0b6f1d2e-3c4a-4b5c-8d6e-7f8091a2b3c4";
        var create = Grpc("/shop.v1.Orders/CreateOrder", 0, Frame(Field(4, "SKU-9"u8.ToArray())), Frame(Field(2, [.. Field(1, Encoding.ASCII.GetBytes(RecordedId)), .. Field(4, "PLACED"u8.ToArray())])));
        var get = Grpc("/shop.v1.Orders/GetOrder", 0.1, Frame(Field(1, Encoding.ASCII.GetBytes(RecordedId))), Frame([]));

        await Replayer.RunAsync(new ReplayOptions { Target = server.Address, Speed = 50 }, Recorded.Stream([create, get]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = received.ToList();
        Assert.Equal(2, sent.Count);
        Assert.Equal(Frame(Field(1, Encoding.ASCII.GetBytes(issued))), sent[1]);
    }

    [Fact]
    public async Task IdsOfAnotherLength_AndInt64VarintIds_ReachLaterCalls_WithEveryLengthRewritten()
    {
        // A store answering numeric string ids ("7" recorded, "10042" now) and an etcd-style int64 lease id (a varint):
        // both were left as recorded (only same-length strings were substituted), so the later calls named records
        // the target does not have.
        const ulong RecordedLease = 7_587_869_542_127_461_888;
        const ulong IssuedLease = 5_000_000_042;
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        await using var server = await TestKestrel.StartAsync(
            app => app.Run(async context =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                received.Enqueue((context.Request.Path.Value!, buffer.ToArray()));
                context.Response.ContentType = "application/grpc";
                var reply = context.Request.Path.Value switch
                {
                    "/shop.v1.Orders/CreateOrder" => Frame(Field(2, [.. Field(1, "10042"u8.ToArray()), .. Field(4, "PLACED"u8.ToArray())])),
                    "/etcdserverpb.Lease/LeaseGrant" => Frame([.. Varint(2, IssuedLease), .. Varint(3, 60)]),
                    _ => Frame([]),
                };
                await context.Response.Body.WriteAsync(reply);
                context.Response.AppendTrailer("grpc-status", "0");
            }),
            Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
        var create = Grpc("/shop.v1.Orders/CreateOrder", 0, Frame(Field(4, "SKU-9"u8.ToArray())), Frame(Field(2, [.. Field(1, "7"u8.ToArray()), .. Field(4, "PLACED"u8.ToArray())])));
        var grant = Grpc("/etcdserverpb.Lease/LeaseGrant", 0.1, Frame(Varint(1, 60)), Frame([.. Varint(2, RecordedLease), .. Varint(3, 60)]));
        var get = Grpc("/shop.v1.Orders/GetOrder", 0.2, Frame([.. Field(1, "7"u8.ToArray()), .. Field(3, "orders/7/items"u8.ToArray()), .. Varint(5, 14)]), Frame([]));
        var put = Grpc("/etcdserverpb.KV/Put", 0.3, Frame([.. Field(1, "a-key"u8.ToArray()), .. Field(9, Varint(4, RecordedLease))]), Frame([]));

        await Replayer.RunAsync(new ReplayOptions { Target = server.Address, Speed = 50 }, Recorded.Stream([create, grant, get, put]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = received.ToDictionary(r => r.Path, r => r.Body);
        Assert.Equal(4, sent.Count);
        // A whole string field takes the new id; "orders/7/items" is not an id field and 7 is too short to replace inside it;
        // the small varint (a quantity) is kept.
        Assert.Equal(Frame([.. Field(1, "10042"u8.ToArray()), .. Field(3, "orders/7/items"u8.ToArray()), .. Varint(5, 14)]), sent["/shop.v1.Orders/GetOrder"]);
        Assert.Equal(Frame([.. Field(1, "a-key"u8.ToArray()), .. Field(9, Varint(4, IssuedLease))]), sent["/etcdserverpb.KV/Put"]);
    }

    [Fact]
    public async Task PackedRepeatedVarintIds_FromAResponse_ReachALaterCallPacked_WithItsLengthsRewritten()
    {
        // A service answering a batch of int64 ids (proto3 packs `repeated int64`) and a later call naming them back packed:
        // the recorded ids went out unchanged.
        const ulong RecordedA = 7_587_869_542_127_461_888, RecordedB = 7_587_869_542_127_462_001;
        const ulong IssuedA = 5_000_000_042, IssuedB = 5_000_000_043;
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        await using var server = await TestKestrel.StartAsync(
            app => app.Run(async context =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                received.Enqueue((context.Request.Path.Value!, buffer.ToArray()));
                context.Response.ContentType = "application/grpc";
                var reply = context.Request.Path.Value == "/jobs.v1.Jobs/CreateBatch" ? Frame([.. Field(1, Packed(IssuedA, IssuedB)), .. Varint(2, 2)]) : Frame([]);
                await context.Response.Body.WriteAsync(reply);
                context.Response.AppendTrailer("grpc-status", "0");
            }),
            Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
        var create = Grpc("/jobs.v1.Jobs/CreateBatch", 0, Frame(Varint(1, 2)), Frame([.. Field(1, Packed(RecordedA, RecordedB)), .. Varint(2, 2)]));
        var cancel = Grpc("/jobs.v1.Jobs/CancelJobs", 0.1, Frame([.. Field(1, "why"u8.ToArray()), .. Field(2, Packed(RecordedB, RecordedA))]), Frame([]));

        await Replayer.RunAsync(new ReplayOptions { Target = server.Address, Speed = 50 }, Recorded.Stream([create, cancel]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = received.ToDictionary(r => r.Path, r => r.Body);
        Assert.Equal(Frame([.. Field(1, "why"u8.ToArray()), .. Field(2, Packed(IssuedB, IssuedA))]), sent["/jobs.v1.Jobs/CancelJobs"]);
    }

    [Fact]
    public async Task MultiplierCopies_OfAGrpcCall_VaryOnlyUuids_AndKeepEveryLengthPrefix()
    {
        // Review of QA round 6: a gRPC message of ASCII strings is valid UTF-8, so --multiplier varied it as text: the
        // e-mail got '+r1' (3 bytes more) under unchanged protobuf and frame lengths (a 26-byte frame over 29 bytes).
        const string Uuid = "0b6f1d2e-3c4a-4b5c-8d6e-7f8091a2b3c4";
        var received = new ConcurrentQueue<byte[]>();
        await using var server = await TestKestrel.StartAsync(
            app => app.Run(async context =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                received.Enqueue(buffer.ToArray());
                context.Response.ContentType = "application/grpc";
                await context.Response.Body.WriteAsync(Frame([]));
                context.Response.AppendTrailer("grpc-status", "0");
            }),
            Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
        var message = Frame([.. Field(1, "diana.prince@example.com"u8.ToArray()), .. Field(2, Encoding.ASCII.GetBytes(Uuid))]);
        var call = Grpc("/shop.v1.Customers/Register", 0, message, Frame([]));

        await Replayer.RunAsync(new ReplayOptions { Target = server.Address, Speed = 50, Multiplier = 2 }, Recorded.Stream([call]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = received.ToList();
        Assert.Equal(2, sent.Count);
        Assert.Contains(sent, body => body.SequenceEqual(message));
        var copy = Assert.Single(sent, body => !body.SequenceEqual(message));
        Assert.Equal(message.Length, copy.Length);
        Assert.Equal(message[..(5 + 2 + 24 + 2)], copy[..(5 + 2 + 24 + 2)]);
        Assert.NotEqual(Uuid, Encoding.ASCII.GetString(copy, 33, 36));
    }

    [Theory]
    [InlineData("application/x-protobuf")]
    [InlineData("application/octet-stream")]
    public async Task ABinaryRequestBody_GetsCorrelatedValuesOnlyAtTheirLength(string mediaType)
    {
        // Review of QA round 6: a protobuf (or octet-stream) request not sent as gRPC took the text substitution, which
        // replaced an id by one of another length under its unchanged length prefix.
        var received = new ConcurrentQueue<byte[]>();
        await using var server = await TestKestrel.StartAsync(app => app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            received.Enqueue(buffer.ToArray());
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(context.Request.Path == "/carts" ? """{"id":"crt_1234567890ab","cartId":"cart_0002"}""" : "{}");
        }));
        var create = Recorded.Request("POST", "/carts", 0, session: "c", body: "{}", responseBody: """{"id":"crt_0001","cartId":"cart_0001"}""");
        var lookup = Recorded.Request("POST", "/lookup", 0.1, session: "c");
        byte[] message = [.. Field(1, "crt_0001"u8.ToArray()), .. Field(2, "cart_0001"u8.ToArray())];
        lookup = lookup with { Request = lookup.Request with { Headers = [new("Content-Type", mediaType), new("Authorization", "Bearer c")], Body = ExchangeBody.FromBytes(message, mediaType) } };

        await Replayer.RunAsync(new ReplayOptions { Target = server.Address, Speed = 50 }, Recorded.Stream([create, lookup]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = received.ToList();
        Assert.Equal(2, sent.Count);
        Assert.Equal([.. Field(1, "crt_0001"u8.ToArray()), .. Field(2, "cart_0002"u8.ToArray())], sent[1]);
    }

    /// <summary>
    /// QA round 7: an etcd Watch the client closed after 4 s was recorded as canceled with its events, and replay kept the
    /// stream open until --timeout, so the call ended as a timeout and its events were never compared. Replay ends it as
    /// the recorded client did: once the recorded messages arrived it cancels the call (the server sees the reset), and
    /// the result is canceled too, with the messages, so diff compares them.
    /// </summary>
    [Fact]
    public async Task AStreamTheRecordedClientCancelled_EndsOnceTheRecordedMessagesArrived_NotAtTheTimeout()
    {
        var aborted = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await WatchServerAsync(messages: 2, aborted);
        var watch = CancelledWatch(Frames(2), TimeSpan.FromSeconds(4));
        var sink = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = server.Address, RequestTimeout = TimeSpan.FromSeconds(10) }, Recorded.Stream([watch]), sink, TestContext.Current.CancellationToken);

        var held = await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken); // the server saw the client end the call
        Assert.True(held < TimeSpan.FromSeconds(3.5), $"the call was held {held} (the recorded client ended it after its 2 messages)");
        var result = Assert.Single(sink.Results);
        Assert.Equal(ExchangeErrorKind.Canceled, result.Error!.Kind);
        Assert.Equal("ended by the client as recorded: after 2 response message(s)", result.Error.Message);
        Assert.Equal(200, result.Response!.Status);
        Assert.Equal(Frames(2), result.Response.Body!.Content.ToArray());
    }

    /// <summary>Fewer messages than recorded: the call is ended after the recorded duration, with what arrived.</summary>
    [Fact]
    public async Task AStreamTheRecordedClientCancelled_WithFewerMessagesNow_EndsAfterTheRecordedDuration()
    {
        var aborted = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await WatchServerAsync(messages: 1, aborted);
        var watch = CancelledWatch(Frames(2), TimeSpan.FromSeconds(1));
        var sink = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = server.Address, RequestTimeout = TimeSpan.FromSeconds(10) }, Recorded.Stream([watch]), sink, TestContext.Current.CancellationToken);

        var held = await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.True(held >= TimeSpan.FromSeconds(0.9) && held < TimeSpan.FromSeconds(6), $"the call was held {held} (recorded: 1 s)");
        var result = Assert.Single(sink.Results);
        Assert.Equal(ExchangeErrorKind.Canceled, result.Error!.Kind);
        Assert.Equal("ended by the client as recorded: after 1s (1 of 2 response message(s) arrived)", result.Error.Message);
        Assert.Equal(Frames(1), result.Response!.Body!.Content.ToArray());
    }

    /// <summary>A Watch-like server: answers <paramref name="messages"/> events, then holds the stream open until the client ends it.</summary>
    private static Task<TestKestrel> WatchServerAsync(int messages, TaskCompletionSource<TimeSpan> aborted) => TestKestrel.StartAsync(
        app => app.Run(async context =>
        {
            var started = TimeProvider.System.GetTimestamp();
            context.Response.ContentType = "application/grpc";
            var events = Frames(messages);
            for (var i = 0; i < messages; i++)
            {
                await context.Response.Body.WriteAsync(events.AsMemory(i * events.Length / messages, events.Length / messages));
                await context.Response.Body.FlushAsync();
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                aborted.TrySetResult(TimeProvider.System.GetElapsedTime(started));
            }
        }),
        Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);

    /// <summary><paramref name="count"/> watch events of the same length (a revision in field 1 and a key in field 2).</summary>
    private static byte[] Frames(int count) => [.. Enumerable.Range(1, count).SelectMany(i => Frame([.. Field(1, Encoding.ASCII.GetBytes("rev-" + i)), .. Field(2, "/app/config"u8.ToArray())]))];

    /// <summary>A recorded Watch whose client cancelled it after <paramref name="duration"/>, having received <paramref name="response"/>.</summary>
    private static Exchange CancelledWatch(byte[] response, TimeSpan duration)
    {
        var watch = Grpc("/etcdserverpb.Watch/Watch", 0, Frame(Field(1, "/app/config"u8.ToArray())), response);
        return watch with
        {
            Duration = duration,
            Response = watch.Response! with { Trailers = [] },
            Error = new ExchangeError(ExchangeErrorKind.Canceled, "ResponseBodyCanceled: The operation was canceled."),
        };
    }

    private static Exchange Grpc(string path, double at, byte[] request, byte[] response)
    {
        var exchange = Recorded.Request("POST", path, at, session: "c") with { Protocol = Protocol.Grpc };
        return exchange with
        {
            Request = exchange.Request with
            {
                Version = "HTTP/2",
                Headers = [new("Content-Type", "application/grpc"), new("TE", "trailers"), new("Authorization", "Bearer c")],
                Body = ExchangeBody.FromBytes(request, "application/grpc"),
            },
            Response = new ExchangeResponse
            {
                Status = 200,
                Version = "HTTP/2",
                Headers = [new("Content-Type", "application/grpc")],
                Body = ExchangeBody.FromBytes(response, "application/grpc"),
                Trailers = [new("grpc-status", "0")],
            },
        };
    }
}
