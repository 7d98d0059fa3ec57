using System.Text.Json;
using System.Text.RegularExpressions;
using Reprise.Core.Model;
using Reprise.Mock.Export;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Export;

public sealed class WireMockExporterTests
{
    [Fact]
    public async Task Export_MappingsScenariosAndBinaryFiles()
    {
        using var dir = new TempDir();
        var png = MockFixtures.Get("https://cdn.test/logo.png");
        png = png with { Response = png.Response! with { Headers = [new("Content-Type", "image/png")], Body = ExchangeBody.FromBytes(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0xFF, 0x00 }, "image/png") } };
        Exchange[] exchanges =
        [
            MockFixtures.Get("https://api.test/job?id=1", """{"s":"queued"}"""),
            MockFixtures.Get("https://api.test/job?id=1", """{"s":"done"}""", offsetMs: 5),
            MockFixtures.Send("POST", "https://api.test/items", """{"name":"pen"}""", """{"id":1}""", 201),
            png,
        ];
        var count = await WireMockExporter.ExportAsync(exchanges.ToAsyncEnumerable(), dir.Path, null, TestContext.Current.CancellationToken);
        Assert.Equal(4, count);
        var files = Directory.GetFiles(Path.Combine(dir.Path, "mappings")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(4, files.Length);
        var first = JsonDocument.Parse(await File.ReadAllTextAsync(files[0], TestContext.Current.CancellationToken)).RootElement;
        var second = JsonDocument.Parse(await File.ReadAllTextAsync(files[1], TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("/job", first.GetProperty("request").GetProperty("urlPath").GetString());
        Assert.Equal("1", first.GetProperty("request").GetProperty("queryParameters").GetProperty("id").GetProperty("equalTo").GetString());
        Assert.Equal("Started", first.GetProperty("requiredScenarioState").GetString());
        Assert.Equal("step-1", first.GetProperty("newScenarioState").GetString());
        Assert.Equal("step-1", second.GetProperty("requiredScenarioState").GetString());
        Assert.False(second.TryGetProperty("newScenarioState", out _)); // last one repeats
        var post = JsonDocument.Parse(await File.ReadAllTextAsync(files[2], TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("""{"name":"pen"}""", post.GetProperty("request").GetProperty("bodyPatterns")[0].GetProperty("equalToJson").GetString());
        Assert.Equal(201, post.GetProperty("response").GetProperty("status").GetInt32());
        var image = JsonDocument.Parse(await File.ReadAllTextAsync(files[3], TestContext.Current.CancellationToken)).RootElement;
        var bodyFile = image.GetProperty("response").GetProperty("bodyFileName").GetString()!;
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0xFF, 0x00 }, await File.ReadAllBytesAsync(Path.Combine(dir.Path, "__files", bodyFile), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Export_PerCallValues_BecomeWireMockPlaceholders()
    {
        // mock QA (curl posting a payment with a fresh ISO timestamp, python-requests a fresh uuid): the mappings held
        // the recorded values with equalTo/equalToJson, so WireMock missed every replayed call while reprise mock matched.
        using var dir = new TempDir();
        Exchange[] exchanges =
        [
            MockFixtures.Send("POST", "https://api.test/v1/payments?since=2026-11-26T19:11:17Z&page=2",
                """{"amount":1250,"ts":"2026-11-26T19:11:17.298Z","meta":{"requestId":"3f2b8c1e-8a4b-4c7e-9a51-0f6d2f1f7a10","at":1764184277},"tags":["a"]}""", """{"id":"pay_1"}""", 201),
        ];
        Assert.Equal(2, await WireMockExporter.ExportAsync(exchanges.ToAsyncEnumerable(), dir.Path, null, TestContext.Current.CancellationToken));
        var files = Directory.GetFiles(Path.Combine(dir.Path, "mappings")).Order(StringComparer.Ordinal).ToArray();
        var exact = JsonDocument.Parse(await File.ReadAllTextAsync(files[0], TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(5, exact.GetProperty("priority").GetInt32()); // the recorded values first
        Assert.Equal("2026-11-26T19:11:17Z", exact.GetProperty("request").GetProperty("queryParameters").GetProperty("since").GetProperty("equalTo").GetString());
        Assert.Equal(
            """{"amount":1250,"ts":"2026-11-26T19:11:17.298Z","meta":{"requestId":"3f2b8c1e-8a4b-4c7e-9a51-0f6d2f1f7a10","at":1764184277},"tags":["a"]}""",
            exact.GetProperty("request").GetProperty("bodyPatterns")[0].GetProperty("equalToJson").GetString());
        var mapping = JsonDocument.Parse(await File.ReadAllTextAsync(files[1], TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(10, mapping.GetProperty("priority").GetInt32()); // then fresh per-call values
        Assert.NotEqual(exact.GetProperty("id").GetString(), mapping.GetProperty("id").GetString());
        var request = mapping.GetProperty("request");
        Assert.Equal(".*", request.GetProperty("queryParameters").GetProperty("since").GetProperty("matches").GetString());
        Assert.Equal("2", request.GetProperty("queryParameters").GetProperty("page").GetProperty("equalTo").GetString());
        Assert.Equal(
            """{"amount":1250,"ts":"${json-unit.any-string}","meta":{"requestId":"${json-unit.any-string}","at":"${json-unit.any-number}"},"tags":["a"]}""",
            request.GetProperty("bodyPatterns")[0].GetProperty("equalToJson").GetString());
        Assert.Equal("""{"id":"pay_1"}""", mapping.GetProperty("response").GetProperty("body").GetString());
    }

    [Fact]
    public async Task Export_RequestsDifferingOnlyInUuids_KeepTheirOwnAnswers()
    {
        // review: ?id=<uuidA> and ?id=<uuidB> (and two lookups by customerId) both became the same placeholder mapping
        // without a priority, so WireMock served the last one added for both: order A got B's answer.
        using var dir = new TempDir();
        const string a = "0b6f3c2e-1d2a-4e4b-9c3d-5a6b7c8d9e01", b = "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
        Exchange[] exchanges =
        [
            MockFixtures.Get($"https://api.test/orders?id={a}", """{"order":"A"}"""),
            MockFixtures.Get($"https://api.test/orders?id={b}", """{"order":"B"}""", offsetMs: 5),
            MockFixtures.Send("POST", "https://api.test/lookup", $$"""{"customerId":"{{a}}"}""", """{"name":"Ann"}""", offsetMs: 10),
            MockFixtures.Send("POST", "https://api.test/lookup", $$"""{"customerId":"{{b}}"}""", """{"name":"Bob"}""", offsetMs: 15),
        ];
        await WireMockExporter.ExportAsync(exchanges.ToAsyncEnumerable(), dir.Path, null, TestContext.Current.CancellationToken);
        var mappings = Directory.GetFiles(Path.Combine(dir.Path, "mappings")).Order(StringComparer.Ordinal)
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement).ToArray();
        var top = mappings.Where(m => m.GetProperty("priority").GetInt32() == 5).ToArray();
        Assert.Equal(4, top.Length);
        Assert.Equal(4, top.Select(m => m.GetProperty("request").GetRawText()).Distinct(StringComparer.Ordinal).Count()); // each request its own
        Assert.Equal(a, top[0].GetProperty("request").GetProperty("queryParameters").GetProperty("id").GetProperty("equalTo").GetString());
        Assert.Equal("""{"order":"A"}""", top[0].GetProperty("response").GetProperty("body").GetString());
        Assert.Equal(b, top[1].GetProperty("request").GetProperty("queryParameters").GetProperty("id").GetProperty("equalTo").GetString());
        Assert.Equal("""{"order":"B"}""", top[1].GetProperty("response").GetProperty("body").GetString());
        Assert.Equal($$"""{"customerId":"{{a}}"}""", top[2].GetProperty("request").GetProperty("bodyPatterns")[0].GetProperty("equalToJson").GetString());
        Assert.Equal("""{"name":"Ann"}""", top[2].GetProperty("response").GetProperty("body").GetString());
        Assert.Equal($$"""{"customerId":"{{b}}"}""", top[3].GetProperty("request").GetProperty("bodyPatterns")[0].GetProperty("equalToJson").GetString());
        // A fresh id still gets an answer, from a placeholder mapping asked only after the exact ones.
        var fallback = mappings.Where(m => m.GetProperty("priority").GetInt32() == 10).ToArray();
        Assert.Equal(4, fallback.Length);
        Assert.Equal(".*", fallback[0].GetProperty("request").GetProperty("queryParameters").GetProperty("id").GetProperty("matches").GetString());
        Assert.Equal("""{"customerId":"${json-unit.any-string}"}""", fallback[2].GetProperty("request").GetProperty("bodyPatterns")[0].GetProperty("equalToJson").GetString());
    }

    [Fact]
    public async Task Export_FormBody_FormParametersInAnyOrder_NonceMatchesAny()
    {
        // mock QA (curl -d grant_type=...&nonce=<random>, .NET FormUrlEncodedContent): the form was one equalTo of the raw
        // text, so WireMock missed the same token request with its fields in another order or a fresh nonce.
        using var dir = new TempDir();
        Exchange[] exchanges =
        [
            MockFixtures.Send("POST", "https://auth.test/oauth/token", "grant_type=client_credentials&client_id=svc&nonce=879dc8e4206ead263ca0c8984f01f1cb", """{"access_token":"t"}""", contentType: "application/x-www-form-urlencoded"),
            MockFixtures.Send("POST", "https://auth.test/tags", "tag=a&tag=b", "{}", contentType: "application/x-www-form-urlencoded", offsetMs: 5),
        ];
        Assert.Equal(3, await WireMockExporter.ExportAsync(exchanges.ToAsyncEnumerable(), dir.Path, null, TestContext.Current.CancellationToken));
        var files = Directory.GetFiles(Path.Combine(dir.Path, "mappings")).Order(StringComparer.Ordinal).ToArray();
        var exact = JsonDocument.Parse(await File.ReadAllTextAsync(files[0], TestContext.Current.CancellationToken)).RootElement.GetProperty("request");
        Assert.Equal("879dc8e4206ead263ca0c8984f01f1cb", exact.GetProperty("formParameters").GetProperty("nonce").GetProperty("equalTo").GetString());
        var token = JsonDocument.Parse(await File.ReadAllTextAsync(files[1], TestContext.Current.CancellationToken)).RootElement.GetProperty("request");
        var form = token.GetProperty("formParameters");
        Assert.Equal("client_credentials", form.GetProperty("grant_type").GetProperty("equalTo").GetString());
        Assert.Equal("svc", form.GetProperty("client_id").GetProperty("equalTo").GetString());
        Assert.Equal(".*", form.GetProperty("nonce").GetProperty("matches").GetString());
        // WireMock ignores fields a mapping does not name: the field count rejects a request with an extra one.
        var count = new Regex(token.GetProperty("bodyPatterns")[0].GetProperty("matches").GetString()!);
        Assert.Matches(count, "nonce=1&client_id=svc&grant_type=client_credentials");
        Assert.DoesNotMatch(count, "nonce=1&client_id=svc&grant_type=client_credentials&scope=admin");
        Assert.DoesNotMatch(count, "client_id=svc&grant_type=client_credentials");
        // Review: empty segments are no fields (a trailing '&', '&&'): the recorded request itself must still match.
        Assert.Matches(count, "nonce=1&client_id=svc&grant_type=client_credentials&");
        Assert.Matches(count, "&nonce=1&&client_id=svc&grant_type=client_credentials");
        Assert.Matches(count, "nonce=&client_id=svc&grant_type=client_credentials");
        var tags = JsonDocument.Parse(await File.ReadAllTextAsync(files[2], TestContext.Current.CancellationToken)).RootElement.GetProperty("request");
        Assert.Equal("tag=a&tag=b", tags.GetProperty("bodyPatterns")[0].GetProperty("equalTo").GetString()); // a repeated name keeps the raw text
    }
}
