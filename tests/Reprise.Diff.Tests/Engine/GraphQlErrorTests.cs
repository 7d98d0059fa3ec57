using Reprise.Core.Model;
using Reprise.Core.Protocols;
using Reprise.Diff.Engine;
using Reprise.Diff.Gate;
using Reprise.Diff.Model;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Engine;

/// <summary>GraphQL over HTTP answers 200 with a top-level <c>errors</c> array: that is an error, of kind <c>graphql</c>.</summary>
public sealed class GraphQlErrorTests
{
    private const string Query = """{"query":"query User($id: ID!) { user(id: $id) { id name } }","variables":{"id":"1"}}""";
    private const string Ok = """{"data":{"user":{"id":"1","name":"tok_name_abc"}}}""";
    private const string Failed = """{"data":{"user":null},"errors":[{"message":"user service unavailable","path":["user"]}]}""";

    private static Exchange Recorded(string id, string request, string response, bool tagged) =>
        Exchanges.Send("POST", "http://svc.test/graphql", request, response, id: id) with
        {
            Protocol = tagged ? Protocol.GraphQL : Protocol.Http1,
            Tags = tagged ? Exchange.EmptyTags.Add(ProtocolClassifier.GraphQLTypeTag, "query") : Exchange.EmptyTags,
        };

    private static Exchange Result(Exchange recorded, string response, int status = 200) =>
        Exchanges.Send("POST", recorded.Request.Url, recorded.Request.Body!.Text, response, status) with
        {
            Tags = Exchange.EmptyTags.Add(WellKnownTags.ReplayOf, recorded.Id).Add(WellKnownTags.ReplayRun, "cand"),
        };

    private static async Task<DiffReport> RunAsync(TempDir dir, IReadOnlyList<Exchange> recorded, IReadOnlyList<Exchange> results, string? gate = null)
    {
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), recorded);
        await Exchanges.WriteRecordingAsync(dir.File("cand.reprise.jsonl"), results);
        var options = new DiffOptions { Recorded = dir.File("rec.reprise.jsonl"), Results = dir.File("cand.reprise.jsonl") };
        if (gate is not null)
        {
            options = options with { Gate = GateExpression.Parse(gate) };
        }

        return await new DiffEngine(options).RunAsync(TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // untagged: the request's "query" string makes it GraphQL
    public async Task NewGraphQlErrors_On200_AreNewErrorsOfKindGraphQl(bool tagged)
    {
        using var dir = new TempDir();
        var recorded = new[] { Recorded("r1", Query, Ok, tagged), Recorded("r2", Query, Ok, tagged) };

        var report = await RunAsync(dir, recorded, [Result(recorded[0], Failed), Result(recorded[1], Ok)], "errors > 0");

        var endpoint = Assert.Single(report.Endpoints);
        Assert.Equal(1, endpoint.Errors);
        Assert.Equal(1, report.Variables["errors"]);
        Assert.Equal(1, report.Variables["graphql_errors"]);
        Assert.Equal(1, endpoint.ErrorsByKind["graphql"]);
        Assert.Equal(1, report.ErrorsByKind["graphql"]);
        Assert.True(report.Failed);
    }

    [Fact]
    public async Task GraphQlErrorTheRecordingHad_IsNotNew_ButCountsOnTheReferenceSide()
    {
        using var dir = new TempDir();
        var recorded = new[] { Recorded("r1", Query, Failed, tagged: true) };

        var report = await RunAsync(dir, recorded, [Result(recorded[0], Failed)]);

        var endpoint = Assert.Single(report.Endpoints);
        Assert.Equal(0, endpoint.Errors);
        Assert.Equal(1, endpoint.ReferenceErrors);
        Assert.Equal(0, report.Variables["graphql_errors"]);
    }

    [Theory]
    [InlineData("""{"data":{"user":null},"errors":[]}""")]
    [InlineData("""{"data":{"user":{"id":"1","errors":[{"message":"nested, not top-level"}]}}}""")]
    [InlineData("""{"data":{"user":null},"errors":null}""")]
    public async Task EmptyNullOrNestedErrors_AreNotErrors(string response)
    {
        using var dir = new TempDir();
        var recorded = new[] { Recorded("r1", Query, Ok, tagged: true) };

        var report = await RunAsync(dir, recorded, [Result(recorded[0], response)]);

        Assert.Equal(0, report.Variables["errors"]);
    }

    [Fact]
    public async Task RestBodyWithErrorsField_IsNotAnError()
    {
        using var dir = new TempDir();
        // A REST endpoint (not under a graphql path, no GraphQL document in the body) with its own "errors" field.
        var rest = Recorded("r1", """{"name":"form","fields":["a"]}""", """{"valid":true,"errors":[]}""", tagged: false);
        var recorded = new[] { rest with { Request = rest.Request with { Url = "http://svc.test/api/forms/validate" } } };

        var report = await RunAsync(dir, recorded, [Result(recorded[0], """{"valid":false,"errors":[{"field":"a","message":"required"}]}""")]);

        Assert.Equal(0, report.Variables["errors"]);
        Assert.Equal(1, report.Variables["diffs"]); // still a functional difference
    }

    [Fact]
    public async Task ServerErrorAndTransportError_HaveTheirOwnKinds()
    {
        using var dir = new TempDir();
        var recorded = new[] { Recorded("r1", Query, Ok, tagged: true), Recorded("r2", Query, Ok, tagged: true) };
        var transport = Result(recorded[1], Ok) with { Response = null, Error = new ExchangeError(ExchangeErrorKind.Timeout, "no response") };

        var report = await RunAsync(dir, recorded, [Result(recorded[0], Failed, status: 502), transport]);

        Assert.Equal(2, report.Variables["errors"]);
        Assert.Equal(0, report.Variables["graphql_errors"]);
        Assert.Equal(1, report.ErrorsByKind["http-5xx"]);
        Assert.Equal(1, report.ErrorsByKind["transport"]);
    }
}
