using System.Net;
using Reprise.Core.Model;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests;

/// <summary>
/// QA round 13a (Redmine in headless Chromium, recorded through <c>record --listen 127.0.0.1:9300</c>): <c>record</c> rewrites
/// an upstream's redirect to the origin the client used, so the recording holds <c>Location: http://127.0.0.1:9300/my/page</c>.
/// The mock served it as recorded: after the login the browser went to the stopped recorder's port
/// (<c>ERR_CONNECTION_REFUSED</c>) and no page after the login loaded.
/// </summary>
public sealed class Qa13aTests
{
    private static Exchange Redirect(string path, string location, int offsetMs)
    {
        var exchange = MockFixtures.Send("POST", "http://127.0.0.1:3000" + path, "{}", offsetMs: offsetMs);
        return exchange with
        {
            Request = exchange.Request with { Headers = [new("Host", "127.0.0.1:9300"), new("Content-Type", "application/json")] },
            Response = exchange.Response! with { Status = 302, Headers = [new("Location", location), new("Content-Length", "0")], Body = null },
        };
    }

    [Fact]
    public async Task ARedirectToTheRecordedOrigin_NamesTheMocksOrigin_AnotherOriginAndARelativeOneAreKept()
    {
        using var dir = new TempDir();
        var (server, following) = await MockFixtures.StartAsync(dir,
        [
            Redirect("/login", "http://127.0.0.1:9300/my/page?x=1#top", 0), // the recorder's listener (the recorded Host)
            Redirect("/logout", "http://127.0.0.1:3000/", 2), // the upstream itself
            Redirect("/sso", "https://login.example.test/authorize?client=1", 4), // another site
            Redirect("/back", "/issues/1", 6),
        ]);
        following.Dispose();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Address };
        await using (server)
        {
            var live = client.BaseAddress!.GetLeftPart(UriPartial.Authority);
            async Task<string> LocationAfter(string path)
            {
                using var content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                var response = await client.PostAsync(path, content, TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.Found, response.StatusCode);
                return Assert.Single(response.Headers.GetValues("Location"));
            }

            Assert.Equal(live + "/my/page?x=1#top", await LocationAfter("/login"));
            Assert.Equal(live + "/", await LocationAfter("/logout"));
            Assert.Equal("https://login.example.test/authorize?client=1", await LocationAfter("/sso"));
            Assert.Equal("/issues/1", await LocationAfter("/back"));
        }
    }
}
