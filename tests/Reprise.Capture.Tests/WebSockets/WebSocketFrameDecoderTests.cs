using System.Text;
using CsCheck;
using Reprise.Capture.WebSockets;
using Reprise.Core.Model;
using Xunit;

namespace Reprise.Capture.Tests.WebSockets;

public sealed class WebSocketFrameDecoderTests
{
    private static readonly byte[] Mask = [0x37, 0xfa, 0x21, 0x3d];

    /// <summary>One message to send: its type, payload, how many data fragments, whether a ping is interleaved.</summary>
    private sealed record Spec(WebSocketMessageKind Type, byte[] Payload, int Fragments, bool PingInside, bool LongForm);

    private static readonly Gen<byte[]> Payload = Gen.Frequency(
        (8, Gen.Byte.Array[0, 200]),
        (2, Gen.Byte.Array[126, 1000]),
        (1, Gen.Int[65_536, 70_000].Select(n => Enumerable.Range(0, n).Select(i => (byte)(i * 31 % 251)).ToArray())));

    private static readonly Gen<Spec> Message = Gen.Select(
        Gen.Enum<WebSocketMessageKind>(), Payload, Gen.Int[1, 4], Gen.Bool, Gen.Int[0, 9],
        (type, payload, fragments, ping, longForm) => type switch
        {
            WebSocketMessageKind.Close => new Spec(type, FrameWriter.ClosePayload((ushort)(1000 + payload.Length % 100), "bye " + payload.Length % 7), 1, false, false),
            WebSocketMessageKind.Ping or WebSocketMessageKind.Pong => new Spec(type, payload.Take(125).ToArray(), 1, false, false),
            WebSocketMessageKind.Text => new Spec(type, Encoding.UTF8.GetBytes(Convert.ToBase64String(payload)), fragments, ping, longForm == 0),
            _ => new Spec(type, payload, fragments, ping, longForm == 0),
        });

