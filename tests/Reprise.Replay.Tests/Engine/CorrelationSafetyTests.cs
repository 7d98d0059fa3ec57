using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// Correlation must never mutate the wrong record: the latest pairing a response produced wins (also an
/// unchanged one), and values redaction wrote into the recording are never learned as sources.
/// </summary>
public sealed class CorrelationSafetyTests
{
    [Fact]
    public async Task RedactedListValue_ThenCreateReadDelete_TouchesTheCreatedRecordOnly()
    {
        // The json-server case from the QA report: posts[0].userId 1 was recorded as 5 (redaction rewrote
        // the number), then POST /users created id 5 in the recording and again at replay.
        await using var api = await UsersApi.StartAsync(firstNewId: 5);
        var list = Recorded.Request("GET", "/posts", 0, session: "c", responseBody: """[{"id":1,"title":"a","userId":5},{"id":2,"title":"b","userId":2}]""");
        list = list with { Redactions = [new Redaction("response.body:$[0].userId", "account-id", "tokenize")] };
        var create = Recorded.Request("POST", "/users", 0.1, session: "c", body: """{"name":"Dave"}""", responseBody: """{"name":"Dave","id":5}""", status: 201);
        var read = Recorded.Request("GET", "/users/5", 0.2, session: "c", responseBody: """{"name":"Dave","id":5}""");
        var delete = Recorded.Request("DELETE", "/users/5", 0.3, session: "c", responseBody: "{}");

        await Replayer.RunAsync(new ReplayOptions { Target = api.Target.Address, Speed = 50 }, Recorded.Stream([list, create, read, delete]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal(["GET /posts", "POST /users", "GET /users/5", "DELETE /users/5"], api.Target.Arrivals.Select(a => a.Method + " " + a.PathAndQuery));
        Assert.True(api.Users.ContainsKey(1), "user 1 (Alice) must survive");
        Assert.False(api.Users.ContainsKey(5), "the created user 5 must be deleted");
    }

    [Fact]
    public async Task UnchangedPairing_ReplacesAnEarlierChangedOne()
    {
        // No redaction: the recorded list said id 4 where the target now says 1 (4 -> 1 is learned), then the
        // create answers 4 in the recording and at replay: 4 -> 4 is the latest pairing and must win.
        await using var api = await UsersApi.StartAsync(firstNewId: 4, existing: 3);
        var list = Recorded.Request("GET", "/users", 0, session: "c", responseBody: """[{"id":4,"name":"Alice"}]""");
        var create = Recorded.Request("POST", "/users", 0.1, session: "c", body: """{"name":"Dave"}""", responseBody: """{"name":"Dave","id":4}""", status: 201);
        var patch = Recorded.Request("PATCH", "/users/4", 0.2, session: "c", body: """{"id":4,"name":"D"}""", responseBody: """{"name":"D","id":4}""");
        var delete = Recorded.Request("DELETE", "/users/4", 0.3, session: "c", responseBody: "{}");

        await Replayer.RunAsync(new ReplayOptions { Target = api.Target.Address, Speed = 50 }, Recorded.Stream([list, create, patch, delete]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = api.Target.Arrivals.ToList();
        Assert.Equal(["GET /users", "POST /users", "PATCH /users/4", "DELETE /users/4"], sent.Select(a => a.Method + " " + a.PathAndQuery));
        Assert.Contains("\"id\":4", sent[2].Body, StringComparison.Ordinal);
        Assert.True(api.Users.ContainsKey(1));
        Assert.False(api.Users.ContainsKey(4));
    }

    [Fact]
    public async Task AListAfterTheCreate_DoesNotRepointTheCreatedIdAtAnotherRecord()
    {
        // QA round 4 (Express contacts, replayed against a store that already held two contacts, or with
        // --multiplier): the create answered 5 (now 5 -> 9), then the list's first element was 5 in the recording but
        // is a pre-existing user 1 now. The position pairing 5 -> 1 won as the latest, and the replay PATCHed and
        // DELETEd user 1. A position in a list is weaker evidence than the create's own answer.
        await using var api = await UsersApi.StartAsync(firstNewId: 9, existing: 4);
        var create = Recorded.Request("POST", "/users", 0, session: "c", body: """{"name":"Dave"}""", responseBody: """{"name":"Dave","id":5}""", status: 201);
        var list = Recorded.Request("GET", "/users", 0.1, session: "c", responseBody: """[{"id":5,"name":"Dave"}]""");
        var delete = Recorded.Request("DELETE", "/users/5", 0.2, session: "c", responseBody: "{}");

        await Replayer.RunAsync(new ReplayOptions { Target = api.Target.Address, Speed = 50 }, Recorded.Stream([create, list, delete]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal(["POST /users", "GET /users", "DELETE /users/9"], api.Target.Arrivals.Select(a => a.Method + " " + a.PathAndQuery));
        Assert.True(api.Users.ContainsKey(1), "the pre-existing user 1 must survive");
    }

    [Fact]
    public async Task AnUnchangedCreate_ThenAReorderedList_DoesNotRepointTheCreatedId()
    {
        // Review of the QA4 fix (--multiplier 2, newest-first list): copy 0 creates id 1 (as recorded, so no pairing
        // is kept), copy 1 creates id 2, copy 0's list answers [2, 1] where the recording had [1]. Position 0 must not
        // map 1 -> 2: copy 0's PATCH and DELETE of /contacts/1 would destroy copy 1's record.
        var contacts = new ConcurrentDictionary<int, string>();
        var next = 0;
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/contacts", () =>
            {
                var id = Interlocked.Increment(ref next);
                contacts[id] = "mine";
                contacts[Interlocked.Increment(ref next)] = "another copy's"; // created concurrently by the other copy
                return HttpResults.Json(new { id, name = "mine" }, statusCode: 201);
            });
            app.MapGet("/contacts", () => HttpResults.Json(contacts.OrderByDescending(c => c.Key).Select(c => new { id = c.Key, name = c.Value })));
            app.MapMethods("/contacts/{id:int}", ["PATCH"], (int id) => contacts.ContainsKey(id) ? HttpResults.Json(new { id }) : HttpResults.NotFound());
            app.MapDelete("/contacts/{id:int}", (int id) => contacts.TryRemove(id, out _) ? HttpResults.Json(new { }) : HttpResults.NotFound());
        });
        var create = Recorded.Request("POST", "/contacts", 0, session: "c", body: """{"name":"mine"}""", responseBody: """{"id":1,"name":"mine"}""", status: 201);
        var list = Recorded.Request("GET", "/contacts", 0.1, session: "c", responseBody: """[{"id":1,"name":"mine"}]""");
        var patch = Recorded.Request("PATCH", "/contacts/1", 0.2, session: "c", body: """{"id":1,"name":"m"}""", responseBody: """{"id":1}""");
        var delete = Recorded.Request("DELETE", "/contacts/1", 0.3, session: "c", responseBody: "{}");

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([create, list, patch, delete]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal(["POST /contacts", "GET /contacts", "PATCH /contacts/1", "DELETE /contacts/1"], sent.Select(a => a.Method + " " + a.PathAndQuery));
        Assert.Contains("\"id\":1", sent[2].Body, StringComparison.Ordinal);
        Assert.True(contacts.ContainsKey(2), "the other copy's contact 2 must survive");
    }

    [Fact]
    public async Task ASubstitutedValue_IsNotReplacedAgainByAnotherLearnedValue()
    {
        // The target's ids run ahead of the recording's: user 14 is now 24, and the recorded user 24 is now 34. A body
        // naming both must send 24 and 34; replacing 14 -> 24 and then every 24 -> 34 addressed user 34 twice.
        await using var api = await UsersApi.StartAsync(firstNewId: 24);
        var first = Recorded.Request("POST", "/users", 0, session: "c", body: """{"name":"Ann"}""", responseBody: """{"name":"Ann","id":14}""", status: 201);
        var gap = Enumerable.Range(0, 9).Select(i => Recorded.Request("POST", "/users", 0.01 * (i + 1), session: "c", body: """{"name":"x"}""", responseBody: "{}", status: 201));
        var second = Recorded.Request("POST", "/users", 0.1, session: "c", body: """{"name":"Bob"}""", responseBody: """{"name":"Bob","id":24}""", status: 201);
        var link = Recorded.Request("POST", "/links", 0.2, session: "c", body: """{"from":14,"to":24}""", responseBody: "{}");

        await Replayer.RunAsync(new ReplayOptions { Target = api.Target.Address, Speed = 50 }, Recorded.Stream([first, .. gap, second, link]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = api.Target.Arrivals.Last();
        Assert.Equal("POST /links", sent.Method + " " + sent.PathAndQuery);
        Assert.Equal("""{"from":24,"to":34}""", sent.Body);
    }

    [Fact]
    public async Task ASubstitutedValue_InAHeader_IsNotReplacedAgainByAnotherLearnedValue()
    {
        // As in bodies: ord-000014 is now ord-000024 and the recorded ord-000024 is now ord-000034; a header naming
        // both must carry ord-000024 and ord-000034, not ord-000034 twice.
        var next = 24;
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/orders", () => Microsoft.AspNetCore.Http.Results.Json(new { id = $"ord-0000{Interlocked.Add(ref next, 10) - 10}" }, statusCode: 201));
            app.MapPost("/links", () => Microsoft.AspNetCore.Http.Results.Json(new { }));
        });
        var first = Recorded.Request("POST", "/orders", 0, session: "c", body: "{}", responseBody: """{"id":"ord-000014"}""", status: 201);
        var second = Recorded.Request("POST", "/orders", 0.1, session: "c", body: "{}", responseBody: """{"id":"ord-000024"}""", status: 201);
        var link = Recorded.Request("POST", "/links", 0.2, session: "c", body: "{}", responseBody: "{}");
        link = link with { Request = link.Request with { Headers = link.Request.Headers.Add(new HeaderField("X-Order-Refs", "ord-000014,ord-000024")) } };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([first, second, link]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.Last();
        Assert.Equal("/links", sent.PathAndQuery);
        Assert.Equal("ord-000024,ord-000034", sent.Headers["X-Order-Refs"]);
    }

    [Fact]
    public async Task UnchangedIdInAList_DoesNotForgetTheCreatedRecord()
    {
        // QA3 (json-server, graphql-yoga): the create answered 4 in the recording and 5 now, because the target
        // already holds a 4 (Erin). The list that follows shows Erin's 4 at the position of the recording's 4; that
        // positional 4 -> 4 must not undo 4 -> 5, or the DELETE removes Erin instead of the created record.
        await using var api = await UsersApi.StartAsync(firstNewId: 5, existing: 4);
        var create = Recorded.Request("POST", "/users", 0, session: "c", body: """{"name":"Dave"}""", responseBody: """{"name":"Dave","id":4}""", status: 201);
        var list = Recorded.Request("GET", "/users", 0.1, session: "c", responseBody: """[{"id":1,"name":"Alice"},{"id":2,"name":"Bob"},{"id":3,"name":"Carol"},{"id":4,"name":"Dave"}]""");
        var delete = Recorded.Request("DELETE", "/users/4", 0.2, session: "c", responseBody: "{}");

        await Replayer.RunAsync(new ReplayOptions { Target = api.Target.Address, Speed = 50 }, Recorded.Stream([create, list, delete]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal(["POST /users", "GET /users", "DELETE /users/5"], api.Target.Arrivals.Select(a => a.Method + " " + a.PathAndQuery));
        Assert.True(api.Users.ContainsKey(4), "the pre-existing user 4 must survive");
        Assert.False(api.Users.ContainsKey(5), "the created user 5 must be deleted");
    }

    [Fact]
    public async Task ALearnedShortId_IsNotSubstitutedIntoPagingParameters_OnlyIntoIdParameters()
    {
        // QA3 (json-server): order 2 became order 3, and GET /customers?_page=1&_limit=2 was sent with _limit=3.
        await using var api = await UsersApi.StartAsync(firstNewId: 5, existing: 4);
        var create = Recorded.Request("POST", "/users", 0, session: "c", body: """{"name":"Dave"}""", responseBody: """{"name":"Dave","id":2}""", status: 201);
        var page = Recorded.Request("GET", "/users?_page=2&_limit=2&2=x&ownerId=2", 0.1, session: "c", responseBody: "[]");

        await Replayer.RunAsync(new ReplayOptions { Target = api.Target.Address, Speed = 50 }, Recorded.Stream([create, page]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal("GET /users?_page=2&_limit=2&2=x&ownerId=5", api.Target.Arrivals.Select(a => a.Method + " " + a.PathAndQuery).Last());
    }

    [Fact]
    public async Task AOneDigitId_IsSubstitutedAsTheWholeValueOfAJsonMemberNamedLikeAnId()
    {
        // QA3 (json-server): POST /orders {"customerId": 4} after the create of customer 4 (now 5) kept 4, so the order
        // went to another customer. Only members named like an id change; "qty": 4 stays.
        await using var api = await UsersApi.StartAsync(firstNewId: 5, existing: 4);
        var create = Recorded.Request("POST", "/users", 0, session: "c", body: """{"name":"Dave"}""", responseBody: """{"name":"Dave","id":4}""", status: 201);
        var order = Recorded.Request("POST", "/users", 0.1, session: "c", body: """{"customerId": 4, "ownerId":"4", "qty": 4, "items":[{"userId":4}]}""", responseBody: "{}", status: 201);

        await Replayer.RunAsync(new ReplayOptions { Target = api.Target.Address, Speed = 50 }, Recorded.Stream([create, order]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal("""{"customerId": 5, "ownerId":"5", "qty": 4, "items":[{"userId":5}]}""", api.Target.Arrivals.Last().Body);
    }

    [Fact]
    public async Task ChangedPairing_StillBeatsAnUnchangedOneInTheSameResponse()
    {
        // Within one response the changed value is the evidence: {"id":41,"ownerId":41} answered as
        // {"id":1001,"ownerId":41} still maps 41 -> 1001 for the next request.
        await using var api = await UsersApi.StartAsync(firstNewId: 1001);
        var create = Recorded.Request("POST", "/users", 0, session: "c", body: """{"name":"Dave"}""", responseBody: """{"id":41,"name":"Dave","ownerId":41}""", status: 201);
        var read = Recorded.Request("GET", "/users/41", 0.1, session: "c", responseBody: """{"id":41}""");

        await Replayer.RunAsync(new ReplayOptions { Target = api.Target.Address, Speed = 50 }, Recorded.Stream([create, read]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal("GET /users/1001", api.Target.Arrivals.Select(a => a.Method + " " + a.PathAndQuery).Last());
    }

    [Fact]
    public async Task RedactedLocation_IsNeverLearned_EvenWhenTheValueAppearsLater()
    {
        // userId 1 was recorded as 7 by redaction; GET /users/7 is a user the client knew, not one the list
        // produced: it must be sent as /users/7, never as /users/1.
        await using var api = await UsersApi.StartAsync(firstNewId: 100);
        var list = Recorded.Request("GET", "/posts", 0, session: "c", responseBody: """[{"id":1,"userId":7,"reviewerId":"tok_id_abcdefghijklmnop"}]""");
        list = list with { Redactions = [new Redaction("response.body:$[0].userId", "account-id", "tokenize")] };
        var read = Recorded.Request("GET", "/users/7", 0.1, session: "c");
        var tokenRead = Recorded.Request("GET", "/reviews/tok_id_abcdefghijklmnop", 0.2, session: "c");

        await Replayer.RunAsync(new ReplayOptions { Target = api.Target.Address, Speed = 50 }, Recorded.Stream([list, read, tokenRead]), new ListSink(), TestContext.Current.CancellationToken);

        var paths = api.Target.Arrivals.Select(a => a.PathAndQuery).ToList();
        Assert.Equal(["/posts", "/users/7", "/reviews/tok_id_abcdefghijklmnop"], paths);
    }

    [Fact]
    public async Task MaskedLoginCookieAndToken_StillReachTheLaterRequests_ByNameNotByMask()
    {
        // A redacted login: the Set-Cookie value and the access token are masks (same masks in the later
        // requests). The cookie is matched by name and the token as the request's credential; the masks are
        // never substituted into bodies or paths.
        var sessions = new ConcurrentDictionary<string, bool>();
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/login", (HttpContext context) =>
            {
                var sid = Guid.NewGuid().ToString("N");
                var token = "at" + Guid.NewGuid().ToString("N");
                sessions[sid] = true;
                sessions[token] = true;
                context.Response.Headers.SetCookie = $"sid={sid}; Path=/; HttpOnly";
                return HttpResults.Json(new { access_token = token });
            });
            app.MapPost("/notes", (HttpContext context) =>
                context.Request.Cookies.TryGetValue("sid", out var sid) && sessions.ContainsKey(sid)
                && context.Request.Headers.Authorization.ToString() is { Length: > 7 } auth && sessions.ContainsKey(auth[7..])
                    ? HttpResults.Ok() : HttpResults.Unauthorized());
        });
        var mask = new string('*', 16);
        var login = Recorded.Request("POST", "/login", 0, body: """{"user":"ann","password":"********"}""", responseBody: $$"""{"access_token":"{{mask}}"}""",
            responseHeaders: [new("Set-Cookie", $"sid={mask}; Path=/; HttpOnly"), new("Content-Type", "application/json")]);
        login = login with { Redactions = [new Redaction("response.header:set-cookie", "header-deny", "mask"), new Redaction("response.body:$.access_token", "secret", "mask")] };
        var note = Recorded.Request("POST", "/notes", 0.1, body: $$"""{"text":"{{mask}}"}""");
        note = note with { Request = note.Request with { Headers = note.Request.Headers.Add(new HeaderField("Cookie", "sid=" + mask)).Add(new HeaderField("Authorization", "Bearer " + mask)) } };

        var sink = new ListSink();
        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([login, note]), sink, TestContext.Current.CancellationToken);

        var sent = target.Arrivals.Last();
        Assert.Equal("POST /notes", sent.Method + " " + sent.PathAndQuery);
        Assert.Equal($$"""{"text":"{{mask}}"}""", sent.Body);
        Assert.All(sink.Results, r => Assert.Equal(200, r.Response!.Status));
    }

    [Fact]
    public async Task SameLengthMasks_AccessTokenWinsOverRefreshToken_AndNeverReachesAnUnrelatedHeader()
    {
        // access_token and refresh_token were both recorded as 32 stars: the later request's Bearer mask must get
        // the new access token (not the refresh token listed after it), and a header that merely carries the same
        // mask is left alone.
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/login", () => HttpResults.Json(new { access_token = "access-new-value-0001", refresh_token = "refresh-new-value-0002" }));
            app.MapGet("/me", () => HttpResults.Ok());
        });
        var mask = new string('*', 32);
        var login = Recorded.Request("POST", "/login", 0, body: "{}", responseBody: $$"""{"access_token":"{{mask}}","refresh_token":"{{mask}}"}""");
        login = login with { Redactions = [new Redaction("response.body:$.access_token", "secret", "mask"), new Redaction("response.body:$.refresh_token", "secret", "mask")] };
        var me = Recorded.Request("GET", "/me", 0.1);
        me = me with { Request = me.Request with { Headers = me.Request.Headers.Add(new HeaderField("Authorization", "Bearer " + mask)).Add(new HeaderField("X-Trace-Secret", mask)) } };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([login, me]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.Last();
        Assert.Equal("Bearer access-new-value-0001", sent.Headers["Authorization"]);
        Assert.Equal(mask, sent.Headers["X-Trace-Secret"]);
    }

    [Fact]
    public async Task MaskedCsrfTokenInAJsonBody_ReachesTheHeaderNamedLikeIt_AndNoOtherHeader()
    {
        // QA round 4 (Express + express-session): GET /dashboard answers {"csrfToken":"…"}, recorded masked (secret
        // detector), and the SPA sends it back as X-CSRF-Token, recorded masked (header deny list). Replay must send the
        // new build's token in that header; a header that merely carries the same mask stays as recorded.
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/dashboard", () => HttpResults.Json(new { user = "u1", csrfToken = "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f" }));
            app.MapMethods("/api/contacts/1", ["PATCH"], () => HttpResults.Ok());
        });
        var mask = new string('*', 32);
        var dashboard = Recorded.Request("GET", "/dashboard", 0, session: "s", responseBody: $$"""{"user":"u1","csrfToken":"{{mask}}"}""");
        dashboard = dashboard with { Redactions = [new Redaction("response.body:$.csrfToken", "secret", "mask")] };
        var patch = Recorded.Request("PATCH", "/api/contacts/1", 0.1, session: "s", body: """{"phone":"x"}""");
        patch = patch with { Request = patch.Request with { Headers = patch.Request.Headers.Add(new HeaderField("X-CSRF-Token", mask)).Add(new HeaderField("X-Other-Token", mask)) } };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([dashboard, patch]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.Last();
        Assert.Equal("PATCH /api/contacts/1", sent.Method + " " + sent.PathAndQuery);
        Assert.Equal("0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f", sent.Headers["X-CSRF-Token"]);
        Assert.Equal(mask, sent.Headers["X-Other-Token"]);
    }
    [Fact]
    public async Task MaskedCsrfTokenInAJsonBody_ReplacesTheRawValueOfACsrfMemberOfTheSameLength()
    {
        // QA round 4 (Express): {"csrfToken": …} is masked in the response (secret detector) but the client sends it
        // back raw in {"_csrf": …} and in a _csrf form field (no detector sees those names). A raw value of a
        // csrf-named member whose mask is the learned credential is that token; one of another length is not.
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/dashboard", () => HttpResults.Json(new { csrfToken = "0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f" }));
            app.MapPost("/api/contacts", () => HttpResults.Ok());
            app.MapPost("/api/notes", () => HttpResults.Ok());
            app.MapPost("/logout", () => HttpResults.Ok());
        });
        var mask = new string('*', 32);
        const string Raw = "6d3b63ab9d3e5321eece9c9b38703a8d";
        var dashboard = Recorded.Request("GET", "/dashboard", 0, session: "s", responseBody: $$"""{"csrfToken":"{{mask}}"}""");
        dashboard = dashboard with { Redactions = [new Redaction("response.body:$.csrfToken", "secret", "mask")] };
        var create = Recorded.Request("POST", "/api/contacts", 0.1, session: "s", body: $$"""{"name":"tok_name_abc","_csrf":"{{Raw}}"}""");
        var note = Recorded.Request("POST", "/api/notes", 0.2, session: "s", body: """{"text":"hi","_csrf":"6d3b63ab9d3e5321"}""");
        var logout = Recorded.Request("POST", "/logout", 0.3, session: "s");
        logout = logout with { Request = logout.Request with { Body = ExchangeBody.FromText("_csrf=" + Raw, "application/x-www-form-urlencoded") } };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([dashboard, create, note, logout]), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToDictionary(a => a.PathAndQuery, a => a.Body);
        Assert.Equal("""{"name":"tok_name_abc","_csrf":"0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f"}""", sent["/api/contacts"]);
        Assert.Equal("""{"text":"hi","_csrf":"6d3b63ab9d3e5321"}""", sent["/api/notes"]);
        Assert.Equal("_csrf=0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f", sent["/logout"]);
    }

    [Fact]
    public async Task SameMaskForTwoNonAccessTokens_IsAmbiguous_AndLearnsNeither()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/login", () => HttpResults.Json(new { refresh_token = "refresh-new-value-0002", csrf_token = "csrf-new-value-0003" }));
            app.MapGet("/me", () => HttpResults.Ok());
        });
        var mask = new string('*', 32);
        var login = Recorded.Request("POST", "/login", 0, body: "{}", responseBody: $$"""{"refresh_token":"{{mask}}","csrf_token":"{{mask}}"}""");
        login = login with { Redactions = [new Redaction("response.body:$.refresh_token", "secret", "mask"), new Redaction("response.body:$.csrf_token", "secret", "mask")] };
        var me = Recorded.Request("GET", "/me", 0.1);
        me = me with { Request = me.Request with { Headers = me.Request.Headers.Add(new HeaderField("Authorization", "Bearer " + mask)) } };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([login, me]), new ListSink(), TestContext.Current.CancellationToken);

        Assert.Equal("Bearer " + mask, target.Arrivals.Last().Headers["Authorization"]);
    }

    /// <summary>A json-server-like users API: users 1..<c>existing</c> exist, POST issues ids from <c>firstNewId</c>.</summary>
    private sealed class UsersApi : IAsyncDisposable
    {
        private UsersApi(CountingTarget target, ConcurrentDictionary<int, string> users)
        {
            Target = target;
            Users = users;
        }

        public CountingTarget Target { get; }

        public ConcurrentDictionary<int, string> Users { get; }

        public static async Task<UsersApi> StartAsync(int firstNewId, int existing = 4)
        {
            var users = new ConcurrentDictionary<int, string>();
            foreach (var (id, name) in new[] { (1, "Alice"), (2, "Bob"), (3, "Carol"), (4, "Erin") }.Take(existing))
            {
                users[id] = name;
            }

            var next = firstNewId - 1;
            var target = await CountingTarget.StartAsync(app =>
            {
                app.MapGet("/posts", () => HttpResults.Json(new object[] { new { id = 1, title = "a", userId = 1 }, new { id = 2, title = "b", userId = 2 } }));
                app.MapGet("/users", () => HttpResults.Json(users.OrderBy(u => u.Key).Select(u => new { id = u.Key, name = u.Value })));
                app.MapPost("/users", () =>
                {
                    var id = Interlocked.Increment(ref next);
                    while (users.ContainsKey(id))
                    {
                        id = Interlocked.Increment(ref next);
                    }

                    users[id] = "Dave";
                    return HttpResults.Json(new { name = "Dave", id }, statusCode: 201);
                });
                app.MapGet("/users/{id:int}", (int id) => users.TryGetValue(id, out var name) ? HttpResults.Json(new { name, id }) : HttpResults.NotFound());
                app.MapMethods("/users/{id:int}", ["PATCH"], (int id) => users.ContainsKey(id) ? HttpResults.Json(new { name = "D", id }) : HttpResults.NotFound());
                app.MapDelete("/users/{id:int}", (int id) => users.TryRemove(id, out _) ? HttpResults.Json(new { }) : HttpResults.NotFound());
                app.MapGet("/reviews/{id}", (string id) => HttpResults.Json(new { id = id.ToString(CultureInfo.InvariantCulture) }));
            });
            return new UsersApi(target, users);
        }

        public ValueTask DisposeAsync() => Target.DisposeAsync();
    }
}
