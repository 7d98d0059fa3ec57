using CsCheck;
using Json.Schema;
using System.Text.Json.Nodes;
using Reprise.Core.Recording;
using Reprise.Core.Tests.Support;
using Reprise.Testing;
using Xunit;

namespace Reprise.Core.Tests.Recording;

public sealed class RecordingRoundTripTests
{
    [Theory]
    [InlineData("rec.reprise.jsonl")]
    [InlineData("rec.reprise.jsonl.gz")]
    [InlineData("rec.reprise.jsonl.zst")]
    public void WriteThenRead_AnyExchanges_RoundTripThroughEveryCompression(string name)
    {
        using var dir = new TempDir();
        ExchangeGen.Exchange.Array[0, 15].Sample(exchanges =>
        {
            var path = dir.File(Guid.NewGuid().ToString("N") + name); // CsCheck samples on several threads
            Exchanges.WriteRecordingAsync(path, exchanges).GetAwaiter().GetResult();
            var read = Exchanges.ReadAllAsync(path).GetAwaiter().GetResult();
            Assert.Equal(exchanges.Length, read.Count);
            for (var i = 0; i < exchanges.Length; i++)
            {
                ExchangeAssert.Equal(exchanges[i], read[i]);
            }
        }, iter: 100);
    }

    [Fact]
    public async Task Header_WrittenThenRead_KeepsCaptureSettingsAndValidatesAgainstSchema()
    {
        using var dir = new TempDir();
        var path = dir.File("h.reprise.jsonl");
        var header = new RecordingHeader
        {
            CreatedAt = new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.FromHours(2)),
            Capture = Reprise.Core.Model.Exchange.EmptyTags.Add("upstream", "http://127.0.0.1:5000").Add("maxBody", "1048576"),
            RedactionPolicy = "default",
            RedactionDigest = "sha256:abc",
        };
        await using (var writer = await RecordingWriter.CreateAsync(path, header))
        {
            await writer.CompleteAsync();
        }

        var read = await new RecordingReader(path).ReadHeaderAsync();

        Assert.Equal(header.CreatedAt, read.CreatedAt);
        Assert.Equal(header.Capture, read.Capture);
        Assert.Equal(header.RedactionPolicy, read.RedactionPolicy);
        Assert.Equal(header.RedactionDigest, read.RedactionDigest);
        Assert.Equal(RecordingFormat.CurrentVersion, read.Version);
        var schema = JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "TestData", "format.schema.json"));
        Assert.True(schema.Evaluate(JsonNode.Parse(File.ReadLines(path).First())).IsValid);
    }
}
