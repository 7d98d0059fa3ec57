using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.Time.Testing;
using Reprise.Core.Text;
using Reprise.Mock.Config;
using Reprise.Mock.Serving;
using Reprise.Mock.Templating;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Templating;

public sealed class TemplatingTests
{
    [Fact]
    public async Task Route_EchoesIdsAndShiftsDates()
    {
        using var dir = new TempDir();
        var config = dir.File("mock.yaml");
        await File.WriteAllTextAsync(config, """
            volatile: [body.$.sku, body.$.qty]
            routes:
              - method: GET
                path: /users/*
                set:
                  $.id: "{{request.path[1]}}"
                  $.ref: "u-{{request.query.ref}}"
                headers:
                  X-Correlation-Id: "{{request.header.x-correlation-id}}"
                shiftDates: true
              - method: POST
                path: /orders
                set:
                  $.order.sku: "{{request.body.$.sku}}"
                  $.order.qty: "{{request.body.$.qty}}"
            """, TestContext.Current.CancellationToken);
        var recordedAt = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(recordedAt.AddDays(10));
        var user = MockFixtures.Get("https://api.test/users/1?ref=r0", """{"id":1,"ref":"","createdAt":"2026-01-01T11:00:00Z","seen":"2026-01-01T11:30:00.123+02:00"}""");
        user = user with { Response = user.Response! with { Headers = [new("Content-Type", "application/json"), new("Date", "Thu, 01 Jan 2026 12:00:00 GMT")] } };
        var (server, client) = await MockFixtures.StartAsync(dir, [
            user,
            MockFixtures.Send("POST", "https://api.test/orders", """{"sku":"A","qty":1}""", """{"order":{"sku":"A","qty":1,"status":"new"}}"""),
        ], o => o with { ConfigPath = config, Time = time });
        await using (server)
        {
            var ct = TestContext.Current.CancellationToken;
            using var request = new HttpRequestMessage(HttpMethod.Get, "/users/42?ref=abc");
            request.Headers.Add("X-Correlation-Id", "corr-9");
            var response = await client.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True(text.Contains("\"id\"", StringComparison.Ordinal), text);
            var json = JsonDocument.Parse(text).RootElement;
            Assert.Equal(42, json.GetProperty("id").GetInt32()); // number kept a number
            Assert.Equal("u-abc", json.GetProperty("ref").GetString());
            Assert.Equal("2026-01-11T11:00:00Z", json.GetProperty("createdAt").GetString());
            Assert.Equal("2026-01-11T11:30:00.123+02:00", json.GetProperty("seen").GetString());
            Assert.Equal("corr-9", response.Headers.GetValues("X-Correlation-Id").Single());
            Assert.Equal(new DateTimeOffset(2026, 1, 11, 12, 0, 0, TimeSpan.Zero), response.Headers.Date);

            var order = await client.PostAsync("/orders", new StringContent("""{"sku":"ZZ-9","qty":3}""", System.Text.Encoding.UTF8, "application/json"), ct);
            var orderJson = JsonDocument.Parse(await order.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("order");
            Assert.Equal("ZZ-9", orderJson.GetProperty("sku").GetString());
            Assert.Equal(3, orderJson.GetProperty("qty").GetInt32());
            Assert.Equal("new", orderJson.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Config_BadValues_EveryErrorOneLine()
    {
        using var dir = new TempDir();
        var config = dir.File("mock.yaml");
        await File.WriteAllTextAsync(config, """
            routes:
              - path: users
                set:
                  id: "{{request.path[1]}}"
                  $.x: "{{request.cookie.a}}"
                chaos:
                  latency: slow
                  errorRate: 3
                  rateLimit: fast
            """, TestContext.Current.CancellationToken);
        var errors = new List<string>();
        MockRules.Build(new Reprise.Mock.Chaos.ChaosOptions(), config, [], TimeProvider.System, errors);
        Assert.Equal(6, errors.Count);
        Assert.All(errors, e => Assert.Matches("^" + System.Text.RegularExpressions.Regex.Escape(config) + @":\d+: routes\[0\]\.", e));
        Assert.Contains(config + ":2: routes[0].path: 'users' must start with '/'", errors); // FILE:LINE, like every rules file
        Assert.Contains(errors, e => e.StartsWith(config + ":7: routes[0].chaos.latency: 'slow'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("path: 'users' must start with '/'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("chaos.latency: 'slow'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("request.cookie.a", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Config_VolatileNameThatIsNoRequestField_OneErrorEach()
    {
        // mock QA: `--volatile ts` (meaning query.ts) and `--volatile ''` were accepted and ignored nothing, so the
        // field still made every request miss with no hint why.
        using var dir = new TempDir();
        var config = dir.File("mock.yaml");
        await File.WriteAllTextAsync(config, "volatile: [body.$.requestId, nonce]\n", TestContext.Current.CancellationToken);
        var errors = new List<string>();
        var rules = MockRules.Build(new Reprise.Mock.Chaos.ChaosOptions(), config, ["ts", "", "query.", "query.ts", "path[2]", "path[x]", "body", "body./Envelope/Body/A"], TimeProvider.System, errors);
        Assert.Equal(
            [
                "--volatile: 'ts' is not a request field (query.NAME, body.$.json.path, body[N].$.json.path, body./Envelope/Body/X, body.NAME, body or path[N])",
                "--volatile: '' is not a request field (query.NAME, body.$.json.path, body[N].$.json.path, body./Envelope/Body/X, body.NAME, body or path[N])",
                "--volatile: 'query.' is not a request field (query.NAME, body.$.json.path, body[N].$.json.path, body./Envelope/Body/X, body.NAME, body or path[N])",
                "--volatile: 'path[x]' is not a request field (query.NAME, body.$.json.path, body[N].$.json.path, body./Envelope/Body/X, body.NAME, body or path[N])",
                config + ":1: volatile[1]: 'nonce' is not a request field (query.NAME, body.$.json.path, body[N].$.json.path, body./Envelope/Body/X, body.NAME, body or path[N])",
            ],
            errors);
        Assert.Equal(["body", "body.$.requestId", "body./Envelope/Body/A", "path[2]", "query.ts"], rules.VolatileNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Config_YamlSyntaxError_NamesLine()
    {
        using var dir = new TempDir();
        var config = dir.File("bad.yaml");
        await File.WriteAllTextAsync(config, "routes:\n  - path: /a\n    set: [unclosed\n", TestContext.Current.CancellationToken);
        var errors = new List<string>();
        MockRules.Build(new Reprise.Mock.Chaos.ChaosOptions(), config, [], TimeProvider.System, errors);
        Assert.Matches(@"bad\.yaml:3: ", Assert.Single(errors));
    }

    [Theory]
    [InlineData("bogus: 1\n", "bad.yaml:1: unknown key 'bogus' (expected volatile, routes)")]
    [InlineData("routes:\n  - path: /a\n    delay: 5\n", "bad.yaml:3: unknown key 'delay' (expected method, host, path, set, headers, shiftDates, chaos)")]
    [InlineData("routes:\n  - path: /a\n    chaos:\n      rate-limit: 5/s\n", "bad.yaml:4: unknown key 'rate-limit' (expected latency, errorRate, errorStatus, resetRate, timeoutRate, rateLimit)")]
    public async Task Config_UnknownKey_NamesTheKeysThatSectionAccepts(string yaml, string expected)
    {
        // docs walk: `rate-limit:` under chaos answered "Property 'rate-limit' not found on type
        // 'Reprise.Mock.Config.ChaosOptionsYaml'", a .NET type name instead of the keys the user can write.
        using var dir = new TempDir();
        var config = dir.File("bad.yaml");
        await File.WriteAllTextAsync(config, yaml, TestContext.Current.CancellationToken);
        var errors = new List<string>();
        MockRules.Build(new Reprise.Mock.Chaos.ChaosOptions(), config, [], TimeProvider.System, errors);
        Assert.Equal(config + expected["bad.yaml".Length..], Assert.Single(errors));
    }

    [Fact]
    public void Config_IsADirectory_OneErrorNotACrash()
    {
        // docs walk: `--config somedir` ended in "reprise: internal error: UnauthorizedAccessException" (exit 3).
        using var dir = new TempDir();
        var config = dir.File("mock.d");
        Directory.CreateDirectory(config);
        var errors = new List<string>();
        MockRules.Build(new Reprise.Mock.Chaos.ChaosOptions(), config, [], TimeProvider.System, errors);
        Assert.Equal($"--config: '{config}' is a directory", Assert.Single(errors));
    }

    private static readonly DateTimeOffset RecordedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static string ShiftAsMock(string text, TimeSpan offset) =>
        new TimeShifter(offset, RecordedAt, MockRequestHandler.ShiftedFormats).Shift(text);

    [Fact]
    public void MockShift_ShiftsTimestampsButNotCalendarDates()
    {
        var body = System.Text.Encoding.UTF8.GetBytes("""{"at":"2026-01-01T00:00:00Z","n":"2026-01-01","t":"x"}""");
        var shifted = System.Text.Encoding.UTF8.GetString(new TimeShifter(TimeSpan.FromHours(36), RecordedAt, MockRequestHandler.ShiftedFormats).Shift(body).Span);
        Assert.Equal("""{"at":"2026-01-02T12:00:00Z","n":"2026-01-01","t":"x"}""", shifted);
    }

    [Fact]
    public void MockShift_LeavesOutOfRangeSentinelDatesUnchanged()
    {
        var body = """{"until":"9999-12-31T23:59:59Z","at":"2026-01-01T00:00:00Z","local":"9999-12-31T23:59:59.999+00:00"}""";
        Assert.Equal("""{"until":"9999-12-31T23:59:59Z","at":"2026-01-03T00:00:00Z","local":"9999-12-31T23:59:59.999+00:00"}""", ShiftAsMock(body, TimeSpan.FromDays(2)));
        Assert.Equal("Fri, 31 Dec 9999 23:59:59 GMT", ShiftAsMock("Fri, 31 Dec 9999 23:59:59 GMT", TimeSpan.FromDays(2)));
        Assert.Equal("Mon, 01 Jan 0001 00:00:00 GMT", ShiftAsMock("Mon, 01 Jan 0001 00:00:00 GMT", TimeSpan.FromDays(-2)));
    }

    [Fact]
    public void MockShift_MovesEpochsNearTheRecording_AndHttpDates()
    {
        Assert.Equal("""{"created":1767398400,"ms":1767398400000}""", ShiftAsMock("""{"created":1767225600,"ms":1767225600000}""", TimeSpan.FromDays(2)));
        Assert.Equal("Sat, 03 Jan 2026 00:00:00 GMT", ShiftAsMock("Thu, 01 Jan 2026 00:00:00 GMT", TimeSpan.FromDays(2)));
    }
}
