using System.Text.Json.Nodes;
using Reprise.Redaction.Policy;
using Reprise.Redaction.Rules;
using Reprise.Redaction.Tests.Support;
using Reprise.Testing;
using Xunit;

namespace Reprise.Redaction.Tests.Rules;

public sealed class RulesFileTests
{
    private const string Example = """
        version: 1
        name: acme-prod
        extends: default
        detectors:
          ip-address: off
          phone: { action: mask, keepLast: 2 }
        headers:
          allow: [x-request-id]
          deny: [x-internal-session-blob]
          action: mask
        rules:
          - name: user-email
            json: $.user.email
            action: fake
          - json: $..ssn
            action: drop
          - name: item-cards
            json: $.items[*].card
            action: mask
            keepLast: 4
            kind: card-number
          - name: order-ref-exempt
            json: $.paymentReference
            action: keep
          - xpath: //Envelope/Body/Login/Pin
            action: tokenize
            kind: password
          - form: otp
            action: drop
          - query: sig
            action: mask
          - header: X-Tenant
            action: tokenize
            scope: request
          - name: order-number
            regex: 'ORD-(?<value>[0-9]{8})'
            action: tokenize
            kind: account-id
        """;

    [Fact]
    public void Parse_Example_BuildsEveryRuleKind()
    {
        var policy = Policies.FromYaml(Example);

        Assert.Equal("acme-prod", policy.PolicyName);
        Assert.Contains("rule user-email Json $.user.email fake", policy.Description, StringComparison.Ordinal);
        Assert.Contains("rule order-number Regex", policy.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("detector ip-address", policy.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_AppliedToEveryTarget()
    {
        var policy = Policies.FromYaml(Example);
        var exchange = Exchanges.Send(
            "POST",
            "https://api.acme.test/orders?sig=abcdef123456&page=1",
            """{"user":{"email":"ann.lee@gmail.com"},"ssn":"123456789","items":[{"card":"4111-1111-1111-1111"},{"card":"x"}],"paymentReference":"4539148803436467","ref":"ORD-12345678","ip":"81.2.69.160"}""") is var e
            ? e with { Request = e.Request with { Headers = [new("X-Tenant", "globex"), new("X-Request-Id", "req-ann.lee@gmail.com"), new("X-Internal-Session-Blob", "abc"), new("Content-Type", "application/json")] } }
            : null!;

        var redacted = policy.Redact(exchange);
        var json = JsonNode.Parse(Policies.RequestText(redacted))!;

        Assert.EndsWith("@example.test", json["user"]!["email"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(json["ssn"]);
        Assert.True(json.AsObject().ContainsKey("ssn"));
        Assert.Equal("****-****-****-1111", json["items"]![0]!["card"]!.GetValue<string>());
        Assert.Equal("4539148803436467", json["paymentReference"]!.GetValue<string>());
        Assert.Matches("^ORD-tok_id_[a-z2-7]{16}$", json["ref"]!.GetValue<string>());
        Assert.Equal("81.2.69.160", json["ip"]!.GetValue<string>());
        Assert.StartsWith("tok_", redacted.Request.Headers.Get("x-tenant"), StringComparison.Ordinal);
        Assert.Equal("req-ann.lee@gmail.com", redacted.Request.Headers.Get("x-request-id"));
        Assert.Equal("***", redacted.Request.Headers.Get("x-internal-session-blob"));
        Assert.Contains("sig=************&page=1", redacted.Request.Url, StringComparison.Ordinal);
    }

    [Fact]
    public void XPathAndFormRules_Applied()
    {
        var policy = Policies.FromYaml(Example);
        var soap = Exchanges.Get("https://api.acme.test/x") with
        {
            Request = new ExchangeRequest { Method = "POST", Url = "https://api.acme.test/soap", Body = ExchangeBody.FromText("<s:Envelope xmlns:s=\"urn:s\"><s:Body><Login><Pin>4821</Pin><Lang>en</Lang></Login></s:Body></s:Envelope>", "text/xml") },
        };
        var form = Exchanges.Get("https://api.acme.test/x") with
        {
            Request = new ExchangeRequest { Method = "POST", Url = "https://api.acme.test/verify", Body = ExchangeBody.FromText("otp=482913&lang=en", "application/x-www-form-urlencoded") },
        };

        Assert.Contains("<Pin>tok_pwd_", Policies.RequestText(policy.Redact(soap)), StringComparison.Ordinal);
        Assert.Equal("lang=en", Policies.RequestText(policy.Redact(form)));
    }

    [Fact]
    public void Parse_EveryError_CollectedWithLine()
    {
        const string yaml = """
            name: broken
            colour: blue
            detectors:
              emails: off
              phone: { action: wipe }
            headers:
              allow: [x-a]
              mode: strict
            rules:
              - json: $.a
                action: tokenize
              - action: mask
              - json: $.b
                form: c
              - xpath: "Envelope/Body"
              - json: $.d
                keepLast: 99
              - json: $.e
                scope: sideways
              - json: $.f
                kind: shoe-size
              - regex: ".*"
            """;

        var result = RulesFileParser.Parse(yaml, "r.yaml", Policies.Key);

        Assert.Null(result.Policy);
        Assert.Collection(
            result.Errors,
            e => Assert.StartsWith("r.yaml:2: unknown key 'colour'", e, StringComparison.Ordinal),
            e => Assert.StartsWith("r.yaml:4: detectors.emails: unknown detector", e, StringComparison.Ordinal),
            e => Assert.StartsWith("r.yaml:5: detectors.phone.action: unknown action 'wipe'", e, StringComparison.Ordinal),
            e => Assert.StartsWith("r.yaml:8: headers: unknown key 'mode'", e, StringComparison.Ordinal),
            e => Assert.StartsWith("r.yaml:12: rules[1]: needs exactly one selector", e, StringComparison.Ordinal),
            e => Assert.StartsWith("r.yaml:13: rules[2]: needs exactly one selector", e, StringComparison.Ordinal),
            e => Assert.StartsWith("r.yaml:15: rules[3].xpath: invalid XPath 'Envelope/Body'", e, StringComparison.Ordinal),
            e => Assert.StartsWith("r.yaml:17: rules[4].keepLast: '99' is not a number from 0 to 8", e, StringComparison.Ordinal),
            e => Assert.StartsWith("r.yaml:19: rules[5].scope: 'sideways'", e, StringComparison.Ordinal),
            e => Assert.StartsWith("r.yaml:21: rules[6].kind: unknown kind 'shoe-size'", e, StringComparison.Ordinal),
            e => Assert.StartsWith("r.yaml:22: rules[7].regex: regex '.*' matches the empty string", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Key_FromFileRelativeToRulesFile_ChangesTokensAndDigest()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("key.txt"), "file-key-0123456789abcdef\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(dir.File("rules.yaml"), "key: { file: key.txt }\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(dir.File("bad.yaml"), "key: { file: missing.txt }\n", TestContext.Current.CancellationToken);

        var loaded = await RedactionPolicy.LoadAsync(dir.File("rules.yaml"), cancellationToken: TestContext.Current.CancellationToken);
        var bad = await RedactionPolicy.LoadAsync(dir.File("bad.yaml"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        Assert.NotEqual(Policies.Default.PolicyDigest, loaded.Policy!.PolicyDigest);
        Assert.DoesNotContain("file-key", loaded.Policy.Description, StringComparison.Ordinal);
        var exchange = Policies.Json("""{"email":"ann.lee@gmail.com"}""");
        Assert.NotEqual(Policies.RequestText(Policies.Default.Redact(exchange)), Policies.RequestText(loaded.Policy.Redact(exchange)));
        Assert.Single(bad.Errors);
        Assert.StartsWith(dir.File("bad.yaml") + ":1: key.file:", bad.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Digest_SamePolicySameDigest_AnyChangeChangesIt()
    {
        Assert.Equal(Policies.FromYaml(Example).PolicyDigest, Policies.FromYaml(Example).PolicyDigest);
        Assert.NotEqual(Policies.FromYaml(Example).PolicyDigest, Policies.FromYaml(Example.Replace("keepLast: 4", "keepLast: 3", StringComparison.Ordinal)).PolicyDigest);
        Assert.NotEqual(Policies.FromYaml(Example).PolicyDigest, Policies.FromYaml(Example, RedactionKey.FromText("other-key-0123456789abcdef")).PolicyDigest);
    }

    [Fact]
    public void ExtendsNone_OnlyTheRulesApply()
    {
        var policy = Policies.FromYaml("extends: none\nrules:\n  - json: $.secret\n");
        var redacted = policy.Redact(Policies.Json("""{"secret":"abc","email":"ann.lee@gmail.com"}"""));
        Assert.Equal("""{"secret":"***","email":"ann.lee@gmail.com"}""", Policies.RequestText(redacted));
    }

    [Fact]
    public void RegexRule_Timeout_ValueMaskedFailClosed()
    {
        var policy = Policies.FromYaml("rules:\n  - name: slow\n    regex: '(a+)+$'\n");
        var value = new string('a', 40) + "!";
        var redacted = policy.Redact(Policies.Json("{\"note\":\"" + value + "\"}"));

        Assert.Equal("{\"note\":\"" + new string('*', value.Length) + "\"}", Policies.RequestText(redacted));
        Assert.Contains(redacted.Redactions, r => r.Rule == "slow:timeout");
    }
}
