using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Reprise.Core.Model;
using Reprise.Replay.Sessions;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// The default session key on clients that send their own traceparent per request (OpenTelemetry): a
/// trace that covers one request is not a session, so the default falls back to the client key.
/// </summary>
public sealed class SessionGroupingTests
{
    [Fact]
    public async Task FreshTraceparentPerRequest_DefaultGroupsByClient_AndCorrelatesTheCreatedId()
    {
        await using var api = await PostsApi.StartAsync();
        var notices = new ConcurrentQueue<string>();
        var summary = await Replayer.RunAsync(
            new ReplayOptions { Target = api.Target.Address, Speed = 50, OnNotice = notices.Enqueue },
            Recorded.Stream(CreateReadDelete(traced: true)),
            new ListSink(),
            TestContext.Current.CancellationToken);

        Assert.Equal(["POST /posts", "GET /posts/10", "DELETE /posts/10"], api.Target.Arrivals.Select(a => a.Method + " " + a.PathAndQuery));
        Assert.True(api.Posts.ContainsKey(4), "the existing post 4 must survive");
        Assert.Equal(1, summary.Sessions);
        var notice = Assert.Single(notices);
        Assert.Contains("3 of 3", notice, StringComparison.Ordinal);
        Assert.Contains("--session-key", notice, StringComparison.Ordinal);
    }

    /// <summary>
    /// A redacted recording masks every bearer credential of one length alike: the keyed token redaction tags the
    /// exchange with keeps users apart, so three users are three sessions again (they were one, run in one line).
    /// </summary>
    [Fact]
    public void MaskedAuthorization_TheRedactionTagKeysTheSession()
    {
        static Exchange Of(int user) => Recorded.Request("GET", "/me", user * 0.01) is var e
            ? e with
            {
                Request = e.Request with { Headers = [new HeaderField("Authorization", "Bearer ******************************")] },
                Tags = e.Tags.SetItem(WellKnownTags.RedactedAuthorization, $"tok_secret_{new string((char)('a' + user), 16)}"),
            }
            : e;

        var keys = Enumerable.Range(0, 3).Select(u => SessionKeys.Of(Of(u), [SessionKeyKind.Authorization])).ToList();

        Assert.All(keys, k => Assert.True(k.Grouped));
        Assert.Equal(3, keys.Select(k => k.Key).Distinct().Count());
        Assert.Equal(keys[1], SessionKeys.Of(Of(1), [SessionKeyKind.Authorization]));
    }

    /// <summary>
    /// Two users log in and get masked session cookies of one length: the mask two logins issued links no one, so the
    /// second user's requests keep their own session (keyed by redaction's credential tag) instead of joining the first.
    /// </summary>
    [Fact]
    public void MaskedCookieIssuedByTwoLogins_LinksNoOne_UsersStayApart()
    {
        const string Mask = "sid=****************";
        static Exchange Login(int at) => Recorded.Request("POST", "/login", at * 0.01) is var e
            ? e with { Response = e.Response! with { Headers = [new HeaderField("Set-Cookie", Mask + "; Path=/")] } }
            : e;
        static Exchange Me(int at, char user) => Recorded.Request("GET", "/me", at * 0.01) is var e
            ? e with { Request = e.Request with { Headers = [new HeaderField("Cookie", Mask)] }, Tags = e.Tags.SetItem(WellKnownTags.RedactedCookie, "tok_secret_" + new string(user, 16)) }
            : e;

        var linker = new SessionLinker(SessionKeyKinds.Default);
        var loginA = linker.Resolve(Login(0));
        var meA = linker.Resolve(Me(1, 'a'));
        linker.Resolve(Login(2));
        var meB = linker.Resolve(Me(3, 'b'));

        Assert.Equal(loginA.Key, meA.Key); // one user's login and the call after it: one session
        Assert.NotEqual(meA.Key, meB.Key);
        Assert.True(meB.Grouped);
    }

