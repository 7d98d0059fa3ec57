using Reprise.Redaction.Policy;

namespace Reprise.Redaction.Tests.Support;

public static class Policies
{
    public static readonly RedactionKey Key = RedactionKey.FromText("unit-test-key-0123456789abcdef");

    private static readonly RedactionPolicy Shared = RedactionPolicy.CreateDefault(Key);

    /// <summary>The default policy for a new stream (a policy carries the values it redacted to later exchanges: tests running in parallel must not share one).</summary>
    public static RedactionPolicy Default => Shared.NewStream();

    /// <summary>A policy from rules-file text (throws with the errors when invalid).</summary>
    public static RedactionPolicy FromYaml(string yaml, RedactionKey? key = null)
    {
        var result = Reprise.Redaction.Rules.RulesFileParser.Parse(yaml, "test.yaml", key ?? Key);
        return result.IsValid ? result.Policy! : throw new InvalidOperationException(string.Join("\n", result.Errors));
    }

    public static Exchange Json(string requestJson, string responseJson = "{}") =>
        Testing.Exchanges.Send("POST", "https://api.acme.test/v1/things", requestJson, responseJson, id: "x1");

    public static string ResponseText(Exchange exchange) => exchange.Response!.Body!.Text;

    public static string RequestText(Exchange exchange) => exchange.Request.Body!.Text;
}
