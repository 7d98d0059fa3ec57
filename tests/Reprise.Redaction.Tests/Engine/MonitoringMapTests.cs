using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 13c (Netdata's REST API): <c>/api/v1/charts</c> is a map keyed by chart id, each chart a map of its
/// dimensions keyed by their own id. The key <c>users.cpu_user</c> was read as a parent ending in <c>user</c> (its
/// <c>id</c> tokenized as an account id, its <c>family</c> as a family name, <c>netdata.clients</c>' <c>name</c> as a
/// person's), and a dimension <c>{"user": {"name": "user"}}</c> as a user's name; the same-value pass then replaced the
/// chart ids inside every metric name of <c>allmetrics</c> and in the next request's <c>?chart=</c>.
/// </summary>
public sealed class MonitoringMapTests
{
    private const string Charts = """
        {"hostname": "vm", "charts": {
          "users.cpu_user": {"id": "users.cpu_user", "name": "users.cpu_user", "family": "cpu", "title": "CPU User Time",
            "dimensions": {"root": {"name": "root"}, "netdata": {"name": "netdata"}}},
          "netdata.clients": {"id": "netdata.clients", "name": "netdata.clients", "family": "api",
            "dimensions": {"clients": {"name": "clients"}}},
          "system.cpu": {"id": "system.cpu", "name": "system.cpu", "family": "cpu",
            "dimensions": {"user": {"name": "user"}, "guest": {"name": "guest"}, "system": {"name": "system"}}}
        }}
        """;

    private static string Redacted(string url, string json) =>
        Policies.ResponseText(Policies.Default.Redact(Testing.Exchanges.Get(url, json)));

    [Fact]
    public void ChartIdsAndDimensionNames_StayAsTheyAre()
    {
        var body = Redacted("http://127.0.0.1:19999/api/v1/charts", Charts);
        Assert.DoesNotContain("tok_", body, StringComparison.Ordinal);
        Assert.Equal(Charts, body);
    }

    [Fact]
    public void ADottedKey_IsLookedThrough_ToTheMapsField()
    {
        // The map's own field still decides: users keyed by login, with their names.
        var body = Redacted("http://hr.test/api/export", """{"users": {"maria.gonzalez": {"name": "Maria Gonzalez", "team": "ops"}, "1042": {"name": "Jonas Schmidt"}}}""");
        Assert.DoesNotContain("Maria Gonzalez", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Jonas Schmidt", body, StringComparison.Ordinal);
        Assert.Contains("\"team\": \"ops\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public void AUsersName_UnderItsParent_IsStillRedacted()
    {
        var body = Redacted("http://crm.test/api/orders/7", """{"user": {"name": "Maria Gonzalez", "id": "u-7731"}}""");
        Assert.DoesNotContain("Maria Gonzalez", body, StringComparison.Ordinal);
        Assert.DoesNotContain("u-7731", body, StringComparison.Ordinal);
    }
}
