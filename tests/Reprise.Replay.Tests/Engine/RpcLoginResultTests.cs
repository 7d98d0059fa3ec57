using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 14a (the Zabbix frontend's JSON-RPC API): <c>user.login</c> answers the session token as the bare result,
/// <c>{"result": "****"}</c> once redacted and tagged as issued, and every later call sends it back as
/// <c>{"method": "host.get", …, "auth": "****"}</c>. Neither <c>result</c> nor <c>auth</c> read as a token's name, so
/// replay sent the mask and the fresh instance answered 26 of 31 calls "Session terminated, re-login, please.". A mask
/// the recording tags as an issued credential is learned as one whatever its member's name, and <c>auth</c> is a
/// credential's name as <c>token</c> and <c>sid</c> are; other masked members keep their masks.
/// </summary>
public sealed class RpcLoginResultTests
{
    private const string Token = "9b6a42ed8c7664d40469d094fb24e4c4";
    private static readonly string Mask = new('*', 32);

    [Fact]
    public async Task AMaskedAuthMember_GetsTheTokenTheLoginAnsweredAsItsResult()
    {
        await using var target = await CountingTarget.StartAsync(app => app.MapPost("/api_jsonrpc.php", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            return body.Contains("user.login", StringComparison.Ordinal)
                ? HttpResults.Text("{\"jsonrpc\":\"2.0\",\"result\":\"" + Token + "\",\"id\":1}", "application/json")
                : HttpResults.Text("{\"jsonrpc\":\"2.0\",\"result\":[],\"id\":2}", "application/json");
        }));
        const string location = "response.body:$.result";
        var login = Recorded.Request("POST", "/api_jsonrpc.php", 0, session: "s",
            body: "{\"jsonrpc\":\"2.0\",\"method\":\"user.login\",\"params\":{\"username\":\"Admin\",\"password\":\"*****************\"},\"id\":1}",
            responseBody: "{\"jsonrpc\":\"2.0\",\"result\":\"" + Mask + "\",\"id\":1}") is var e
            ? e with
            {
                Redactions = [new Redaction("request.body:$.params.password", "password", "mask"), new Redaction(location, "secret", "mask")],
                Tags = e.Tags.SetItem(WellKnownTags.RedactedIssued, "tok_secret_" + new string('a', 16) + "@" + location),
            }
            : e;
        var exchanges = new[]
        {
            login,
            Call(0.1, "{\"jsonrpc\":\"2.0\",\"method\":\"host.get\",\"params\":{\"output\":[\"hostid\"]},\"id\":2,\"auth\":\"" + Mask + "\"}"),
            Call(0.2, "{\"jsonrpc\":\"2.0\",\"method\":\"user.update\",\"params\":{\"passwd\":\"" + Mask + "\"},\"id\":3,\"auth\":\"" + Mask + "\"}"),
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"method\":\"host.get\",\"params\":{\"output\":[\"hostid\"]},\"id\":2,\"auth\":\"" + Token + "\"}", sent[1].Body);
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"method\":\"user.update\",\"params\":{\"passwd\":\"" + Mask + "\"},\"id\":3,\"auth\":\"" + Token + "\"}", sent[2].Body);
    }

    private static Exchange Call(double at, string body) =>
        Recorded.Post(at, "/api_jsonrpc.php", body, "application/json") with { Redactions = [new Redaction("request.body", "carried:secret", "mask")] };

    /// <summary>
    /// Admin logs in, then a second user on the same client (<c>user.login</c> with <c>userData</c>: <c>{"result":
    /// {"sessionid": "****"}}</c>, a mask of the same length), then Admin goes on. Filled with the latest login's token,
    /// Admin's calls ran as the second user and failed once that user logged out ("Session terminated", 7 of 31). The call
    /// tagged with the keyed token it sent (<c>redaction.sent</c>) gets that login's new token.
    /// </summary>
    [Fact]
    public async Task TwoLoginsOnOneClient_EachCallsAuthGetsItsOwnLoginsNewToken()
    {
        await using var target = await CountingTarget.StartAsync(app => app.MapPost("/api_jsonrpc.php", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            return body.Contains("\"Admin\"", StringComparison.Ordinal) ? HttpResults.Text("{\"result\":\"" + Token + "\",\"id\":1}", "application/json")
                : body.Contains("user.login", StringComparison.Ordinal) ? HttpResults.Text("{\"result\":{\"userid\":\"3\",\"sessionid\":\"" + Other + "\"},\"id\":2}", "application/json")
                : HttpResults.Text("{\"result\":[],\"id\":3}", "application/json");
        }));
        static Exchange Tagged(Exchange e, string tag, string value) => e with { Tags = e.Tags.SetItem(tag, value) };
        var admin = Tagged(Recorded.Request("POST", "/api_jsonrpc.php", 0, session: "s", body: "{\"method\":\"user.login\",\"params\":{\"username\":\"Admin\"}}",
            responseBody: "{\"result\":\"" + Mask + "\",\"id\":1}") with { Redactions = [new Redaction("response.body:$.result", "secret", "mask")] },
            WellKnownTags.RedactedIssued, "tok_secret_" + new string('a', 16) + "@response.body:$.result");
        var second = Tagged(Recorded.Request("POST", "/api_jsonrpc.php", 0.1, session: "s", body: "{\"method\":\"user.login\",\"params\":{\"username\":\"jschmidt\"}}",
            responseBody: "{\"result\":{\"userid\":\"3\",\"sessionid\":\"" + Mask + "\"},\"id\":2}") with { Redactions = [new Redaction("response.body:$.result.sessionid", "secret", "mask")] },
            WellKnownTags.RedactedIssued, "tok_secret_" + new string('b', 16) + "@response.body:$.result.sessionid");
        Exchange CallAs(double at, char user) => Tagged(Call(at, "{\"method\":\"host.get\",\"auth\":\"" + Mask + "\"}"), WellKnownTags.RedactedSent, "tok_secret_" + new string(user, 16) + "@request.body:$.auth");
        var exchanges = new[] { admin, second, CallAs(0.2, 'b'), CallAs(0.3, 'a'), CallAs(0.4, 'b') };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var auth = target.Arrivals.Skip(2).Select(a => a.Body[(a.Body.IndexOf("\"auth\":\"", StringComparison.Ordinal) + 8)..^2]).ToList();
        Assert.Equal([Other, Token, Other], auth);
    }

    private const string Other = "0c1d2e3f405162738495a6b7c8d9eaf1";
}
