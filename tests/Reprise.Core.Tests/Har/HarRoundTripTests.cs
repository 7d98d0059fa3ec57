using CsCheck;
using Reprise.Core.Har;
using Reprise.Core.Tests.Support;
using Reprise.Testing;
using Xunit;

namespace Reprise.Core.Tests.Har;

public sealed class HarRoundTripTests
{
    [Fact]
    public void ExportThenImport_AnyExchanges_RoundTripUnchanged()
    {
        using var dir = new TempDir();
        ExchangeGen.Exchange.Array[1, 10].Sample(exchanges =>
        {
            var path = dir.File(Guid.NewGuid().ToString("N") + ".har"); // CsCheck samples on several threads
            using (var stream = File.Create(path))
            {
                new HarWriter(stream).ConsumeAsync(exchanges.ToAsyncEnumerable()).GetAwaiter().GetResult();
            }

            var read = new HarReader(path).ReadAsync().ToListAsync().AsTask().GetAwaiter().GetResult();
            Assert.Equal(exchanges.Length, read.Count);
            for (var i = 0; i < exchanges.Length; i++)
            {
                ExchangeAssert.Equal(exchanges[i], read[i]);
            }
        }, iter: 200);
    }

    [Fact]
    public async Task ImportExportImport_ChromeHar_KeepsWhatHarCarries()
    {
        using var dir = new TempDir();
        var original = await new HarReader(Path.Combine(AppContext.BaseDirectory, "TestData", "shop.har")).ReadAsync().ToListAsync();
        var path = dir.File("again.har");
        await using (var stream = File.Create(path))
        {
            await new HarWriter(stream).ConsumeAsync(original.ToAsyncEnumerable());
        }

        var again = await new HarReader(path).ReadAsync().ToListAsync();

        Assert.Equal(original.Count, again.Count);
        for (var i = 0; i < original.Count; i++)
        {
            ExchangeAssert.Equal(original[i], again[i]);
        }
    }
}
