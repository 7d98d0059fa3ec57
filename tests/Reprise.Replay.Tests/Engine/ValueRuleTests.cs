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
            Post(0, "/login", "user=ann&password=********&remember=1", "application/x-www-form-urlencoded"),
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
    [InlineData("rules:\n  - name: a\n    value: x\n", "rules.yaml:2: rule 'a': a value rule needs substitute.header, substitute.query, substitute.json, substitute.form or substitute.xml")]
    [InlineData("rules:\n  - name: a\n    value: x\n    extract: { header: X-A }\n    substitute: { form: password }\n", "rules.yaml:2: rule 'a': give either value or extract, not both")]
    [InlineData("rules:\n  - name: a\n    value: x\n    substitute: { form: password, header: X-A }\n", "rules.yaml:2: rule 'a': give at most one of substitute.header, substitute.query, substitute.json, substitute.form")]
    [InlineData("rules:\n  - name: a\n    value: ${APP_PASSWORD}\n    substitute: { form: password }\n", "rules.yaml:3: rule 'a': value: '${APP_PASSWORD}' would be sent as written; to read the environment variable write value: { env: APP_PASSWORD }")]
    [InlineData("rules:\n  - name: a\n    value: \"\"\n    substitute: { form: password }\n", "rules.yaml:3: rule 'a': value: empty")]
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
