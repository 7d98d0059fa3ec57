using System.Net;
using Reprise.Core.Model;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests;

/// <summary>
/// QA round 14b (calibre's web UI from the mock): the page asks <c>/ajax-setup?1795794940769</c> and
/// <c>/interface-data/init?1795794941002</c>, a bare millisecond timestamp as the whole query to defeat caches. The
/// recorded request had another timestamp: as a query parameter's name it differed on both sides (one missing, one
/// unknown), the nearest match scored 0.6 and the request missed (404); the UI never finished loading its settings.
/// </summary>
public sealed class Qa14bTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/ajax-setup?1795794894948", "/ajax-setup?1795794940769")]
    [InlineData("/interface-data/books-init?library_id=library&sort=timestamp.desc&1795794910121", "/interface-data/books-init?library_id=library&sort=timestamp.desc&1795794955872")]
    public async Task ABareNumberCacheBuster_IsNoPartOfTheMatch(string recordedPath, string livePath)
    {
        using var dir = new TempDir();
        var recorded = Exchanges.Get("http://books.test" + recordedPath, """{"setup":true}""", id: "r1") with { Direction = Direction.Outbound };
        var page = Exchanges.Get("http://books.test/", """{"page":true}""", id: "r2") with { Direction = Direction.Outbound };
        var (server, client) = await MockFixtures.StartAsync(dir, [page, recorded]);
        await using (server)
        {
            var response = await client.GetAsync(livePath, Ct);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("""{"setup":true}""", await response.Content.ReadAsStringAsync(Ct));
        }
    }

    /// <summary>Guard: a named parameter's number, and a short bare key (<c>?2</c>, a page), still count.</summary>
    [Fact]
    public async Task ANamedNumberAndAShortBareKey_StillCount()
    {
        using var dir = new TempDir();
        var one = Exchanges.Get("http://books.test/list?2", """{"page":2}""", id: "r1") with { Direction = Direction.Outbound };
        var two = Exchanges.Get("http://books.test/list?3", """{"page":3}""", id: "r2") with { Direction = Direction.Outbound };
        var (server, client) = await MockFixtures.StartAsync(dir, [one, two]);
        await using (server)
        {
            Assert.Equal("""{"page":3}""", await (await client.GetAsync("/list?3", Ct)).Content.ReadAsStringAsync(Ct));
            Assert.Equal("""{"page":2}""", await (await client.GetAsync("/list?2", Ct)).Content.ReadAsStringAsync(Ct));
        }
    }

    /// <summary>
    /// A bare date as the query (<c>app.js?20240101</c>, an asset's version stamp) is the same on every request of one
    /// release: two recorded versions are two answers, and each is served for its own version (it was dropped as a
    /// cache-buster, so both versions matched the first one recorded).
    /// </summary>
    [Theory]
    [InlineData("20240101", "20250315")]
    [InlineData("202401011200", "202503151830")]
    public async Task ABareVersionDate_StillCounts(string first, string second)
    {
        using var dir = new TempDir();
        var one = Exchanges.Get("http://books.test/app.js?" + first, "\"v1\"", id: "r1") with { Direction = Direction.Outbound };
        var two = Exchanges.Get("http://books.test/app.js?" + second, "\"v2\"", id: "r2") with { Direction = Direction.Outbound };
        var (server, client) = await MockFixtures.StartAsync(dir, [one, two]);
        await using (server)
        {
            Assert.Equal("\"v2\"", await (await client.GetAsync("/app.js?" + second, Ct)).Content.ReadAsStringAsync(Ct));
            Assert.Equal("\"v1\"", await (await client.GetAsync("/app.js?" + first, Ct)).Content.ReadAsStringAsync(Ct));
        }
    }
}
