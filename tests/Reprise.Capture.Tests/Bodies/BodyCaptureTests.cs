using CsCheck;
using Reprise.Capture.Bodies;
using Xunit;

namespace Reprise.Capture.Tests.Bodies;

public sealed class BodyCaptureTests
{
    [Fact]
    public void Append_AnyChunking_StoresExactlyTheHeadAndCountsAll() =>
        Gen.Select(Gen.Byte.Array[0, 3000].Array[0, 12], Gen.Int[0, 5000]).Sample((chunks, limit) =>
        {
            using var capture = new BodyCapture(limit);
            var all = new List<byte>();
            foreach (var chunk in chunks)
            {
                capture.Append(chunk);
                all.AddRange(chunk);
            }

            var expected = all.Take(limit).ToArray();
            return capture.Size == all.Count
                && capture.Stored.SequenceEqual(expected)
                && capture.Truncated == (all.Count > limit)
                && capture.ToArray().AsSpan().SequenceEqual(expected);
        });

    [Fact]
    public void Dispose_Twice_IsSafe()
    {
        var capture = new BodyCapture(10);
        capture.Append("hello"u8);
        capture.Dispose();
        capture.Dispose();
        Assert.True(capture.Stored.IsEmpty);
    }

    [Fact]
    public async Task TeeStreams_ForwardEverythingAndCapture()
    {
        using var capture = new BodyCapture(4);
        using var source = new MemoryStream("abcdefgh"u8.ToArray());
        await using var tee = new TeeReadStream(source, capture);
        using var sink = new MemoryStream();
        await tee.CopyToAsync(sink, 3, TestContext.Current.CancellationToken);
        Assert.Equal("abcdefgh"u8.ToArray(), sink.ToArray());
        Assert.Equal("abcd"u8.ToArray(), capture.ToArray());
        Assert.Equal(8, capture.Size);

        using var outCapture = new BodyCapture(100);
        using var target = new MemoryStream();
        await using var writeTee = new TeeWriteStream(target, outCapture);
        await writeTee.WriteAsync("xyz"u8.ToArray(), TestContext.Current.CancellationToken);
        Assert.Equal("xyz"u8.ToArray(), target.ToArray());
        Assert.Equal("xyz"u8.ToArray(), outCapture.ToArray());
    }
}