    [Fact]
    public void Push_AnyMessagesAnySplits_DecodesExactly() =>
        Gen.Select(Message.Array[1, 8], Gen.Bool, Gen.Int[0, 2], Gen.Int[1, 300].Array[1, 40]).Sample((specs, fromClient, compression, chunks) =>
        {
            // compression: 0 none, 1 permessage-deflate with context takeover, 2 without.
            var extensions = compression switch
            {
                1 => "permessage-deflate",
                2 => "permessage-deflate; client_no_context_takeover; server_no_context_takeover",
                _ => null,
            };
            using var compressor = new FrameWriter.Compressor(contextTakeover: compression == 1);
            var expected = new List<(Spec Spec, bool Ping)>();
            var stream = Encode(specs, fromClient ? Mask : null, compression == 0 ? null : compressor, expected);

            using var capture = new WebSocketCapture(long.MaxValue, extensions, TimeProvider.System, TimeProvider.System.GetTimestamp());
            Feed(capture, fromClient, stream, chunks);

            Assert.Null(capture.ClientDecoder.Problem);
            Assert.Null(capture.ServerDecoder.Problem);
            var messages = capture.Messages();
            Assert.Equal(expected.Count, messages.Length);
            for (var i = 0; i < expected.Count; i++)
            {
                var (spec, ping) = expected[i];
                var actual = messages[i];
                Assert.Equal(fromClient ? WebSocketPeer.Client : WebSocketPeer.Server, actual.From);
                if (ping)
                {
                    Assert.Equal(WebSocketMessageKind.Ping, actual.Kind);
                    Assert.Equal("p", actual.Payload!.Text);
                    continue;
                }

                Assert.Equal(spec.Type, actual.Kind);
                Assert.Equal(compression != 0 && IsData(spec.Type) && spec.Payload.Length > 0, actual.Compressed);
                if (spec.Type == WebSocketMessageKind.Close)
                {
                    Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(spec.Payload), actual.CloseCode);
                    Assert.Equal(Encoding.UTF8.GetString(spec.Payload, 2, spec.Payload.Length - 2), actual.CloseReason);
                    Assert.Null(actual.Payload);
                    continue;
                }

                Assert.Equal(spec.Payload, actual.Payload?.Content.ToArray() ?? []);
                Assert.False(actual.Payload?.Truncated ?? false);
            }
        }, iter: 150);

    [Fact]
    public void Push_MaskedClientBytes_LeavesTheRelayedBufferUnchanged()
    {
        var frame = FrameWriter.Frame(1, true, "secret"u8, Mask);
        var copy = frame.ToArray();
        using var capture = new WebSocketCapture(1024, null, TimeProvider.System, 0);

        capture.FromClient(frame);

        Assert.Equal(copy, frame);
        Assert.Equal("secret", Assert.Single(capture.Messages()).Payload!.Text);
    }

    [Fact]
    public void Push_BeyondTheCap_KeepsMetadataAndMarksTruncated()
    {
        using var capture = new WebSocketCapture(10, null, TimeProvider.System, 0);

        capture.ToClient([.. FrameWriter.Frame(1, true, "hello"u8, null), .. FrameWriter.Frame(1, true, "world!!"u8, null), .. FrameWriter.Frame(2, true, new byte[3000], null)]);

        var messages = capture.Messages();
        Assert.Equal(3, messages.Length);
        Assert.Equal(("hello", 5L, false), (messages[0].Payload!.Text, messages[0].Payload!.Size, messages[0].Payload!.Truncated));
        Assert.Equal(("world", 7L, true), (messages[1].Payload!.Text, messages[1].Payload!.Size, messages[1].Payload!.Truncated));
        Assert.Equal((0, 3000L, true), (messages[2].Payload!.Content.Length, messages[2].Payload!.Size, messages[2].Payload!.Truncated));
    }

    [Fact]
    public void Push_ReservedOpcode_StopsWithProblemAndKeepsEarlierMessages()
    {
        using var capture = new WebSocketCapture(1024, null, TimeProvider.System, 0);

        capture.FromClient([.. FrameWriter.Frame(1, true, "ok"u8, Mask), .. FrameWriter.Frame(3, true, "??"u8, Mask)]);
        capture.FromClient(FrameWriter.Frame(1, true, "after"u8, Mask));

        Assert.Equal("ok", Assert.Single(capture.Messages()).Payload!.Text);
        Assert.Contains("client to server: reserved opcode 0x3 (frame 2)", capture.ClientDecoder.Problem, StringComparison.Ordinal);
        Assert.Contains("websocket.error", capture.AddTags(Exchange.EmptyTags).Keys);
    }

    [Theory]
    [InlineData(new byte[] { 0x81, 0x05, (byte)'h', (byte)'e' }, "the stream ended inside frame 1")]
    [InlineData(new byte[] { 0x01, 0x02, (byte)'h', (byte)'e' }, "ended before the final fragment of a text message")]
    [InlineData(new byte[] { 0x80, 0x02, (byte)'h', (byte)'e' }, "continuation frame without a message to continue")]
    [InlineData(new byte[] { 0x89, 0x7E, 0x00, 0x80 }, "control frame fragmented or longer than 125 bytes")]
    [InlineData(new byte[] { 0xC1, 0x00 }, "RSV1 set but permessage-deflate was not negotiated")]
    [InlineData(new byte[] { 0xA1, 0x00 }, "reserved bits RSV2/RSV3 set")]
    [InlineData(new byte[] { 0x88, 0x01, 0x03 }, "close frame with a 1-byte payload")]
    public void Push_BrokenStream_ReportsWhy(byte[] stream, string problem)
    {
        using var capture = new WebSocketCapture(1024, null, TimeProvider.System, 0);

        capture.ToClient(stream);

        Assert.Contains(problem, capture.ServerDecoder.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Push_GarbageDeflateData_StopsWithoutThrowing()
    {
        using var capture = new WebSocketCapture(1024, "permessage-deflate", TimeProvider.System, 0);

        capture.ToClient(FrameWriter.Frame(2, true, new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, null, rsv1: true));

        Assert.NotNull(capture.ServerDecoder.Problem);
    }

    [Fact]
    public void Messages_BeyondTheCount_AreCountedAsDropped()
    {
        using var capture = new WebSocketCapture(1 << 20, null, TimeProvider.System, 0);
        var frame = FrameWriter.Frame(9, true, [], null);

        for (var i = 0; i < WebSocketCapture.MaxMessages + 3; i++)
        {
            capture.ToClient(frame);
        }

        Assert.Equal(WebSocketCapture.MaxMessages, capture.Messages().Length);
        Assert.Equal("3", capture.AddTags(Exchange.EmptyTags)[WebSocketCapture.DroppedTag]);
    }

    [Theory]
    [InlineData("permessage-deflate; client_max_window_bits=10; server_no_context_takeover", true, false, null)]
    [InlineData("permessage-deflate;client_no_context_takeover", false, true, null)]
    [InlineData("x-custom, permessage-deflate", false, false, "x-custom")]
    public void Parse_ExtensionHeader_ReadsContextTakeover(string header, bool server, bool client, string? others)
    {
        var deflate = PerMessageDeflate.Parse(header, out var other);

        Assert.Equal(new PerMessageDeflate(server, client), deflate);
        Assert.Equal(others, other);
    }

    private static bool IsData(WebSocketMessageKind type) => type is WebSocketMessageKind.Text or WebSocketMessageKind.Binary;

    private static void Feed(WebSocketCapture capture, bool fromClient, byte[] stream, int[] chunks)
    {
        var offset = 0;
        var i = 0;
        while (offset < stream.Length)
        {
            var n = Math.Min(chunks[i++ % chunks.Length], stream.Length - offset);
            if (fromClient)
            {
                capture.FromClient(stream.AsSpan(offset, n));
            }
            else
            {
                capture.ToClient(stream.AsSpan(offset, n));
            }

            offset += n;
        }
    }

    /// <summary>The frames for <paramref name="specs"/>; <paramref name="expected"/> gets the messages in the order they complete (an interleaved ping before its message).</summary>
    private static byte[] Encode(Spec[] specs, byte[]? mask, FrameWriter.Compressor? compressor, List<(Spec Spec, bool Ping)> expected)
    {
        var stream = new List<byte>();
        foreach (var spec in specs)
        {
            if (!IsData(spec.Type))
            {
                stream.AddRange(FrameWriter.Frame(spec.Type switch { WebSocketMessageKind.Close => 8, WebSocketMessageKind.Ping => 9, _ => 10 }, true, spec.Payload, mask));
                expected.Add((spec, false));
                continue;
            }

            var compressed = compressor is not null && spec.Payload.Length > 0;
            var wire = compressed ? compressor!.Compress(spec.Payload) : spec.Payload;
            var size = Math.Max(1, (wire.Length + spec.Fragments - 1) / spec.Fragments);
            var fragments = wire.Chunk(size).ToList();
            if (fragments.Count == 0)
            {
                fragments.Add([]);
            }

            for (var f = 0; f < fragments.Count; f++)
            {
                var last = f == fragments.Count - 1;
                stream.AddRange(FrameWriter.Frame(f == 0 ? (spec.Type == WebSocketMessageKind.Text ? 1 : 2) : 0, last, fragments[f], mask, rsv1: compressed && f == 0, longForm: spec.LongForm));
                if (f == 0 && spec.PingInside && spec.Fragments > 1 && fragments.Count > 1)
                {
                    stream.AddRange(FrameWriter.Frame(9, true, "p"u8, mask));
                    expected.Add((spec, true));
                }
            }

            expected.Add((spec, false));
        }

        return [.. stream];
    }
}