    /// <summary>
    /// QA round 11a (PostGraphile): the login answered <c>{"data":{"authenticate":{"jwtToken":"…"}}}</c>; the gate before the
    /// JSON was read looked for "token" case-sensitively, so a camelCase member never registered, the calls carrying the
    /// issued token were a session of their own, ran before the login, and sent the recorded mask (400, "Authorization
    /// header is not of the correct bearer scheme format").
    /// </summary>
    [Theory]
    [InlineData("jwtToken")]
    [InlineData("accessToken")]
    [InlineData("JWT")]
    [InlineData("sessionId")]
    public void ATokenIssuedUnderACamelCaseMember_JoinsTheLoginAndTheCallsThatCarryIt(string member)
    {
        const string Jwt = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiZm9ydW1fcGVyc29uIn0.izO3CdxlyfEGALLUK093vZEdZ6zD9GrtkFiOhj8aa60";
        var login = Recorded.Request("POST", "/graphql", 0, body: "{}", responseBody: "{\"data\":{\"authenticate\":{\"" + member + "\":\"" + Jwt + "\"}}}");
        var me = Recorded.Request("POST", "/graphql", 0.1, session: Jwt, body: "{}");

        var linker = new SessionLinker(SessionKeyKinds.Default);
        var first = linker.Resolve(login);
        var second = linker.Resolve(me);

        Assert.Equal(first.Key, second.Key);
    }

    [Fact]
    public void ReadOfWhatACreateReturnedInLocation_JoinsTheCreatorsSession_ARedirectTargetDoesNot()
    {
        // QA round 4 (fastify): POST /orders carries the client's bearer token and answers 201 with Location
        // /orders/{uuid}; the GET of that order carries no credential, so it fell to the client key: two sessions,
        // the read could run before the create and never got the new id.
        const string Id = "34d6707b-41ac-43ef-9aae-f50144fa311c";
        Exchange Client(Exchange e) => e with { Tags = e.Tags.SetItem(WellKnownTags.ClientAddress, "10.0.0.7") };
        var create = Client(Recorded.Request("POST", "/orders", 0, session: "svc", body: "{}", status: 201, responseHeaders: [new HeaderField("Location", "/orders/" + Id)]));
        var read = Client(Recorded.Request("GET", "/orders/" + Id, 0.1));
        var readSub = Client(Recorded.Request("GET", "/orders/" + Id + "/items?page=1", 0.2));
        var login = Client(Recorded.Request("POST", "/login", 0.3, session: "other", body: "{}", status: 303, responseHeaders: [new HeaderField("Location", "/dashboard/2024")]));
        var dashboard = Client(Recorded.Request("GET", "/dashboard/2024", 0.4));
        var list = Client(Recorded.Request("POST", "/lists", 0.5, session: "third", body: "{}", status: 201, responseHeaders: [new HeaderField("Location", "/lists/new")]));
        var lists = Client(Recorded.Request("GET", "/lists/new", 0.6));

        var linker = new SessionLinker(SessionKeyKinds.Default);
        var keys = new[] { create, read, readSub, login, dashboard, list, lists }.Select(e => linker.Resolve(e).Key).ToArray();

        Assert.Equal(keys[0], keys[1]);
        Assert.Equal(keys[0], keys[2]);
        Assert.NotEqual(keys[3], keys[4]); // a redirect target is a page anyone loads, not what the login created
        Assert.NotEqual(keys[5], keys[6]); // no id in the created path: too common to link on
    }

