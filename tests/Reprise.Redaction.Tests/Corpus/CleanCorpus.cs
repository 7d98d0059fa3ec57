using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Reprise.Redaction.Tests.Corpus;

/// <summary>
/// Realistic API traffic with no personal data or secrets: catalogs, orders (no customer data), search,
/// weather, metrics, feature flags, pagination cursors, GraphQL, SOAP, forms, browser headers, barcodes,
/// UUIDs, commit hashes, versions, coordinates and timestamps. Anything redacted here is a false positive.
/// </summary>
public static class CleanCorpus
{
    private static readonly string[] Products = ["Trail Running Shoe", "Ceramic Pour-Over Set", "Merino Wool Beanie", "Cast Iron Skillet 12in", "Noise Cancelling Headphones", "Bamboo Cutting Board", "LED Desk Lamp", "Espresso Tamper 58mm"];
    private static readonly string[] Words = ["lightweight", "durable", "ships", "within", "two", "business", "days", "limited", "edition", "recycled", "materials", "warranty", "included", "bestseller", "new", "arrival"];
    private static readonly string[] Agents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2.1 Safari/605.1.15",
        "okhttp/4.12.0", "python-requests/2.31.0", "Go-http-client/2.0", "PostmanRuntime/7.36.1",
    ];

    public static List<Exchange> Build(int count = 400, int seed = 7)
    {
        var random = new Random(seed);
        var list = new List<Exchange>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add((i % 10) switch
            {
                0 => Json(i, random, "GET", "/api/products?page=" + (i % 7) + "&limit=20&sort=price", null, Catalog(random)),
                1 => Json(i, random, "GET", "/api/orders/" + random.Next(100000, 999999), null, Order(random)),
                2 => Json(i, random, "POST", "/api/cart/items", $$"""{"productId":{{random.Next(1, 5000)}},"sku":"SKU-{{random.Next(10000, 99999)}}","quantity":{{random.Next(1, 5)}}}""", """{"ok":true}"""),
                3 => Json(i, random, "GET", "/v1/forecast?lat=52.52&lon=13.41&hourly=temperature_2m", null, Weather(random)),
                4 => Json(i, random, "GET", "/actuator/health", null, Health(random)),
                5 => Json(i, random, "POST", "/graphql", """{"query":"query Products($first: Int, $after: String) { products(first: $first, after: $after) { edges { node { id title } } pageInfo { endCursor hasNextPage } } }","variables":{"first":20,"after":"YXJyYXljb25uZWN0aW9uOjE5"}}""", GraphQl(random)),
                6 => Soap(i, random),
                7 => Form(i, random),
                8 => Json(i, random, "GET", "/api/flags", null, Flags(random)),
                _ => Text(i, random),
            });
        }

        list.AddRange(NamedThings(count / 4, seed + 4));
        return list;
    }

    /// <summary>
    /// Resources whose bare "name" is a thing, not a person: products, catalog categories, organisations,
    /// tags, files, order lines under a user, GraphQL product mutations. None of it may be redacted.
    /// </summary>
    public static List<Exchange> NamedThings(int count = 120, int seed = 11)
    {
        var random = new Random(seed);
        var list = new List<Exchange>(count);
        string[] orgs = ["Acme Labs", "Northwind Traders", "Globex Corporation", "Initech", "Blue Harbor Studio"];
        string[] categories = ["Kitchen Tools", "Outdoor Gear", "Home Office", "Garden Furniture", "Travel Accessories"];
        string[] files = ["Quarterly Report", "Brand Guidelines", "Onboarding Checklist", "Release Notes March"];
        for (var i = 0; i < count; i++)
        {
            var product = Products[random.Next(Products.Length)];
            var id = random.Next(1, 99999);
            list.Add((i % 8) switch
            {
                0 => Json(10_000 + i, random, "GET", "/api/products/" + id, null, $$$"""{"id":{{{id}}},"name":"{{{product}}}","price":{{{random.Next(1, 300)}}}.5,"currency":"EUR","brand":{"name":"{{{orgs[random.Next(orgs.Length)]}}}"}}"""),
                1 => Json(10_000 + i, random, "GET", "/api/v1/catalog/categories", null, $$$"""[{"id":{{{id}}},"name":"{{{categories[random.Next(categories.Length)]}}}","slug":"c-{{{id}}}","parent":{"name":"{{{categories[random.Next(categories.Length)]}}}"}}]"""),
                2 => Json(10_000 + i, random, "GET", "/orgs/" + orgs[random.Next(orgs.Length)].ToLowerInvariant().Replace(' ', '-'), null, $$$"""{"name":"{{{orgs[random.Next(orgs.Length)]}}}","plan":"team","seats":{{{random.Next(5, 500)}}},"website":"https://acme.test"}"""),
                3 => Json(10_000 + i, random, "GET", "/tags?limit=5", null, """[{"name":"Outdoor Gear","count":12},{"name":"Summer Sale","count":3}]"""),
                4 => Json(10_000 + i, random, "GET", "/files/" + Convert.ToHexStringLower(Bytes(random, 8)), null, $$$"""{"name":"{{{files[random.Next(files.Length)]}}}","size":{{{random.Next(1000, 900000)}}},"mimeType":"application/pdf","folder":{"name":"Shared Drive"}}"""),
                5 => Json(10_000 + i, random, "POST", "/items", $$$"""{"name":"{{{product}}}","price":9.5}""", $$$"""{"data":{"id":{{{id}}},"name":"{{{product}}}"}}"""),
                6 => Json(10_000 + i, random, "POST", "/graphql", $$$$"""{"query":"mutation CreateProduct($input: ProductInput!) { createProduct(input: $input) { id name } }","variables":{"input":{"name":"{{{{product}}}}"}}}""", $$$$"""{"data":{"createProduct":{"id":"{{{{id}}}}","name":"{{{{product}}}}"}}}"""),
                _ => Json(10_000 + i, random, "GET", "/users/" + id + "/orders", null, $$$"""{"items":[{"name":"{{{product}}}","qty":2},{"name":"{{{Products[random.Next(Products.Length)]}}}","qty":1}],"total":3}"""),
            });
        }

        return list;
    }

    /// <summary>
    /// Things next to people, or under nouns that only look like people: order lines inside a customer, a
    /// restaurant or carrier with phone, email, fax and tax id, and resources whose names merely end in (or are
    /// ambiguous) person nouns: factors, drivers, speakers, admin, profiles. Only <c>customer.name</c> is a person.
    /// </summary>
    public static List<Exchange> PersonAdjacentThings()
    {
        var random = new Random(5);
        return
        [
            Json(20_000, random, "GET", "/api/orders/81", null, """{"customer":{"name":"Ann Lee","items":[{"name":"Blue Widget","qty":2}],"entries":[{"name":"Gift Wrap"}]}}"""),
            Json(20_001, random, "GET", "/api/restaurants/5", null, """{"name":"Golden Dragon Bistro","phone":"+1 415 555 0134","email":"info@goldendragon.test","cuisine":"Sichuan"}"""),
            Json(20_002, random, "GET", "/api/carriers", null, """[{"name":"Northwind Freight","fax":"+1 415 555 0199","taxId":"12-3456789","scac":"NWFT"}]"""),
            Json(20_003, random, "GET", "/api/companies/9", null, """{"name":"Blue Harbor Studio","ownerName":"Dana Wu","contactEmail":"hello@blueharbor.test"}"""),
            Json(20_004, random, "GET", "/api/risk/factors/3", null, """{"name":"Market Volatility","weight":0.4}"""),
            Json(20_005, random, "GET", "/api/drivers/7", null, """{"name":"Realtek Audio Driver","version":"6.0.9"}"""),
            Json(20_006, random, "GET", "/api/speakers", null, """[{"name":"Bose SoundLink Flex","watts":20}]"""),
            Json(20_007, random, "GET", "/api/admin", null, """{"name":"Maintenance Window","enabled":true}"""),
            Json(20_008, random, "GET", "/api/profiles", null, """[{"name":"Production Profile","region":"eu-west-1"}]"""),
        ];
    }

    private static string Catalog(Random random)
    {
        var items = new JsonArray();
        for (var i = 0; i < 6; i++)
        {
            items.Add(new JsonObject
            {
                ["id"] = random.Next(1, 100000),
                ["uuid"] = new Guid(Bytes(random, 16)).ToString(),
                ["sku"] = "SKU-" + random.Next(10000, 99999),
                ["gtin"] = Ean13(random),
                ["name"] = Products[random.Next(Products.Length)],
                ["description"] = Sentence(random, 12),
                ["price"] = Math.Round(random.NextDouble() * 300, 2),
                ["currency"] = "EUR",
                ["stock"] = random.Next(0, 500),
                ["rating"] = Math.Round(3 + (random.NextDouble() * 2), 1),
                ["image"] = $"https://cdn.shop.test/img/{random.Next(1000, 9999)}/{random.Next(100, 999)}.webp",
                ["createdAt"] = Time(random),
                ["tags"] = new JsonArray("outdoor", "sale"),
            });
        }

        return new JsonObject { ["items"] = items, ["page"] = random.Next(1, 9), ["total"] = random.Next(100, 5000), ["nextCursor"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"offset\":" + random.Next(100) + "}")) }.ToJsonString();
    }

    private static string Order(Random random) => new JsonObject
    {
        ["orderId"] = "ord_" + random.Next(100000, 999999),
        ["status"] = new[] { "PAID", "SHIPPED", "DELIVERED" }[random.Next(3)],
        ["placedAt"] = Time(random),
        ["lines"] = new JsonArray(new JsonObject { ["sku"] = "SKU-" + random.Next(10000, 99999), ["qty"] = 2, ["unitPrice"] = 19.99 }, new JsonObject { ["sku"] = "SKU-" + random.Next(10000, 99999), ["qty"] = 1, ["unitPrice"] = 4.5 }),
        ["subtotal"] = 44.48,
        ["tax"] = 8.45,
        ["shipping"] = new JsonObject { ["method"] = "standard", ["carrier"] = "UPS", ["trackingNumber"] = "1Z" + random.Next(100, 999) + "AA1" + random.Next(10000000, 99999999), ["estimatedDelivery"] = "2026-03-0" + random.Next(2, 9) },
        ["invoiceNumber"] = "INV-2026-" + random.Next(10000, 99999),
        ["placedAtMs"] = 1_709_283_600_000L + random.Next(),
        ["snowflake"] = 1_790_000_000_000_000_000L + random.Next(),
        ["paymentReference"] = random.NextInt64(1_000_000_000_000_000L, 9_999_999_999_999_999L).ToString(CultureInfo.InvariantCulture),
    }.ToJsonString();

    private static string Weather(Random random)
    {
        var temps = new JsonArray();
        var times = new JsonArray();
        for (var h = 0; h < 12; h++)
        {
            temps.Add(Math.Round(-5 + (random.NextDouble() * 20), 1));
            times.Add($"2026-03-01T{h:00}:00");
        }

        return new JsonObject { ["latitude"] = 52.52, ["longitude"] = 13.419998, ["elevation"] = 38.0, ["timezone"] = "Europe/Berlin", ["hourly"] = new JsonObject { ["time"] = times, ["temperature_2m"] = temps } }.ToJsonString();
    }

    private static string Health(Random random) => new JsonObject
    {
        ["status"] = "UP",
        ["version"] = $"2.{random.Next(1, 30)}.{random.Next(0, 9)}",
        ["build"] = $"2026.03.{random.Next(1, 28)}.{random.Next(1, 9)}",
        ["commit"] = Convert.ToHexStringLower(Bytes(random, 20)),
        ["agentVersion"] = $"{random.Next(1, 5)}.{random.Next(0, 20)}.{random.Next(0, 40)}.{random.Next(1, 300)}",
        ["uptimeSeconds"] = random.Next(1000, 10_000_000),
        ["components"] = new JsonObject { ["db"] = new JsonObject { ["status"] = "UP", ["details"] = new JsonObject { ["database"] = "PostgreSQL", ["validationQuery"] = "isValid()" } }, ["diskSpace"] = new JsonObject { ["total"] = 502_468_108_288L, ["free"] = 301_112_004_608L } },
    }.ToJsonString();

    private static string GraphQl(Random random)
    {
        var edges = new JsonArray();
        for (var i = 0; i < 4; i++)
        {
            edges.Add(new JsonObject { ["node"] = new JsonObject { ["id"] = "gid://shop/Product/" + random.Next(1_000_000, 9_999_999), ["title"] = Products[random.Next(Products.Length)] } });
        }

        return new JsonObject { ["data"] = new JsonObject { ["products"] = new JsonObject { ["edges"] = edges, ["pageInfo"] = new JsonObject { ["endCursor"] = "YXJyYXljb25uZWN0aW9uOjIz", ["hasNextPage"] = true } } } }.ToJsonString();
    }

    private static string Flags(Random random) => new JsonObject
    {
        ["flags"] = new JsonObject { ["new-checkout"] = random.Next(2) == 0, ["dark-mode"] = true, ["search-v2-rollout"] = random.Next(0, 100) },
        ["etag"] = "W/\"" + Convert.ToHexStringLower(Bytes(random, 8)) + "\"",
        ["evaluatedAt"] = Time(random),
        ["requestId"] = new Guid(Bytes(random, 16)).ToString(),
    }.ToJsonString();

    private static Exchange Soap(int i, Random random)
    {
        var amount = (random.NextDouble() * 1000).ToString("F2", CultureInfo.InvariantCulture);
        var request = $"""<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ConvertCurrency xmlns="http://fx.test/"><From>EUR</From><To>USD</To><Amount>{amount}</Amount><Date>2026-03-01</Date></ConvertCurrency></soap:Body></soap:Envelope>""";
        var response = $"""<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ConvertCurrencyResponse xmlns="http://fx.test/"><Rate>1.0{random.Next(100, 999)}</Rate><Result>{amount}</Result><RateTimestamp>{Time(random)}</RateTimestamp></ConvertCurrencyResponse></soap:Body></soap:Envelope>""";
        return Exchange(i, random, "POST", "/fx.asmx", ("text/xml; charset=utf-8", request), ("text/xml; charset=utf-8", response)) is var e
            ? e with { Request = e.Request with { Headers = e.Request.Headers.Add(new("SOAPAction", "\"http://fx.test/ConvertCurrency\"")) } }
            : e;
    }

    private static Exchange Form(int i, Random random) =>
        Exchange(i, random, "POST", "/search", ("application/x-www-form-urlencoded", $"q={Uri.EscapeDataString(Products[random.Next(Products.Length)])}&category=kitchen&minPrice={random.Next(5, 50)}&maxPrice={random.Next(60, 500)}&sort=relevance&page={random.Next(1, 9)}"), ("text/html; charset=utf-8", $"<html><body><h1>Results</h1><p>{Sentence(random, 20)}</p></body></html>"));

    private static Exchange Text(int i, Random random) =>
        Exchange(i, random, "GET", "/metrics", null, ("text/plain; version=0.0.4", $"# HELP http_requests_total Total requests\n# TYPE http_requests_total counter\nhttp_requests_total{{method=\"GET\",code=\"200\"}} {random.Next(1000, 999999)}\nprocess_cpu_seconds_total {random.NextDouble() * 1000:F3}\njvm_memory_used_bytes{{area=\"heap\"}} {random.Next(100_000_000, 900_000_000)}\nbuild_info{{version=\"2.14.{random.Next(9)}\",revision=\"{Convert.ToHexStringLower(Bytes(random, 4))}\"}} 1\n"));

    private static Exchange Json(int i, Random random, string method, string path, string? request, string response) =>
        Exchange(i, random, method, path, request is null ? null : ("application/json", request), ("application/json; charset=utf-8", response));

    private static Exchange Exchange(int i, Random random, string method, string path, (string Type, string Body)? request, (string Type, string Body) response) => new()
    {
        Id = $"clean-{i:0000}",
        StartedAt = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero).AddSeconds(i),
        Duration = TimeSpan.FromMilliseconds(random.Next(3, 400)),
        Request = new ExchangeRequest
        {
            Method = method,
            Url = "https://api.shop.test" + path,
            Headers =
            [
                new("Accept", "application/json"), new("User-Agent", Agents[random.Next(Agents.Length)]), new("X-Request-Id", new Guid(Bytes(random, 16)).ToString()),
                new("Accept-Language", "en-US,en;q=0.9"), new("traceparent", $"00-{Convert.ToHexStringLower(Bytes(random, 16))}-{Convert.ToHexStringLower(Bytes(random, 8))}-01"),
                .. request is { } r ? new HeaderField[] { new("Content-Type", r.Type) } : [],
            ],
            Body = request is { } req ? ExchangeBody.FromText(req.Body, req.Type) : null,
        },
        Response = new ExchangeResponse
        {
            Status = 200,
            Headers = [new("Content-Type", response.Type), new("Cache-Control", "max-age=60"), new("ETag", "\"" + Convert.ToHexStringLower(Bytes(random, 12)) + "\""), new("X-RateLimit-Remaining", random.Next(0, 5000).ToString(CultureInfo.InvariantCulture)), new("Server-Timing", $"db;dur={random.Next(1, 90)}, app;dur={random.Next(1, 200)}")],
            Body = ExchangeBody.FromText(response.Body, response.Type),
        },
    };

    private static string Ean13(Random random)
    {
        var digits = "400" + random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            sum += (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
        }

        return digits + ((10 - (sum % 10)) % 10).ToString(CultureInfo.InvariantCulture);
    }

    private static string Sentence(Random random, int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[random.Next(Words.Length)]));

    private static string Time(Random random) => new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(random.Next(0, 2_500_000)).ToString("O", CultureInfo.InvariantCulture);

    private static byte[] Bytes(Random random, int n)
    {
        var bytes = new byte[n];
        random.NextBytes(bytes);
        return bytes;
    }
}
