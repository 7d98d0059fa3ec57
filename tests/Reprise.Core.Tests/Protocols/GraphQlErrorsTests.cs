using Reprise.Core.Protocols;
using Reprise.Testing;
using Xunit;

namespace Reprise.Core.Tests.Protocols;

public sealed class GraphQlErrorsTests
{
    [Theory]
    [InlineData("https://api.acme.test/v1/search", """{"query":"{ user(id: 1) { name } }"}""")]
    [InlineData("https://api.acme.test/v1/api", """{"query":"query GetUser($id: ID!) { user(id: $id) { name } }","variables":{"id":"1"}}""")]
    [InlineData("https://api.acme.test/v1/api", """{"query":"  # list\n  mutation { logout }"}""")]
    [InlineData("https://api.acme.test/v1/api", """{"query":"fragment F on User { id } query { me { ...F } }"}""")]
    [InlineData("https://api.acme.test/v1/api", """{"query":"subscription{ticks}"}""")]
    [InlineData("https://api.acme.test/GraphQL", """{"extensions":{"persistedQuery":{"version":1}}}""")]
    [InlineData("https://api.acme.test/api/graphql?op=Me", """{"query":"whatever"}""")]
    public void IsGraphQl_DocumentOrGraphQlPath_True(string url, string body) =>
        Assert.True(GraphQlErrors.IsGraphQl(Exchanges.Send("POST", url, body)));

    [Theory]
    [InlineData("""{"query":"blue shoes","hitsPerPage":20}""")] // Algolia
    [InlineData("""{"query":"query builder tutorial"}""")] // a search phrase starting with a keyword
    [InlineData("""{"query":"queryable fields"}""")]
    [InlineData("""{"query":{"match":{"title":"shoes"}}}""")] // Elasticsearch
    [InlineData("""{"query":""}""")]
    [InlineData("""{"query":"abc\ud83d"}""")] // unreadable string: not a document, no exception
    public void IsGraphQl_SearchApiQuery_False(string body) =>
        Assert.False(GraphQlErrors.IsGraphQl(Exchanges.Send("POST", "https://search.acme.test/1/indexes/products/query", body)));

    [Fact]
    public void IsGraphQl_GraphQlTag_True() =>
        Assert.True(GraphQlErrors.IsGraphQl(Exchanges.Send("POST", "https://api.acme.test/search", """{"query":"shoes"}""") with { Tags = System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty.Add("graphql.operation", "Search") }));

    [Fact]
    public void HasErrors_NonEmptyErrorsArray_True()
    {
        Assert.True(GraphQlErrors.HasErrors(200, """{"data":null,"errors":[{"message":"boom"}]}"""u8));
        Assert.False(GraphQlErrors.HasErrors(200, """{"data":{},"errors":[]}"""u8));
        Assert.False(GraphQlErrors.HasErrors(500, """{"errors":[{"message":"boom"}]}"""u8));
    }
}
