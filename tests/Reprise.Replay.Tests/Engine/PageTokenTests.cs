using System.Collections.Immutable;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 12a. Roundcube writes its session's request token into the page's script
/// (<c>rcmail.set_env({…,"request_token":"…"})</c>) and its AJAX calls send it back as <c>X-Roundcube-Request</c>; both
/// were recorded masked (the header as <c>carried:secret</c>: the recorder had seen the value as a secret before), and
/// the replay sent the mask: every AJAX call against a fresh instance answered "Your session is invalid or expired"
/// (7 of 32). phpMyAdmin's forms carry the token as <c>&lt;input name="token"&gt;</c>, a name the CSRF field pattern did
/// not read (it wanted <c>csrf</c>, <c>_token</c>…), and the session id in <c>&lt;input name="set_session"&gt;</c>: the
/// login was refused with the recorded masks.
/// </summary>
public sealed class PageTokenTests
{
    private const string Fresh = "f3e2d1c0b9a8f7e6d5c4b3a2918070f1";
    private static readonly string Mask = new('*', 32);

    private static Exchange Page(double at, string html, params Redaction[] redactions) =>
        Recorded.Request("GET", "/?_task=mail", at, session: "s", responseHeaders: [new HeaderField("Content-Type", "text/html; charset=utf-8")]) is var e
            ? e with { Response = e.Response! with { Body = ExchangeBody.FromText(html, "text/html; charset=utf-8") }, Redactions = [.. redactions] }
            : null!;

    private static Exchange Ajax(double at, string header, params Redaction[] redactions) =>
        Recorded.Request("GET", "/?_task=mail&_action=list&_remote=1", at, session: "s") is var e
            ? e with { Request = e.Request with { Headers = e.Request.Headers.Add(new HeaderField(header, Mask)) }, Redactions = [.. redactions] }
            : null!;

    private static async Task<List<Arrival>> Replay(Func<string, string> page, params Exchange[] exchanges)
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/", (HttpContext context) => context.Request.Query.ContainsKey("_action")
                ? HttpResults.Json(new { ok = true })
                : HttpResults.Content(page(Fresh), "text/html; charset=utf-8"));
            app.MapPost("/index.php", () => HttpResults.Ok());
        });
        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);
        return [.. target.Arrivals];
    }

    private static string ScriptPage(string token) =>
        $$"""<html><head><script>rcmail.set_env({"task":"mail","request_token":"{{token}}","compose_extwin":false});</script></head><body></body></html>""";

    [Fact]
    public async Task AHeaderMaskedAsASecretTheRecorderSawBefore_GetsTheTokenThePagesScriptIssued()
    {
        var sent = await Replay(ScriptPage,
            Page(0, ScriptPage(Mask), new Redaction("response.body:text", "secret", "mask")),
            Ajax(0.1, "X-Roundcube-Request", new Redaction("request.header:x-roundcube-request", "carried:secret", "mask")));

        Assert.Equal(Fresh, sent[1].Headers["X-Roundcube-Request"]);
    }

    [Fact]
    public async Task AMaskedHeaderTheRecordingDoesNotTieToASecret_KeepsTheMask()
    {
        var sent = await Replay(ScriptPage,
            Page(0, ScriptPage(Mask), new Redaction("response.body:text", "secret", "mask")),
            Ajax(0.1, "X-Api-Key", new Redaction("request.header:x-api-key", "header-deny", "mask")));

        Assert.Equal(Mask, sent[1].Headers["X-Api-Key"]);
    }

    [Fact]
    public async Task AFormFieldNamedToken_IsLearnedFromThePage_AndSentBackInTheForm()
    {
        static string FormPage(string token) => $$"""<form method="post" action="index.php?route=/"><input type="hidden" name="token" value="{{token}}"><input type="hidden" name="set_session" value="abc"></form>""";
        var post = Recorded.Post(0.1, "/index.php?route=/", $"route=%2F&token={Mask}&pma_username=tok_id_rlypdx6qdpftm6ph", "application/x-www-form-urlencoded");

        var sent = await Replay(FormPage, Page(0, FormPage(Mask), new Redaction("response.body:text", "secret", "mask")), post);

        Assert.Equal($"route=%2F&token={Fresh}&pma_username=tok_id_rlypdx6qdpftm6ph", sent[1].Body);
    }

    [Fact]
    public async Task AFormFieldNamedLikeASession_IsLearnedToo()
    {
        const string Session = "9uq0s3hnb2d6pl1d0ff4u6sq7v";
        var sessionMask = new string('*', 26);
        static string FormPage(string token) => $$"""<form method="post" action="index.php?route=/"><input type="hidden" name="set_session" value="{{token}}"></form>""";
        var post = Recorded.Post(0.1, "/index.php?route=/", $"route=%2F&set_session={sessionMask}", "application/x-www-form-urlencoded");

        var sent = await Replay(_ => FormPage(Session), Page(0, FormPage(sessionMask), new Redaction("response.body", "same-value:header-deny", "mask")), post);

        Assert.Equal($"route=%2F&set_session={Session}", sent[1].Body);
    }
}
