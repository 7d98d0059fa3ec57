using System.Text;
using CsCheck;
using Reprise.Replay.Correlation;
using Xunit;

namespace Reprise.Replay.Tests.Unit;

/// <summary>
/// <see cref="GrpcMessages.Rewrite"/> against a model: any tree of protobuf fields in any number of frames, with learned
/// string ids and varint ids of other lengths, comes out exactly as the same tree serialised with each learned value
/// replaced once (whole string fields, values of 8+ characters inside a resource name; id-sized varints only), every
/// length prefix recomputed.
/// </summary>
public sealed class GrpcRewritePropertyTests
{
    private static readonly string[] OldIds = ["ord_1", "ord_22", "ord_333333333", "42", "u-abc-7", "0b6f1d2e-3c4a-4b5c-8d6e-7f8091a2b3c4"];
    private static readonly string[] NewIds = ["new_9", "new_10042", "NEW-x", "4242424242", "n-2", "new-uuid-like-value-of-another-length"];
    private static readonly ulong[] OldNumbers = [14, 1UL << 32, (1UL << 40) + 7, 9_000_000_000_000_000_000, (1UL << 32) - 1, 1_000_000];
    private static readonly ulong[] NewNumbers = [24, (1UL << 33) + 1, 127, (1UL << 56) + 3, 5_000_000_000_000, 2_000_000];
    private static readonly string[] Fillers = ["a note", "x", "hello world, a longer sentence of text", ""];

    [Fact]
    public void Rewrite_EqualsTheModelWithLearnedValuesReplaced()
    {
        var text = Gen.OneOf(Gen.OneOfConst(OldIds), Gen.OneOfConst(NewIds), Gen.OneOfConst(Fillers), Gen.OneOfConst(OldIds).Select(id => $"orders/{id}/items"));
        var number = Gen.OneOf(Gen.OneOfConst(OldNumbers), Gen.OneOfConst(NewNumbers), Gen.ULong[0, 300]);
        var leaf = Gen.OneOf(
            Gen.Select(Gen.Int[1, 20], text, (n, v) => (Node)new TextNode(n, v)),
            Gen.Select(Gen.Int[1, 20], number, (n, v) => (Node)new VarintNode(n, v)));
        // Fields in ascending order within a message, as every mainstream encoder writes them.
        var inner = Gen.Select(Gen.Int[1, 20], Gen.Select(Gen.Int[1, 3], text, (n, v) => (Node)new TextNode(n, v)).Array[0, 4], (n, c) => (Node)new MessageNode(n, Ordered(c)));
        var outer = Gen.Select(Gen.Int[1, 20], Gen.OneOf(leaf, inner).Array[0, 4], (n, c) => (Node)new MessageNode(n, Ordered(c)));
        var message = Gen.OneOf(leaf, inner, outer).Array[0, 6];
        // One new value per old one (a session pairs each new value with one recorded value), rotated by a random shift.
        var mapping = Gen.Select(Gen.Int[0, NewIds.Length - 1], Gen.Int[0, NewNumbers.Length - 1], Gen.Bool.Array[OldIds.Length + OldNumbers.Length]);

        Gen.Select(message.Array[1, 3], mapping).Sample(
            (frames, map) =>
            {
                var (textMap, numberMap) = Learned(map.Item1, map.Item2, map.Item3);
                var session = new SessionCorrelation();
                foreach (var (old, now) in textMap)
                {
                    session.Learn(old, now, "r", "f");
                }

                foreach (var (old, now) in numberMap)
                {
                    session.Learn(old.ToString(System.Globalization.CultureInfo.InvariantCulture), now.ToString(System.Globalization.CultureInfo.InvariantCulture), "r", "f");
                }

                session.Commit();
                ReadOnlyMemory<byte> body = Frames(frames, null, null);
                var expected = Frames(frames, textMap, numberMap);

                var count = GrpcMessages.Rewrite(session, ref body, _ => { });

                Assert.True(count >= 0);
                Assert.Equal(expected, body.ToArray());
            },
            iter: 1000);
    }

    private static (Dictionary<string, string> Text, Dictionary<ulong, ulong> Numbers) Learned(int textShift, int numberShift, bool[] learned)
    {
        var text = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < OldIds.Length; i++)
        {
            if (learned[i])
            {
                text[OldIds[i]] = NewIds[(i + textShift) % NewIds.Length];
            }
        }

        var numbers = new Dictionary<ulong, ulong>();
        for (var i = 0; i < OldNumbers.Length; i++)
        {
            if (learned[OldIds.Length + i])
            {
                numbers[OldNumbers[i]] = NewNumbers[(i + numberShift) % NewNumbers.Length];
            }
        }

        return (text, numbers);
    }

    private static byte[] Frames(Node[][] frames, Dictionary<string, string>? text, Dictionary<ulong, ulong>? numbers)
    {
        var output = new List<byte>();
        foreach (var frame in frames)
        {
            var message = Message(frame, text, numbers);
            output.Add(0);
            output.AddRange(BitConverter.IsLittleEndian ? BitConverter.GetBytes((uint)message.Count).Reverse() : BitConverter.GetBytes((uint)message.Count));
            output.AddRange(message);
        }

        return [.. output];
    }

    private static List<byte> Message(Node[] fields, Dictionary<string, string>? text, Dictionary<ulong, ulong>? numbers)
    {
        var output = new List<byte>();
        foreach (var field in fields)
        {
            switch (field)
            {
                case TextNode(var n, var value):
                    var written = text is null ? value
                        : text.TryGetValue(value, out var replaced) ? replaced
                        : value.StartsWith("orders/", StringComparison.Ordinal) && value[7..^6] is { Length: >= 8 } embedded && text.TryGetValue(embedded, out var embeddedNew) ? $"orders/{embeddedNew}/items"
                        : value;
                    Varint(output, (ulong)((n << 3) | 2));
                    var bytes = Encoding.UTF8.GetBytes(written);
                    Varint(output, (ulong)bytes.Length);
                    output.AddRange(bytes);
                    break;
                case VarintNode(var n, var value):
                    Varint(output, (ulong)(n << 3));
                    Varint(output, numbers is not null && value >= GrpcMessages.MinVarintId && numbers.TryGetValue(value, out var now) && now >= GrpcMessages.MinVarintId ? now : value);
                    break;
                case MessageNode(var n, var children):
                    var inner = Message(children, text, numbers);
                    Varint(output, (ulong)((n << 3) | 2));
                    Varint(output, (ulong)inner.Count);
                    output.AddRange(inner);
                    break;
            }
        }

        return output;
    }

    private static void Varint(List<byte> output, ulong value)
    {
        for (; value >= 0x80; value >>= 7)
        {
            output.Add((byte)(value | 0x80));
        }

        output.Add((byte)value);
    }

    private static Node[] Ordered(Node[] fields) => [.. fields.OrderBy(f => f.Number)];

    private abstract record Node(int Number);

    private sealed record TextNode(int Number, string Value) : Node(Number);

    private sealed record VarintNode(int Number, ulong Value) : Node(Number);

    private sealed record MessageNode(int Number, Node[] Children) : Node(Number);
}
