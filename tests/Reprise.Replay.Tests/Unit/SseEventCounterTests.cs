using System.Text;
using CsCheck;
using Reprise.Replay.Http;
using Xunit;

namespace Reprise.Replay.Tests.Unit;

/// <summary>
/// <see cref="SseEventCounter"/> against a model of the HTML standard's event stream: any blocks of data, event, id,
/// retry, comment and other lines, with LF, CR or CRLF line ends mixed, an optional BOM, fed in any pieces, count the
/// blank-line-terminated blocks that have a data field.
/// </summary>
public sealed class SseEventCounterTests
{
    private static readonly (string Line, bool Data)[] Lines =
    [
        ("data: hello", true), ("data:x", true), ("data", true), ("data:", true), ("data: {\"a\":1}", true),
        ("event: update", false), ("id: 42", false), ("retry: 1000", false), (": keep-alive", false), (":", false),
        ("datum: no", false), ("dat", false), ("data2: no", false), ("Data: no", false), (" data: no", false),
    ];

    [Fact]
    public void Add_InAnyPieces_CountsTheTerminatedBlocksWithData()
    {
        var line = Gen.Int[0, Lines.Length - 1];
        var block = Gen.Select(line.Array[1, 4], Gen.Int[1, 3], (lines, blanks) => (lines, blanks));
        var ending = Gen.OneOfConst("\n", "\r", "\r\n");
        Gen.Select(block.Array[0, 6], Gen.Bool, Gen.Bool, ending.Array[64], Gen.Int[1, 7].Array[1, 40])
            .Sample((blocks, bom, unterminatedTail, endings, cuts) =>
            {
                var text = new StringBuilder();
                var expected = 0;
                var e = 0;
                var previous = string.Empty;
                for (var b = 0; b < blocks.Length; b++)
                {
                    var (lines, blanks) = blocks[b];
                    var data = false;
                    foreach (var index in lines)
                    {
                        text.Append(Lines[index].Line);
                        previous = endings[e++ % endings.Length];
                        text.Append(previous);
                        data |= Lines[index].Data;
                    }

                    var last = b == blocks.Length - 1;
                    if (last && unterminatedTail)
                    {
                        break; // the stream ends inside this block: not dispatched
                    }

                    for (var i = 0; i < blanks; i++)
                    {
                        // An empty line right after a CR must not start with LF (CR LF is one line end).
                        var end = endings[e++ % endings.Length];
                        previous = previous == "\r" && end == "\n" ? "\r" : end;
                        text.Append(previous);
                    }

                    expected += data ? 1 : 0;
                }

                var bytes = (bom ? [0xEF, 0xBB, 0xBF] : Array.Empty<byte>()).Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray();
                var counter = default(SseEventCounter);
                var at = 0;
                var c = 0;
                while (at < bytes.Length)
                {
                    var size = Math.Min(cuts[c++ % cuts.Length], bytes.Length - at);
                    counter.Add(bytes.AsSpan(at, size));
                    at += size;
                }

                Assert.Equal(expected, counter.Count);
                Assert.Equal(expected, SseEventCounter.CountEvents(bytes));
            });
    }

    [Theory]
    [InlineData("data: a\n\ndata: b\n\n", 2)]
    [InlineData("data: a\r\n\r\ndata: b\r\n\r\n", 2)]
    [InlineData("data: a\r\rdata: b\r\r", 2)]
    [InlineData("data: a\r\n\r\n: ping\r\n\r\ndata: b\r\n", 1)] // a comment block dispatches nothing; the last block is unterminated
    [InlineData("data: a\r\n", 0)]
    [InlineData("\uFEFFdata: a\n\n", 1)]
    [InlineData("id: 1\nevent: x\n\n", 0)]
    public void CountEvents_Examples(string stream, int events) =>
        Assert.Equal(events, SseEventCounter.CountEvents(Encoding.UTF8.GetBytes(stream)));
}
