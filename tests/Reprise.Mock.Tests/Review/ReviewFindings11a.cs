using Reprise.Mock.Matching;
using Xunit;

namespace Reprise.Mock.Tests.Review;

/// <summary>Review of QA round 11a's mock changes (base64 ids in a path are volatile).</summary>
public sealed class ReviewFindings11a
{
    /// <summary>
    /// Two files recorded under their base64 ids, each read with a cache-buster (<c>?_=</c>, a timestamp, volatile): a
    /// replayed read of the second file with a new cache-buster misses the exact tier, and in the volatile tier the id was
    /// masked too, so the first file's answer was served for the second. A volatile path id still tells recorded resources
    /// apart: the entry whose id is the live one is served.
    /// </summary>
    [Theory]
    [InlineData("SGVsbG9Xb3JsZEZpbGUx", "T3RoZXJGaWxlTnVtYmVyMg")]
    [InlineData("c4b6f2a0-3f0e-4b7a-9a51-0f3c8d2e7a11", "8e2d41b7-5a9c-4f63-b0de-17a2c9f4e583")]
    public void AVolatilePathId_OfARecordedResource_IsServedThatResourcesAnswer(string first, string second)
    {
        var index = MockFixtures.Index([
            MockFixtures.Get($"https://files.test/files/{first}?_=1700000000001", """{"name":"first"}"""),
            MockFixtures.Get($"https://files.test/files/{second}?_=1700000000002", """{"name":"second"}""", offsetMs: 10),
        ]);

        var result = index.Match(MockFixtures.Shape("GET", $"https://files.test/files/{second}?_=1800000000000"));

        Assert.Contains("second", result.Entry!.Exchange.Response!.Body!.Text, StringComparison.Ordinal);
    }

    /// <summary>
    /// A Relay page cursor is base64 of text (<c>YXJyYXljb25uZWN0aW9uOjk=</c>, "arrayconnection:9"): since round 11a it is
    /// a per-call value by its format, so two page reads that also carry a per-call request id (volatile either way) share
    /// one volatile key and the third page's read was served the second page. A value that selected different recorded
    /// answers is not noise: the entry whose value is the live one is served.
    /// </summary>
    [Fact]
    public void ARecordedPageCursor_IsServedItsOwnPage_WhenARequestIdDiffers()
    {
        const string Query = "query Items($after: String) { items(first: 10, after: $after) { edges { node { id } } } }";
        static string Body(string cursor, string requestId) =>
            $$$"""{"query":"{{{Query}}}","variables":{"after":"{{{cursor}}}"},"extensions":{"requestId":"{{{requestId}}}"}}""";
        var index = MockFixtures.Index([
            MockFixtures.Send("POST", "https://api.test/graphql", Body("YXJyYXljb25uZWN0aW9uOjk=", "c4b6f2a0-3f0e-4b7a-9a51-0f3c8d2e7a11"), """{"page":2}"""),
            MockFixtures.Send("POST", "https://api.test/graphql", Body("YXJyYXljb25uZWN0aW9uOjE5", "8e2d41b7-5a9c-4f63-b0de-17a2c9f4e583"), """{"page":3}""", offsetMs: 10),
        ]);

        var result = index.Match(MockFixtures.Shape("POST", "https://api.test/graphql", Body("YXJyYXljb25uZWN0aW9uOjE5", "0f9d7c3e-2b1a-4c5d-8e6f-7a8b9c0d1e2f")));

        Assert.Contains("\"page\":3", result.Entry!.Exchange.Response!.Body!.Text, StringComparison.Ordinal);
    }
}
