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
}