    [Fact]
    public void ReadOfACreatedPath_JoinsTheCreator_OnlyWithoutIdentityOrFromTheCreatorsClient_BoundedInCountAndTime()
    {
        // Review of the QA4 link: an admin creates /products/17; anonymous shoppers (other client addresses) reading it
        // must keep their own sessions, not run one at a time in the admin's session with the admin's values.
        static Exchange From(Exchange e, string client) => e with { Tags = e.Tags.SetItem(WellKnownTags.ClientAddress, client) };
        var create = From(Recorded.Request("POST", "/products", 0, session: "admin", body: "{}", status: 201, responseHeaders: [new HeaderField("Location", "/products/17")]), "10.0.0.1");
        var linker = new SessionLinker(SessionKeyKinds.Default);
        var admin = linker.Resolve(create).Key;

        Assert.Equal(admin, linker.Resolve(From(Recorded.Request("GET", "/products/17", 0.1), "10.0.0.1")).Key); // the creator's own client
        Assert.Equal(admin, linker.Resolve(Recorded.Request("GET", "/products/17/reviews", 0.2)).Key); // no identity at all
        var shopper = linker.Resolve(From(Recorded.Request("GET", "/products/17", 0.3), "10.0.0.99"));
        Assert.NotEqual(admin, shopper.Key);
        Assert.StartsWith("i:", shopper.Key, StringComparison.Ordinal);

        // Bounded in count: many identity-less reads do not all join the admin's session.
        var joined = Enumerable.Range(0, 100).Count(i => linker.Resolve(Recorded.Request("GET", "/products/17", 0.4 + (i * 0.001))).Key == admin);
        Assert.Equal(SessionLinker.MaxCreatedLinks - 2, joined);

        // Bounded in time: a read long after the 201 is not the create's follow-up.
        var other = new SessionLinker(SessionKeyKinds.Default);
        var creator = other.Resolve(From(Recorded.Request("POST", "/products", 0, session: "admin", body: "{}", status: 201, responseHeaders: [new HeaderField("Location", "/products/18")]), "10.0.0.1")).Key;
        Assert.NotEqual(creator, other.Resolve(Recorded.Request("GET", "/products/18", SessionLinker.CreatedLinkWindow.TotalSeconds + 1)).Key);
    }

    [Theory]
    [InlineData("/api/v2")]
    [InlineData("/api/V10/")]
    [InlineData("/files/report2")]
    [InlineData("/lists/new")]
    public void CreatedLocationWithoutAnIdShapedLastSegment_LinksNothing(string location)
    {
        var linker = new SessionLinker(SessionKeyKinds.Default);
        var creator = linker.Resolve(Recorded.Request("POST", "/things", 0, session: "admin", body: "{}", status: 201, responseHeaders: [new HeaderField("Location", location)])).Key;

        Assert.NotEqual(creator, linker.Resolve(Recorded.Request("GET", location, 0.1)).Key);
    }

    [Fact]
    public void BrowserHarRequestsOfOnePage_AreOneSession_WithoutCredentials()
    {
        // QA round 5 (Playwright recordHar of a page: fetch POST /api/notes -> 201 {id}, GET /api/notes/{id}, a WebSocket
        // watching the id): no cookie, Authorization or client tag, so every request was its own session ("correlation
        // has nothing to link") and the unchanged app's read of the new note was a 404. A HAR entry's page (pageref) is
        // one browser tab's page load: one user.
        Exchange Page(Exchange e, string page) => e with { Tags = e.Tags.SetItem("har.pageref", page) };
        var create = Page(Recorded.Request("POST", "/api/notes", 0, body: "{}", responseBody: """{"id":847}""", status: 201), "page@e3d1");
        var read = Page(Recorded.Request("GET", "/api/notes/847", 0.1), "page@e3d1");
        var otherTab = Page(Recorded.Request("GET", "/api/notes/847", 0.2), "page@77aa");

        var keys = new[] { create, read, otherTab }.Select(e => SessionKeys.Of(e, SessionKeyKinds.Default)).ToArray();

        Assert.True(keys[0].Grouped);
        Assert.Equal(keys[0], keys[1]);
        Assert.NotEqual(keys[0].Key, keys[2].Key);
    }

