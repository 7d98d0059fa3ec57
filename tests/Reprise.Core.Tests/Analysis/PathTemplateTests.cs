using Reprise.Core.Analysis;
using Xunit;

namespace Reprise.Core.Tests.Analysis;

public sealed class PathTemplateTests
{
    [Theory]
    [InlineData("/orders/42", "/orders/{id}")]
    [InlineData("/orders/42/items/7", "/orders/{id}/items/{id}")]
    [InlineData("/users/3f2504e0-4f89-11d3-9a0c-0305e82c3301", "/users/{id}")]
    [InlineData("/objects/507f1f77bcf86cd799439011", "/objects/{id}")]
    [InlineData("/orders/ord-58213", "/orders/{id}")]
    [InlineData("/users/jane.doe@example.com/prefs", "/users/{id}/prefs")]
    [InlineData("/reports/2026-01-15", "/reports/{id}")]
    [InlineData("/files/aGVsbG8gd29ybGQhIQ2x", "/files/{id}")]
    [InlineData("/api/v2/products", "/api/v2/products")]
    [InlineData("/api/oauth2/authorize", "/api/oauth2/authorize")]
    [InlineData("/internationalization/settings", "/internationalization/settings")]
    [InlineData("/", "/")]
    [InlineData("/search/", "/search/")]
    public void Of_Path_CollapsesIdentifiersOnly(string path, string expected) =>
        Assert.Equal(expected, PathTemplate.Of(path));

    /// <summary>
    /// QA round 11a (Node-RED's <c>/api/greet/:name</c>): a name in a path is written as its word tokens
    /// (<c>tok_name_…%20tok_name_…</c>), and a token's 16 base32 characters can hold no digit; either was an endpoint of its
    /// own in <c>inspect</c>. What redaction wrote in place of a value is a value.
    /// </summary>
    [Theory]
    [InlineData("/api/greet/tok_name_zqjltklq2xxoi5xi%20tok_name_eng4uqraa2feziij", "/api/greet/{id}")]
    [InlineData("/api/greet/tok_name_zqjltklq2xxoi5xi+tok_name_eng4uqraa2feziij", "/api/greet/{id}")]
    [InlineData("/users/tok_id_abcdefghijklmnop/prefs", "/users/{id}/prefs")]
    [InlineData("/tok_list/items", "/tok_list/items")]
    public void Of_PathWithRedactionTokens_CollapsesThem(string path, string expected) =>
        Assert.Equal(expected, PathTemplate.Of(path));

    [Fact]
    public void ANamesWordTokens_AreOneToken()
    {
        Assert.True(Reprise.Core.Model.RedactedValue.IsToken("tok_name_zqjltklq2xxoi5xi tok_name_eng4uqraa2feziij"));
        Assert.True(Reprise.Core.Model.RedactedValue.IsRedactionOutput("tok_name_zqjltklq2xxoi5xi  tok_name_eng4uqraa2feziij"));
        Assert.False(Reprise.Core.Model.RedactedValue.IsToken("tok_name_zqjltklq2xxoi5xi and tok_name_eng4uqraa2feziij"));
    }
}
