using Microsoft.AspNetCore.Builder;
using Reprise.Core.Model;
using Reprise.Replay.Correlation;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 15b (SOGo): the login a client typed was tokenized and carried into every later URL
/// (<c>/SOGo/so/tok_id_…/Calendar/calendarslist</c>, <c>/SOGo/dav/tok_id_…/Calendar/</c>). A value rule could give the login
/// back only at a header, query, JSON, form or XML location, never in a path: every UI and DAV request went to a user that
/// does not exist (403, 404). <c>substitute: { token: true }</c> replaces the value's token wherever a request holds it.
/// </summary>
public sealed class TokenValueRuleTests
{
    /// <summary>A stand-in for the recording's key: the token of a value is a fixed function of it, per kind.</summary>
    private sealed class FakeTokens : Core.Pipeline.IRedactionTokens
    {
        public string? TokenLike(string token, string value) =>
            token.StartsWith("tok_id_", StringComparison.Ordinal) ? "tok_id_" + Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(value)).ToLowerInvariant().PadRight(16, 'a')[..16] : null;
    }

    private static readonly string LoginToken = new FakeTokens().TokenLike("tok_id_aaaaaaaaaaaaaaaa", "mgonzalez")!;

    [Fact]
    public async Task ATokenValueRule_GivesTheLoginBack_InPathsHeadersAndBodies()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/so/{user}/Calendar/calendarslist", (string user) => user == "mgonzalez" ? HttpResults.Ok() : HttpResults.StatusCode(403));
            app.MapPost("/so/{user}/Contacts/view", (string user) => user == "mgonzalez" ? HttpResults.Ok() : HttpResults.StatusCode(403));
        });
        var rules = CorrelationRulesFile.Parse("""
            rules:
              - name: login
                value: { literal: mgonzalez }
                substitute: { token: true }
            """, "rules.yaml");
        var list = Recorded.Request("GET", $"/so/{LoginToken}/Calendar/calendarslist", 0, session: "c");
        var view = Recorded.Request("POST", $"/so/{LoginToken}/Contacts/view", 0.1, session: "c", body: $$"""{"owner":"{{LoginToken}}"}""");
        var results = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50, CorrelationRules = rules, Tokens = new FakeTokens() }, Recorded.Stream([list, view]), results, TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal("/so/mgonzalez/Calendar/calendarslist", sent[0].PathAndQuery);
        Assert.Equal("/so/mgonzalez/Contacts/view", sent[1].PathAndQuery);
        Assert.Contains("\"owner\":\"mgonzalez\"", sent[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public void ATokenValueRule_WithoutTheRecordingsKey_IsAnErrorNamingTheRule()
    {
        var rules = CorrelationRulesFile.Parse("""
            rules:
              - name: login
                value: { literal: mgonzalez }
                substitute: { token: true }
            """, "rules.yaml");

        var error = Assert.Throws<ReplayInputException>(() => new Correlator(true, rules, new CorrelationStats(), tokens: null));
        Assert.Contains("rules.yaml:2: rule 'login': substitute.token needs the recording's redaction key", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("value: { literal: u }\n    substitute: { token: true, header: X-User }", "give it alone")]
    [InlineData("extract: { header: X-User }\n    substitute: { token: true }", "substitute.token is for value rules")]
    [InlineData("value: { literal: u }\n    substitute: { token: yes }", "substitute.token: expected true or false")]
    public void ATokenValueRule_Misused_IsAnErrorWithItsLine(string body, string expected)
    {
        var error = Assert.Throws<FormatException>(() => CorrelationRulesFile.Parse("rules:\n  - name: login\n    " + body + "\n", "rules.yaml"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
