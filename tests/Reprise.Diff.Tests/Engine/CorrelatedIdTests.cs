using Reprise.Core.Model;
using Reprise.Diff.Engine;
using Reprise.Diff.Model;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Engine;

/// <summary>
/// A create-then-read flow replayed against a fresh instance gets new ids; replay learns them and sends them on,
/// and says so in the result's <c>replay.correlated</c> tag. Those ids are not differences; anything else is.
/// </summary>
public sealed class CorrelatedIdTests
{
    private static Exchange Result(string url, string json, string id, string? correlated)
    {
        return Exchanges.Get(url, json, id: "c-" + id) with { Tags = DiffRun.ResultTags(id, correlated) };
    }

    [Fact]
    public async Task IdsReplayCorrelated_AreNoise_WithTheirReason()
    {
        var recorded = new[]
        {
            Exchanges.Get("http://app.test/users", """{"id":127,"name":"Dave","ownerId":"7f0c2a3e-1b4d-4c5e-9f60-718293a4b5c6"}""", id: "r1"),
            Exchanges.Get("http://app.test/users/127", """{"id":127,"href":"/users/127/orders","name":"Dave"}""", id: "r2"),
        };
        var results = new[]
        {
            Result("http://app.test/users", """{"id":145,"name":"Dave","ownerId":"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"}""", "r1", "127=145 7f0c2a3e-1b4d-4c5e-9f60-718293a4b5c6=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"),
            Result("http://app.test/users/145", """{"id":145,"href":"/users/145/orders","name":"Dave"}""", "r2", "127=145"),
        };

        var report = await DiffRun.RunAsync(recorded, results);

        Assert.Equal(0, report.Variables["diffs"]);
        Assert.Contains(report.Noise, n => n.Source == "correlation" && n.Location == "body:$.id");
        Assert.Contains(report.Noise, n => n.Source == "correlation" && n.Location == "body:$.href");
    }

    [Fact]
    public async Task WithoutTheTag_OrAnotherChange_TheDifferenceStays()
    {
        var recorded = new[]
        {
            Exchanges.Get("http://app.test/users/127", """{"id":127,"name":"Dave"}""", id: "r1"),
            Exchanges.Get("http://app.test/users/128", """{"id":128,"name":"Erin"}""", id: "r2"),
            Exchanges.Get("http://app.test/users/129", """{"id":129,"label":"a127"}""", id: "r3"),
        };
        var results = new[]
        {
            Result("http://app.test/users/145", """{"id":145,"name":"Dave"}""", "r1", null), // no tag: a changed id is a difference
            Result("http://app.test/users/128", """{"id":999,"name":"Erin"}""", "r2", "127=145"), // 128 was never correlated
            Result("http://app.test/users/129", """{"id":129,"label":"a145"}""", "r3", "127=145"), // 127 only inside a longer token
        };

        var report = await DiffRun.RunAsync(recorded, results);

        Assert.Equal(3, report.Variables["diffs"]);
        Assert.DoesNotContain(report.Noise, n => n.Source == "correlation");
    }
    [Fact]
    public async Task GraphQlErrorNamingACorrelatedId_IsNoise_AndAnotherMessageIsNot()
    {
        // QA round 4 (Apollo Server): deleteUser then createPost for the deleted author answers
        // {"errors":[{"message":"no such author 346"}]}; replayed, the author is 743 (replay correlated 346=743).
        // GraphQL errors are matched by message, so the id made them "removed" and "added" instead of a change that
        // the correlation explains.
        const string Query = """{"query":"mutation NewPost($a: ID!) { createPost(authorId: $a) { id } }","variables":{"a":"346"}}""";
        static Exchange GraphQl(string id, string response, string? correlated) =>
            Exchanges.Send("POST", "http://svc.test/graphql", Query, response, id: correlated is null ? id : "c-" + id) with
            {
                Protocol = Protocol.GraphQL,
                Tags = correlated is null ? Exchange.EmptyTags.Add(Core.Protocols.ProtocolClassifier.GraphQLTypeTag, "mutation") : DiffRun.ResultTags(id, correlated),
            };

        var recorded = new[]
        {
            GraphQl("r1", """{"errors":[{"message":"no such author 346","path":["createPost"]}]}""", null),
            GraphQl("r2", """{"errors":[{"message":"no such author 346","path":["createPost"]}]}""", null),
        };
        var results = new[]
        {
            GraphQl("r1", """{"errors":[{"message":"no such author 743","path":["createPost"]}]}""", "345=742 346=743"),
            GraphQl("r2", """{"errors":[{"message":"author 743 is archived","path":["createPost"]}]}""", "345=742 346=743"),
        };

        var report = await DiffRun.RunAsync(recorded, results);

        Assert.Equal(1, report.Variables["diffs"]);
        Assert.Contains(report.Noise, n => n.Source == "correlation" && n.Location.StartsWith("body:$.errors", StringComparison.Ordinal));
    }
}
