using Microsoft.AspNetCore.Builder;
using Reprise.Core.Model;
using Reprise.Replay.Correlation;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// A secret redaction masked in the recording has no source in any response: a login form's password, a JSON-RPC call's
/// <c>token:secret</c> (aria2), an API key in a query. Replayed against a fresh instance, every such request was refused;
/// <c>-H</c> sets headers only. A value rule gives the value (from the environment, a file or the rules file) and puts it
/// where the recorded request carries the masked one, and nowhere else.
/// </summary>
public sealed class ValueRuleTests
{
    private static Exchange Post(double at, string path, string body, string contentType) => Recorded.Post(at, path, body, contentType);

    /// <summary>
    /// QA rounds 12a and 12b (Roundcube, phpMyAdmin, Django admin): the client tried a wrong password and then the right one,
    /// both masked, both posted to one path, so <c>to:</c> could not tell them apart. The rule filled both: the wrong login
    /// succeeded one request early and the real one then failed on a rotated token. A mask keeps the length of what it hides,
    /// so with <c>match-mask: true</c> the given password goes only where a mask of its length (and kept characters) was
    /// sent. (Off by default: the replay target's password may be another length than the recorded one.)
    /// </summary>
    [Fact]
    public async Task AValueRule_FillsOnlyTheMasksItCanBe_AWrongPasswordOfAnotherLengthStaysAsRecorded()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/login", () => HttpResults.Ok());
            app.MapPost("/api/login", () => HttpResults.Ok());
            app.MapGet("/api/items", () => HttpResults.Ok());
        });
        var rules = CorrelationRulesFile.Parse("""
            rules:
              - name: password
                value: { literal: "correct-horse" }
                substitute: { form: password }
                match-mask: true
              - name: json-password
                value: { literal: "correct-horse" }
                substitute: { json: "$.password" }
                match-mask: true
              - name: card
                value: { literal: "4111-1111-1111-1111" }
                substitute: { header: X-Card }
                match-mask: true
            """, "rules.yaml");
        var exchanges = new[]
        {
            Post(0, "/login", "user=ann&password=*****", "application/x-www-form-urlencoded"), // the wrong try: 5 characters
            Post(0.1, "/login", "user=ann&password=*************", "application/x-www-form-urlencoded"), // 13, as given
            Post(0.2, "/api/login", """{"user":"ann","password":"*****"}""", "application/json"),
            Post(0.3, "/api/login", """{"user":"ann","password":"*************"}""", "application/json"),
            Recorded.Request("GET", "/api/items", 0.4, session: "s") is var a
                ? a with { Request = a.Request with { Headers = a.Request.Headers.Add(new HeaderField("X-Card", "****-****-****-2222")) } } : null!,
            Recorded.Request("GET", "/api/items", 0.5, session: "s") is var b
                ? b with { Request = b.Request with { Headers = b.Request.Headers.Add(new HeaderField("X-Card", "****-****-****-1111")) } } : null!,
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50, CorrelationRules = rules }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal("user=ann&password=*****", sent[0].Body);
        Assert.Equal("user=ann&password=correct-horse", sent[1].Body);
        Assert.Equal("""{"user":"ann","password":"*****"}""", sent[2].Body);
        Assert.Equal("""{"user":"ann","password":"correct-horse"}""", sent[3].Body);
        Assert.Equal("****-****-****-2222", sent[4].Headers["X-Card"]); // the kept last four are another card's
        Assert.Equal("4111-1111-1111-1111", sent[5].Headers["X-Card"]);
    }

    /// <summary>
    /// QA round 13a (Redmine's REST API, Basic logins of three users on one header): one match-mask rule per user. The first
    /// rule filled the first login, then the second rule read that value as a raw recorded one, which fits anything, and
    /// replaced it, and so did the third: every login went out as the last rule's user (35 of 37 requests answered 401).
    /// Each rule is judged on the request as recorded.
    /// </summary>
    [Fact]
    public async Task MatchMaskRulesOnOnePlace_EachFillOnlyTheirOwnMask_NotEachOthersValue()
    {
        await using var target = await CountingTarget.StartAsync(app => app.MapPost("/login", () => HttpResults.Ok()));
        var rules = CorrelationRulesFile.Parse("""
            rules:
              - name: ann
                value: { literal: "ann-password" }
                substitute: { form: password }
                match-mask: true
              - name: bob
                value: { literal: "bob-pw" }
                substitute: { form: password }
                match-mask: true
            """, "rules.yaml");
        var exchanges = new[]
        {
            Post(0, "/login", "user=ann&password=************", "application/x-www-form-urlencoded"), // 12: ann's
            Post(0.1, "/login", "user=bob&password=******", "application/x-www-form-urlencoded"), // 6: bob's
            Post(0.2, "/login", "user=eve&password=***", "application/x-www-form-urlencoded"), // neither
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50, CorrelationRules = rules }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal("user=ann&password=ann-password", sent[0].Body);
        Assert.Equal("user=bob&password=bob-pw", sent[1].Body);
        Assert.Equal("user=eve&password=***", sent[2].Body);
    }

    /// <summary>
    /// QA round 13b (Tiny Tiny RSS's JSON API: admin's and jschmidt's logins both post <c>{"password": …}</c> to
    /// <c>/api/</c>): one match-mask rule per user at one location. The second rule compared its value with the request as
    /// the first rule had just filled it, a raw password no mask rules out, and overwrote it: every login got the last
    /// user's password and the whole replay ran logged out. Each rule is matched against the recorded mask.
    /// </summary>
    [Fact]
    public async Task TwoUsersValueRules_AtOneLocation_EachFillsOnlyItsOwnMask()
    {
        await using var target = await CountingTarget.StartAsync(app => app.MapPost("/api/", () => HttpResults.Ok()));
        var rules = CorrelationRulesFile.Parse("""
            rules:
              - name: admin
                value: { literal: "Adm1n-Secret-77" }
                substitute: { json: "$.password" }
                match-mask: true
              - name: jonas
                value: { literal: "Jonas-Pw-9931" }
                substitute: { json: "$.password" }
                match-mask: true
            """, "rules.yaml");
        var exchanges = new[]
        {
            Post(0, "/api/", """{"op":"login","user":"admin","password":"***************"}""", "application/json"),
            Post(0.1, "/api/", """{"op":"login","user":"jschmidt","password":"*************"}""", "application/json"),
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50, CorrelationRules = rules }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal("""{"op":"login","user":"admin","password":"Adm1n-Secret-77"}""", sent[0].Body);
        Assert.Equal("""{"op":"login","user":"jschmidt","password":"Jonas-Pw-9931"}""", sent[1].Body);
    }

    /// <summary>
    /// QA round 13b (Deluge's JSON-RPC web API: every call is <c>POST /json</c> with positional <c>params</c>): the password
    /// rule <c>substitute: { json: "$.params[0]" }</c> with match-mask filled the masked <c>auth.login</c> parameter, and also
    /// every other call's first parameter, which the recording kept raw (<c>"download_location"</c>, torrent ids): a raw
    /// value is no mask, and match-mask let it through, so 8 calls answered AttributeError. With match-mask a value the
    /// recording kept is sent as recorded.
    /// </summary>
    [Fact]
    public async Task WithMatchMask_AValueTheRecordingKept_IsSentAsRecorded()
    {
        await using var target = await CountingTarget.StartAsync(app => app.MapPost("/json", () => HttpResults.Ok()));
        var rules = CorrelationRulesFile.Parse("""
            rules:
              - name: web-password
                value: { literal: "Deluge-Pw-5521" }
                substitute: { json: "$.params[0]" }
                match-mask: true
            """, "rules.yaml");
        var exchanges = new[]
        {
            Post(0, "/json", """{"method": "auth.login", "params": ["**************"], "id": 2}""", "application/json"),
            Post(0.1, "/json", """{"method": "core.get_config_value", "params": ["download_location"], "id": 8}""", "application/json"),
            Post(0.2, "/json", """{"method": "core.remove_torrent", "params": ["93050840a88ea10cf55f8d051db8755dd824ac83", true], "id": 22}""", "application/json"),
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50, CorrelationRules = rules }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal("""{"method":"auth.login","params":["Deluge-Pw-5521"],"id":2}""", sent[0].Body);
        Assert.Equal("""{"method": "core.get_config_value", "params": ["download_location"], "id": 8}""", sent[1].Body);
        Assert.Equal("""{"method": "core.remove_torrent", "params": ["93050840a88ea10cf55f8d051db8755dd824ac83", true], "id": 22}""", sent[2].Body);
    }

    [Fact]
    public async Task ValueRules_ReplaceTheMaskedValue_InFormJsonQueryAndHeader_OnlyWhereTheRequestCarriesIt()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/login", () => HttpResults.Ok());
            app.MapPost("/jsonrpc", () => HttpResults.Ok());
            app.MapGet("/api/items", () => HttpResults.Ok());
        });
        Environment.SetEnvironmentVariable("REPRISE_TEST_RPC_SECRET", "rpc-S3cret");
        var rules = CorrelationRulesFile.Parse("""
            rules:
              - name: login-password
                to: /login
                value: { literal: "Hunter 2&more" }
                substitute: { form: password }
              - name: rpc-secret
                value: { env: REPRISE_TEST_RPC_SECRET }
                substitute: { json: "$.params[0]", prefix: "token:" }
              - name: api-key
                value: key-123
                substitute: { query: api_key }
              - name: upstream-key
                value: hdr-456
                substitute: { header: X-Api-Key }
            """, "rules.yaml");
        var exchanges = new[]
        {
            Post(0, "/login", "user=ann&password=********&remember=1", "application/x-www-form-urlencoded"), // another length: filled (no match-mask)
            Post(0.1, "/jsonrpc", """{"jsonrpc":"2.0","id":"1","method":"aria2.tellActive","params":["token:**********"]}""", "application/json"),
            Recorded.Request("GET", "/api/items?api_key=*******&page=2", 0.2, session: "s") is var g
                ? g with { Request = g.Request with { Headers = g.Request.Headers.Add(new HeaderField("X-Api-Key", "*******")) } }
                : null!,
            Recorded.Request("GET", "/api/items?page=3", 0.3, session: "s"),
            Post(0.4, "/jsonrpc", """{"jsonrpc":"2.0","id":"2","method":"system.listMethods"}""", "application/json"),
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50, CorrelationRules = rules }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal("user=ann&password=Hunter%202%26more&remember=1", sent[0].Body);
        Assert.Equal("""{"jsonrpc":"2.0","id":"1","method":"aria2.tellActive","params":["token:rpc-S3cret"]}""", sent[1].Body);
        Assert.Equal("/api/items?api_key=key-123&page=2", sent[2].PathAndQuery);
        Assert.Equal("hdr-456", sent[2].Headers["X-Api-Key"]);
        // Requests that carry no such value are sent as recorded: nothing is added.
        Assert.Equal("/api/items?page=3", sent[3].PathAndQuery);
        Assert.False(sent[3].Headers.ContainsKey("X-Api-Key"));
        Assert.Equal("""{"jsonrpc":"2.0","id":"2","method":"system.listMethods"}""", sent[4].Body);
    }

    [Fact]
    public async Task AValueRule_WithTo_LeavesOtherPathsAlone()
    {
        await using var target = await CountingTarget.StartAsync(app => app.MapPost("/{**path}", () => HttpResults.Ok()));
        var rules = CorrelationRulesFile.Parse("rules:\n  - name: p\n    to: /login\n    value: pw\n    substitute: { form: password }\n", "rules.yaml");
        var exchanges = new[]
        {
            Post(0, "/account/password", "password=****&confirm=****", "application/x-www-form-urlencoded"),
            Post(0.1, "/login", "password=****", "application/x-www-form-urlencoded"),
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50, CorrelationRules = rules }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal("password=****&confirm=****", sent[0].Body);
        Assert.Equal("password=pw", sent[1].Body);
    }

    [Theory]
    [InlineData("rules:\n  - name: a\n    value: { env: REPRISE_TEST_UNSET_VARIABLE_42 }\n    substitute: { form: password }\n", "rules.yaml:3: rule 'a': value.env: environment variable REPRISE_TEST_UNSET_VARIABLE_42 is not set")]
    [InlineData("rules:\n  - name: a\n    value: { file: /nonexistent/secret.txt }\n    substitute: { form: password }\n", "rules.yaml:3: rule 'a': value.file: cannot read /nonexistent/secret.txt")]
    [InlineData("rules:\n  - name: a\n    value: { vault: x }\n    substitute: { form: password }\n", "rules.yaml:3: rule 'a': value: expected text, or one of { env: NAME }, { file: PATH }, { literal: TEXT }")]
    [InlineData("rules:\n  - name: a\n    value: x\n", "rules.yaml:2: rule 'a': a value rule needs substitute.header, substitute.query, substitute.json, substitute.form, substitute.xml (where the recorded request carries the value to replace) or substitute.token: true")]
    [InlineData("rules:\n  - name: a\n    value: x\n    extract: { header: X-A }\n    substitute: { form: password }\n", "rules.yaml:2: rule 'a': give either value or extract, not both")]
    [InlineData("rules:\n  - name: a\n    value: x\n    substitute: { form: password, header: X-A }\n", "rules.yaml:2: rule 'a': give at most one of substitute.header, substitute.query, substitute.json, substitute.form")]
    [InlineData("rules:\n  - name: a\n    value: ${APP_PASSWORD}\n    substitute: { form: password }\n", "rules.yaml:3: rule 'a': value: '${APP_PASSWORD}' would be sent as written; to read the environment variable write value: { env: APP_PASSWORD }")]
    [InlineData("rules:\n  - name: a\n    value: \"\"\n    substitute: { form: password }\n", "rules.yaml:3: rule 'a': value: empty")]
    [InlineData("rules:\n  - name: a\n    value: x\n    substitute: { form: password }\n    match-mask: yes\n", "rules.yaml:5: rule 'a': match-mask: expected true or false")]
    [InlineData("rules:\n  - name: a\n    extract: { header: X-A }\n    substitute: { header: X-B }\n    match-mask: true\n", "rules.yaml:2: rule 'a': match-mask is for value rules (value: …)")]
    [InlineData("rules:\n  - name: a\n    from: /login\n    value: x\n    substitute: { form: password }\n", "rules.yaml:2: rule 'a': from: a value rule learns from no response (use to: to limit the requests it changes)")]
    public void BadValueRules_NameTheFileAndLine(string yaml, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => CorrelationRulesFile.Parse(yaml, "rules.yaml"));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AValueFromAFile_LosesItsTrailingLineBreak()
    {
        var file = Path.Combine(Path.GetTempPath(), "reprise-value-rule-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllText(file, "s3cret\n");
        try
        {
            var rule = Assert.Single(CorrelationRulesFile.Parse($"rules:\n  - name: a\n    value: {{ file: {file} }}\n    substitute: {{ form: password }}\n", "rules.yaml"));

            Assert.Equal("s3cret", rule.Value);
            Assert.Equal("file " + file, rule.ValueSource);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void AValueFile_WithARelativePath_IsTheRulesFilesNeighbour()
    {
        var dir = Directory.CreateTempSubdirectory("reprise-value-rule-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "secret.txt"), "n3ighbour\r\n");
            File.WriteAllText(Path.Combine(dir.FullName, "rules.yaml"), "rules:\n  - name: a\n    value: { file: secret.txt }\n    substitute: { form: password }\n");

            var rule = Assert.Single(CorrelationRulesFile.Load(Path.Combine(dir.FullName, "rules.yaml")));

            Assert.Equal("n3ighbour", rule.Value);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
