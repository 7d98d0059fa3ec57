using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Results;
using Reprise.Replay.Tests.Support;
using Xunit;

namespace Reprise.Replay.Tests.Engine;

/// <summary>GraphQL over HTTP answers 200 with a top-level <c>errors</c> array: the summary counts those as GraphQL errors.</summary>
public sealed class GraphQlErrorSummaryTests
{
    private const string Query = """{"query":"query User($id: ID!) { user(id: $id) { id } }","variables":{"id":"ID"}}""";

    [Fact]
    public async Task GraphQlErrorsOn200_CountedPerEndpointAndOverall_RestErrorsFieldIsNot()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapPost("/graphql", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync(context.RequestAborted);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(body.Contains("\"bad\"", StringComparison.Ordinal)
                    ? """{"data":{"user":null},"errors":[{"message":"boom"}]}"""
                    : """{"data":{"user":{"id":"1"}},"errors":[]}""", context.RequestAborted);
            });
            app.MapPost("/forms/validate", () => Microsoft.AspNetCore.Http.Results.Text("""{"valid":false,"errors":[{"field":"a"}]}""", "application/json"));
        });
        var recorded = new List<Exchange>
        {
            Recorded.Request("POST", "/graphql", 0, body: Query.Replace("ID", "good", StringComparison.Ordinal)),
            Recorded.Request("POST", "/graphql", 0.1, body: Query.Replace("ID", "bad", StringComparison.Ordinal)),
            Recorded.Request("POST", "/graphql", 0.2, body: Query.Replace("ID", "bad", StringComparison.Ordinal)),
            Recorded.Request("POST", "/forms/validate", 0.3, body: """{"a":""}"""),
        };

        // No results kept (summary only): GraphQL bodies are still read for errors.
        var summary = await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 100 }, Recorded.Stream(recorded), new ListSink(keep: false), TestContext.Current.CancellationToken);

        Assert.Equal(4, summary.Sent);
        Assert.Equal(0, summary.Errors); // every request got a response
        Assert.Equal(2, summary.GraphQlErrors);
        Assert.Equal(2, summary.Endpoints.Single(e => e.Endpoint.ToString().Contains("/graphql", StringComparison.Ordinal)).GraphQlErrors);
        Assert.Equal(0, summary.Endpoints.Single(e => e.Endpoint.ToString().Contains("/forms", StringComparison.Ordinal)).GraphQlErrors);

        using var json = new MemoryStream();
        SummaryJson.Write(summary, json);
        Assert.Contains("\"graphqlErrors\": 2", System.Text.Encoding.UTF8.GetString(json.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void MergedResults_GraphQlErrorsCountedFromTheResultBodies()
    {
        var accumulator = new SummaryAccumulator();
        var graphQl = Recorded.Request("POST", "/graphql", 0, body: Query, responseBody: """{"errors":[{"message":"boom"}],"data":null}""");
        var rest = Recorded.Request("POST", "/forms/validate", 0, body: """{"a":""}""", responseBody: """{"errors":[{"field":"a"}]}""");

        accumulator.Record(graphQl);
        accumulator.Record(rest);
        var summary = accumulator.Build("merged", TimeSpan.FromSeconds(1), [], 0, 0, TimeSpan.Zero);

        Assert.Equal(1, summary.GraphQlErrors);
        Assert.Equal(0, summary.Errors);
    }
}
