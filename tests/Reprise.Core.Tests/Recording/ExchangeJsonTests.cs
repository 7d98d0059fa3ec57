using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Json.Schema;
using Reprise.Core.Model;
using Reprise.Core.Recording;
using Reprise.Core.Tests.Support;
using Reprise.Testing;
using Xunit;

namespace Reprise.Core.Tests.Recording;

public sealed class ExchangeJsonTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "TestData", "format.schema.json"));

    [Fact]
    public void Parse_AnySerializedExchange_RoundTripsUnchanged()
    {
        ExchangeGen.Exchange.Sample(exchange =>
        {
            var parsed = ExchangeJson.Parse(ExchangeJson.Serialize(exchange));
            ExchangeAssert.Equal(exchange, parsed);
        }, iter: 2000);
    }

    [Fact]
    public void Serialize_AnyExchange_ValidatesAgainstPublishedSchema()
    {
        ExchangeGen.Exchange.Sample(exchange =>
        {
            var node = JsonNode.Parse(ExchangeJson.Serialize(exchange));
            var result = Schema.Evaluate(node, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, string.Join("; ", result.Details.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        }, iter: 300, threads: 1); // one shared JsonSchema instance: JsonSchema.Net evaluation is not safe across threads
    }

    [Fact]
    public void Serialize_BinaryBody_IsBase64AndTextBodyIsUtf8()
    {
        var exchange = Exchanges.Get("http://a.test/x") with
        {
            Request = new ExchangeRequest { Method = "POST", Url = "http://a.test/x", Body = ExchangeBody.FromBytes(new byte[] { 0xff, 0x00, 0x10 }, "application/octet-stream") },
        };

        var json = Encoding.UTF8.GetString(ExchangeJson.Serialize(exchange));

        Assert.Contains("\"encoding\":\"base64\",\"content\":\"/wAQ\"", json, StringComparison.Ordinal);
        Assert.Contains("\"encoding\":\"utf8\",\"content\":\"{}\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_RepeatedHeaders_KeepsOrderAndDuplicates()
    {
        var exchange = Exchanges.Get("http://a.test/") with
        {
            Response = new ExchangeResponse { Status = 200, Headers = [new("Set-Cookie", "a=1"), new("X-B", "2"), new("Set-Cookie", "c=3")] },
        };

        var parsed = ExchangeJson.Parse(ExchangeJson.Serialize(exchange));

        Assert.Equal(["Set-Cookie", "X-B", "Set-Cookie"], parsed.Response!.Headers.Select(h => h.Name));
        Assert.Equal(["a=1", "2", "c=3"], parsed.Response.Headers.Select(h => h.Value));
    }

    [Theory]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{\"startedAt\":\"2026-01-01T00:00:00Z\",\"request\":{\"method\":\"GET\",\"url\":\"/\"}}", "no 'id'")]
    [InlineData("{\"id\":\"1\",\"request\":{\"method\":\"GET\",\"url\":\"/\"}}", "no 'startedAt'")]
    [InlineData("{\"id\":\"1\",\"startedAt\":\"yesterday\",\"request\":{\"method\":\"GET\",\"url\":\"/\"}}", "not an ISO 8601")]
    [InlineData("{\"id\":\"1\",\"direction\":\"sideways\"}", "unknown direction")]
    [InlineData("{\"id\":", "not valid JSON")]
    public void Parse_BadExchange_ThrowsFormatExceptionWithReason(string json, string reason)
    {
        var error = Assert.Throws<FormatException>(() => ExchangeJson.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownFields_AreIgnoredForForwardCompatibility()
    {
        var json = "{\"id\":\"1\",\"future\":{\"x\":[1,2]},\"startedAt\":\"2026-01-01T00:00:00Z\",\"request\":{\"method\":\"GET\",\"url\":\"/\",\"later\":true}}";
        var parsed = ExchangeJson.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal("1", parsed.Id);
    }

    [Fact]
    public void Parse_ContentBeforeEncoding_StillDecodesBase64()
    {
        var json = "{\"id\":\"1\",\"startedAt\":\"2026-01-01T00:00:00Z\",\"request\":{\"method\":\"GET\",\"url\":\"/\",\"body\":{\"size\":3,\"content\":\"/wAQ\",\"encoding\":\"base64\"}}}";
        var parsed = ExchangeJson.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(new byte[] { 0xff, 0x00, 0x10 }, parsed.Request.Body!.Content.ToArray());
    }
}
