using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// Each result says which ids its session has correlated so far (<c>replay.correlated</c>), so <c>diff</c> can tell
/// a new id the target issued from a real change; tokens that are not id-shaped (a CSRF token) are not written.
/// </summary>
public sealed class CorrelatedTagTests
{
    [Fact]
    public async Task CreateThenRead_ResultsCarryTheLearnedIds()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/users", () => HttpResults.Json(new { id = 1001, csrf = "Zx81kQp0aL2mNs7Vb3TqZx81kQp0aL2mNs7Vb3Tq" }, statusCode: 201));
            app.MapGet("/users/{id}", (string id) => HttpResults.Json(new { id = int.Parse(id, System.Globalization.CultureInfo.InvariantCulture) }));
        });
        var create = Recorded.Request("POST", "/users", 0, session: "s", body: """{"name":"Dave"}""", responseBody: """{"id":5,"csrf":"Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90"}""", status: 201);
        var read = Recorded.Request("GET", "/users/5", 0.1, session: "s", responseBody: """{"id":5}""");
        var other = Recorded.Request("GET", "/users/7", 0.2, session: "other", responseBody: """{"id":7}""");
        var sink = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([create, read, other]), sink, TestContext.Current.CancellationToken);

        var byPath = sink.Results.ToDictionary(r => r.Request.Url[r.Request.Url.IndexOf("/users", StringComparison.Ordinal)..]);
        Assert.Equal("/users/1001", byPath.Keys.Single(k => k.StartsWith("/users/10", StringComparison.Ordinal)));
        Assert.Equal("5=1001", byPath["/users"].Tags[WellKnownTags.ReplayCorrelated]);
        Assert.Equal("5=1001", byPath["/users/1001"].Tags[WellKnownTags.ReplayCorrelated]);
        Assert.False(byPath["/users/7"].Tags.ContainsKey(WellKnownTags.ReplayCorrelated)); // another session learned nothing
    }
}
