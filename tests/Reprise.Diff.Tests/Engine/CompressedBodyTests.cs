using System.IO.Compression;
using System.Text;
using Reprise.Core.Model;
using Reprise.Diff.Engine;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Engine;

/// <summary>Bodies are compared decoded: gzip on one side and plain on the other is not a difference.</summary>
public sealed class CompressedBodyTests
{
    [Fact]
    public async Task GzipRecordedPlainResult_SameJson_NoDiff_ButChangedJsonStillDiffs()
    {
        using var dir = new TempDir();
        var json = """{"id":7,"name":"mug","price":12.5}""";
        var recorded = Exchanges.Get("http://shop.test/api/products/7", id: "r1") with
        {
            Response = new ExchangeResponse
            {
                Status = 200,
                Headers = [new("Content-Type", "application/json"), new("Content-Encoding", "gzip")],
                Body = ExchangeBody.FromBytes(Gzip(json), "application/json"),
            },
        };
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), [recorded]);

        async Task<long> DiffsAgainst(string resultJson)
        {
            var result = Exchanges.Get("http://shop.test/api/products/7", resultJson) with
            {
                Tags = Exchange.EmptyTags.Add(WellKnownTags.ReplayOf, "r1"),
            };
            var path = dir.File(Guid.NewGuid().ToString("N") + ".reprise.jsonl");
            await Exchanges.WriteRecordingAsync(path, [result]);
            var report = await new DiffEngine(new DiffOptions { Recorded = dir.File("rec.reprise.jsonl"), Results = path }).RunAsync(TestContext.Current.CancellationToken);
            return report.Endpoints.Sum(e => e.Diffs);
        }

        Assert.Equal(0L, await DiffsAgainst(json));
        Assert.Equal(1L, await DiffsAgainst("""{"id":7,"name":"mug","price":13.5}"""));
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var zip = new GZipStream(output, CompressionLevel.Optimal))
        {
            zip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }
}