    [Fact]
    public async Task TracesThatGroupSeveralRequests_StayTheSessionKey()
    {
        await using var api = await PostsApi.StartAsync();
        var first = CreateReadDelete(traced: true, trace: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        var second = CreateReadDelete(traced: true, trace: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", at: 0.05);
        var notices = new ConcurrentQueue<string>();
        var summary = await Replayer.RunAsync(
            new ReplayOptions { Target = api.Target.Address, Speed = 50, OnNotice = notices.Enqueue },
            Recorded.Stream([.. first.Concat(second).OrderBy(e => e.StartedAt)]),
            new ListSink(),
            TestContext.Current.CancellationToken);

        Assert.Equal(2, summary.Sessions);
        Assert.Empty(notices);
        Assert.Equal(2, api.Target.Arrivals.Count(a => a.Method == "DELETE" && a.PathAndQuery != "/posts/4"));
        Assert.True(api.Posts.ContainsKey(4));
    }

    [Fact]
    public async Task ExplicitTraceKey_IsHonoured_EvenWhenEveryTraceIsOneRequest()
    {
        await using var api = await PostsApi.StartAsync();
        var notices = new ConcurrentQueue<string>();
        var summary = await Replayer.RunAsync(
            new ReplayOptions { Target = api.Target.Address, Speed = 50, SessionKeys = [SessionKeyKind.Trace], OnNotice = notices.Enqueue },
            Recorded.Stream(CreateReadDelete(traced: true)),
            new ListSink(),
            TestContext.Current.CancellationToken);

        Assert.Equal(3, summary.Sessions);
        Assert.Empty(notices);
    }

    /// <summary>POST /posts (recorded id 4), GET /posts/4, DELETE /posts/4 from one client, each with its own trace unless <paramref name="trace"/> is given.</summary>
    private static List<Exchange> CreateReadDelete(bool traced, string? trace = null, double at = 0)
    {
        var list = new List<Exchange>
        {
            Recorded.Request("POST", "/posts", at, body: """{"title":"new"}""", responseBody: """{"title":"new","id":4}""", status: 201),
            Recorded.Request("GET", "/posts/4", at + 0.1, responseBody: """{"title":"new","id":4}"""),
            Recorded.Request("DELETE", "/posts/4", at + 0.2, responseBody: "{}"),
        };
        for (var i = 0; i < list.Count; i++)
        {
            list[i] = list[i] with
            {
                TraceId = traced ? trace ?? Guid.NewGuid().ToString("N") : null,
                Tags = Exchange.EmptyTags.Add(WellKnownTags.ClientAddress, "10.1.2.3"),
            };
        }

        return list;
    }

    /// <summary>A json-server-like posts API: posts 1..4 exist, POST issues ids from 10.</summary>
    private sealed class PostsApi : IAsyncDisposable
    {
        private PostsApi(CountingTarget target, ConcurrentDictionary<int, string> posts)
        {
            Target = target;
            Posts = posts;
        }

        public CountingTarget Target { get; }

        public ConcurrentDictionary<int, string> Posts { get; }

        public static async Task<PostsApi> StartAsync()
        {
            var posts = new ConcurrentDictionary<int, string>();
            for (var i = 1; i <= 4; i++)
            {
                posts[i] = "post " + i;
            }

            var next = 9;
            var target = await CountingTarget.StartAsync(app =>
            {
                app.MapPost("/posts", () =>
                {
                    var id = Interlocked.Increment(ref next);
                    posts[id] = "new";
                    return HttpResults.Json(new { title = "new", id }, statusCode: 201);
                });
                app.MapGet("/posts/{id:int}", (int id) => posts.TryGetValue(id, out var title) ? HttpResults.Json(new { title, id }) : HttpResults.NotFound());
                app.MapDelete("/posts/{id:int}", (int id) => posts.TryRemove(id, out _) ? HttpResults.Json(new { }) : HttpResults.NotFound());
            });
            return new PostsApi(target, posts);
        }

        public ValueTask DisposeAsync() => Target.DisposeAsync();
    }
}
