using System.Collections.Immutable;
using System.IO.Compression;
using System.Net;
using System.Text;
using Reprise.Core.Model;

namespace Reprise.Redaction.Tests.Corpus;

/// <summary>
/// The canary corpus: every kind of secret planted in every body format (JSON, form, multipart, XML/SOAP,
/// GraphQL variables, text, gzip/br/deflate), in headers, cookies, query strings and URL paths, requests and
/// responses. Deterministic: the same exchanges and canaries every run.
/// </summary>
public static class CanaryCorpus
{
    private static readonly DateTimeOffset Epoch = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] FreeKinds = ["email", "phone", "ipv4", "ipv6", "card", "iban", "ssn", "jwt", "api-key", "private-key"];

    // A bare "name" whose person context is the request (URL resource, GraphQL root field, SOAP operation) or its sibling fields.
    private static readonly string[] PersonShapes = ["rest-get", "rest-list", "rest-post", "rest-wrapped", "profile", "graphql-mutation", "graphql-input", "soap-operation", "form-post", "siblings-birthdate", "siblings-gender", "mailbox-json", "mailbox-text", "mailbox-xml"];

    private static readonly string[] FreeFormats = ["json-request", "json-response", "form", "multipart", "soap", "graphql", "text", "gzip-json", "br-text", "deflate-form", "header", "query", "path", "zstd-json", "ndjson", "truncated-json"];

    public static (List<Exchange> Exchanges, List<Canary> Canaries) Build(int instances = 3, int seed = 42)
    {
        var values = new CanaryValues(seed);
        var exchanges = new List<Exchange>();
        var canaries = new List<Canary>();
        var n = 0;
        for (var instance = 0; instance < instances; instance++)
        {
            foreach (var kind in FreeKinds)
            {
                foreach (var format in FreeFormats)
                {
                    if (format == "path" && kind is "private-key" or "phone" or "card" or "iban" or "ipv6")
                    {
                        continue;
                    }

                    var value = Free(values, kind);
                    canaries.Add(new Canary(kind, value));
                    exchanges.Add(PlaceFree(format, value, n++));
                }
            }

            foreach (var (kind, make) in new (string, Func<string>)[] { ("person-name", values.PersonName), ("account-id", values.AccountId), ("secret", values.Secret), ("password", values.Password) })
            {
                foreach (var format in new[] { "json", "json-nested", "form", "soap", "query", "multipart", "graphql", "gzip-json", "text" })
                {
                    if ((kind == "person-name" && format is "query" or "text") || (kind == "account-id" && format == "text"))
                    {
                        continue;
                    }

                    var value = make();
                    canaries.Add(new Canary(kind, value));
                    exchanges.Add(PlaceField(format, kind, value, n++));
                }
            }

            foreach (var format in PersonShapes)
            {
                var value = values.PersonName();
                canaries.Add(new Canary("person-name", value));
                exchanges.Add(PlacePerson(format, value, values, n++));
            }

            foreach (var format in new[] { "authorization", "proxy-authorization", "text", "json", "cookie", "set-cookie", "x-api-key", "custom-token-header" })
            {
                var value = values.BearerCredential();
                canaries.Add(new Canary("bearer", value));
                exchanges.Add(PlaceBearer(format, value, n++));
            }
        }

        return (exchanges, canaries);
    }

    private static string Free(CanaryValues values, string kind) => kind switch
    {
        "email" => values.Email(),
        "phone" => values.Phone(),
        "ipv4" => values.Ipv4(),
        "ipv6" => values.Ipv6(),
        "card" => values.Card(),
        "iban" => values.Iban(),
        "ssn" => values.Ssn(),
        "jwt" => values.Jwt(),
        "api-key" => values.ApiKey(),
        _ => values.PrivateKey(),
    };

    private static Exchange PlaceFree(string format, string value, int n)
    {
        var json = Json(value);
        return format switch
        {
            "json-request" => Post(n, "/api/tickets", "application/json", $$$"""{"subject":"Help","note":"Please reach me: {{{json}}} thanks","meta":{"description":{{{Quote(json)}}}},"list":[{{{Quote(json)}}}]}"""),
            "json-response" => Get(n, "/api/tickets/7", "application/json", $$$"""{"id":7,"comments":[{"text":"customer wrote {{{json}}}"}],"context":{{{Quote(json)}}}}"""),
            "form" => Post(n, "/support", "application/x-www-form-urlencoded", "topic=billing&comment=" + Uri.EscapeDataString("see " + value) + "&other=" + WebUtility.UrlEncode(value)),
            "multipart" => Multipart(n, ("comment", "text/plain", "value: " + value), ("meta", "application/json", $$$"""{"remark":{{{Quote(json)}}}}""")),
            "soap" => Post(n, "/soap", "text/xml; charset=utf-8", $"""<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><SubmitNote xmlns="urn:x"><Note>{Xml(value)}</Note><Extra attr="{Xml(value)}"/></SubmitNote></soap:Body></soap:Envelope>"""),
            "graphql" => Post(n, "/graphql", "application/json", $$$$"""{"query":"mutation Add($input: NoteInput!) { addNote(input: $input) { id } }","variables":{"input":{"body":{{{{Quote(json)}}}}}}}"""),
            "text" => Get(n, "/logs/latest", "text/plain", $"2026-03-01T09:00:00Z INFO request from {value} accepted\n"),
            "gzip-json" => Compressed(Get(n, "/api/export", "application/json", $$$"""{"rows":[{"v":{{{Quote(json)}}}}]}"""), "gzip"),
            "br-text" => Compressed(Get(n, "/api/dump.txt", "text/plain", "dump: " + value + "\n"), "br"),
            "deflate-form" => Compressed(Post(n, "/form", "application/x-www-form-urlencoded", "note=" + Uri.EscapeDataString(value)), "deflate"),
            "header" => Get(n, "/api/ping", "application/json", "{}") with
            {
                Request = new ExchangeRequest { Method = "GET", Url = Url(n, "/api/ping"), Headers = [new("X-Debug-Info", "origin " + value.Replace('\n', ' '))] },
            },
            "query" => Get(n, "/api/search?q=" + Uri.EscapeDataString(value) + "&page=2", "application/json", "{\"results\":[]}"),
            "path" => Get(n, "/api/lookup/" + Uri.EscapeDataString(value) + "/details", "application/json", "{}"),
            "zstd-json" => Compressed(Get(n, "/api/z", "application/json", $$$"""{"z":{{{Quote(json)}}}}"""), "zstd"),
            "ndjson" => Get(n, "/api/stream", "application/x-ndjson", $$$"""{"a":1}{{{"\n"}}}{"b":{{{Quote(json)}}}}{{{"\n"}}}"""),
            _ => Truncated(Get(n, "/api/big", "application/json", $$$"""{"items":[{"x":1},{"note":{{{Quote(json)}}},"y":"{{{json}}}"""), 100_000),
        };
    }

    private static Exchange PlaceField(string format, string kind, string value, int n)
    {
        var field = kind switch { "person-name" => "fullName", "account-id" => "customerId", "secret" => "client_secret", _ => "password" };
        var json = Json(value);
        return format switch
        {
            "json" => Post(n, "/api/profile", "application/json", $$$"""{"{{{field}}}":{{{Quote(json)}}},"plan":"pro"}"""),
            "json-nested" => Get(n, "/api/orders/1", "application/json", kind == "person-name"
                ? $$$"""{"order":{"customer":{"name":{{{Quote(json)}}}},"total":12.5}}"""
                : $$$$"""{"order":{"auth":{"{{{{field}}}}":{{{{Quote(json)}}}}}}}"""),
            "form" => Post(n, "/login", "application/x-www-form-urlencoded", $"{field}={Uri.EscapeDataString(value)}&remember=true"),
            "soap" => Post(n, "/soap", "application/soap+xml", $"""<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:wsse="urn:wsse"><env:Header><wsse:Security><wsse:{Pascal(field)}>{Xml(value)}</wsse:{Pascal(field)}></wsse:Security></env:Header><env:Body><Op/></env:Body></env:Envelope>"""),
            "query" => Get(n, $"/api/callback?{field}={Uri.EscapeDataString(value)}&state=ok", "application/json", "{}"),
            "multipart" => Multipart(n, (field, "text/plain", value), ("doc", "application/json", $$$"""{"{{{field}}}":{{{Quote(json)}}}}""")),
            "graphql" => Post(n, "/graphql", "application/json", $$$$"""{"query":"mutation($in: In!) { save(in: $in) }","variables":{"in":{"{{{{field}}}}":{{{{Quote(json)}}}}}}}"""),
            "gzip-json" => Compressed(Get(n, "/api/me", "application/json", $$$"""{"me":{"{{{field}}}":{{{Quote(json)}}}}}"""), "gzip"),
            _ => Get(n, "/debug", "text/plain", $"config loaded {field}={value} ok\n"),
        };
    }

    private static Exchange PlacePerson(string format, string value, CanaryValues values, int n)
    {
        var json = Quote(Json(value));
        return format switch
        {
            "rest-get" => Get(n, "/users/" + ((n % 90) + 1), "application/json", $$$"""{"id":{{{(n % 90) + 1}}},"name":{{{json}}},"email":"{{{values.Email()}}}"}"""),
            "rest-list" => Get(n, "/api/v2/customers?page=1", "application/json", $$$"""[{"id":1,"name":{{{json}}},"tier":"gold"}]"""),
            "rest-post" => Post(n, "/users", "application/json", $$$"""{"name":{{{json}}}}"""),
            "rest-wrapped" => Get(n, "/api/members/" + n, "application/json", $$$"""{"data":{"id":{{{n}}},"name":{{{json}}}}}"""),
            "profile" => Get(n, "/members/" + n + "/profile", "application/json", $$$"""{"name":{{{json}}},"bio":"hiker"}"""),
            "graphql-mutation" => Post(n, "/graphql", "application/json", $$$"""{"query":"mutation CreateUser($name: String!) { createUser(name: $name) { id name } }","variables":{"name":{{{json}}}}}"""),
            "graphql-input" => Post(n, "/graphql", "application/json", $$$"""{"operationName":"Update","variables":{"input":{"name":{{{json}}}}},"query":"mutation Update($input: CustomerInput!) { updateCustomer(input: $input) { id } }"}"""),
            "soap-operation" => Post(n, "/soap", "text/xml; charset=utf-8", $"""<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><CreateCustomerRequest xmlns="urn:crm"><Name>{Xml(value)}</Name></CreateCustomerRequest></soap:Body></soap:Envelope>"""),
            "form-post" => Post(n, "/users", "application/x-www-form-urlencoded", "name=" + Uri.EscapeDataString(value) + "&plan=pro"),
            // Only person-only siblings count as evidence (an email or phone also belongs to a restaurant or a carrier).
            "siblings-birthdate" => Get(n, "/api/records/" + n, "application/json", $$$"""{"name":{{{json}}},"email":"{{{values.Email()}}}","birthDate":"1990-04-01","active":true}"""),
            // The display name of a mailbox, in any field and in text: a commit's author, a mail's From, a list of addresses.
            "mailbox-json" => Post(n, "/api/commits", "application/json", $$$"""{"message":"fix\n\nSigned-off-by: {{{Json(value + " <" + values.Email() + ">")}}}","cc":"a@b.io, {{{Json("\"" + value + "\" <" + values.Email() + ">")}}}"}"""),
            "mailbox-text" => Get(n, "/mail/4/raw", "message/rfc822", "From: " + value + " <" + values.Email() + ">\r\nSubject: Hi\r\n\r\nHello\r\n"),
            "mailbox-xml" => Get(n, "/feed.atom", "application/atom+xml", $"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><summary>by {Xml(value)} &lt;{values.Email()}&gt;</summary></entry></feed>"""),
            _ => Get(n, "/api/export", "application/json", $$$"""{"rows":[{"name":{{{json}}},"phone":"{{{values.Phone()}}}","gender":"female"}]}"""),
        };
    }

    private static Exchange PlaceBearer(string format, string value, int n)
    {
        var exchange = Get(n, "/api/me", "application/json", "{}");
        HeaderField[] headers = format switch
        {
            "authorization" => [new("Authorization", "Bearer " + value)],
            "proxy-authorization" => [new("Proxy-Authorization", "Basic " + value)],
            "cookie" => [new("Cookie", "theme=dark; session=" + value + "; lang=en")],
            "x-api-key" => [new("X-Api-Key", value)],
            "custom-token-header" => [new("X-Acme-Refresh-Token", value)],
            _ => [],
        };
        exchange = exchange with { Request = exchange.Request with { Headers = [.. headers] } };
        return format switch
        {
            "text" => Get(n, "/debug", "text/plain", $"curl -H 'Authorization: Bearer {value}' https://api.acme.test\n"),
            "json" => Post(n, "/api/proxy", "application/json", $$$"""{"forward":{"header":"Bearer {{{value}}}"}}"""),
            "set-cookie" => exchange with { Response = exchange.Response! with { Headers = [new("Set-Cookie", $"sid={value}; Path=/; HttpOnly; Secure")] } },
            _ => exchange,
        };
    }

    private static string Url(int n, string pathAndQuery) => $"https://api{n % 5}.acme.test{pathAndQuery}";

    private static Exchange Get(int n, string path, string type, string responseBody) => new()
    {
        Id = $"canary-{n:0000}",
        StartedAt = Epoch.AddSeconds(n),
        Duration = TimeSpan.FromMilliseconds(12),
        Request = new ExchangeRequest { Method = "GET", Url = Url(n, path), Headers = [new("Accept", "*/*")] },
        Response = new ExchangeResponse
        {
            Status = 200,
            Headers = [new("Content-Type", type), new("Content-Length", Encoding.UTF8.GetByteCount(responseBody).ToString(System.Globalization.CultureInfo.InvariantCulture))],
            Body = ExchangeBody.FromText(responseBody, type),
        },
    };

    private static Exchange Post(int n, string path, string type, string requestBody) => Get(n, path, "application/json", "{\"ok\":true}") with
    {
        Request = new ExchangeRequest
        {
            Method = "POST",
            Url = Url(n, path),
            Headers = [new("Content-Type", type), new("Content-Length", Encoding.UTF8.GetByteCount(requestBody).ToString(System.Globalization.CultureInfo.InvariantCulture))],
            Body = ExchangeBody.FromText(requestBody, type),
        },
    };

    private static Exchange Multipart(int n, params (string Name, string Type, string Content)[] parts)
    {
        var boundary = "----reprise" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        foreach (var (name, type, content) in parts)
        {
            sb.Append("--").Append(boundary).Append("\r\n")
              .Append("Content-Disposition: form-data; name=\"").Append(name).Append("\"\r\n")
              .Append("Content-Type: ").Append(type).Append("\r\n\r\n")
              .Append(content).Append("\r\n");
        }

        sb.Append("--").Append(boundary).Append("--\r\n");
        return Post(n, "/upload", "multipart/form-data; boundary=" + boundary, sb.ToString());
    }

    private static Exchange Compressed(Exchange exchange, string coding)
    {
        static byte[] Compress(byte[] data, string coding)
        {
            using var output = new MemoryStream();
            using (Stream stream = coding switch
            {
                "gzip" => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
                "br" => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true),
                "zstd" => new ZstdSharp.CompressionStream(output, 3, leaveOpen: true),
                _ => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true),
            })
            {
                stream.Write(data);
            }

            return output.ToArray();
        }

        ExchangeBody Wrap(ExchangeBody body) => body with { Content = Compress(body.Content.ToArray(), coding), Size = Compress(body.Content.ToArray(), coding).Length };
        ImmutableArray<HeaderField> Headers(ImmutableArray<HeaderField> headers, ExchangeBody body) =>
            headers.With("Content-Encoding", coding).With("Content-Length", body.Content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));

        if (exchange.Request.Method == "POST")
        {
            var body = Wrap(exchange.Request.Body!);
            return exchange with { Request = exchange.Request with { Body = body, Headers = Headers(exchange.Request.Headers, body) } };
        }

        var responseBody = Wrap(exchange.Response!.Body!);
        return exchange with { Response = exchange.Response with { Body = responseBody, Headers = Headers(exchange.Response.Headers, responseBody) } };
    }

    private static Exchange Truncated(Exchange exchange, long wireSize) =>
        exchange with { Response = exchange.Response! with { Body = exchange.Response.Body! with { Truncated = true, Size = wireSize } } };

    private static string Json(string value) => System.Text.Json.JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value;

    private static string Quote(string jsonEscaped) => "\"" + jsonEscaped + "\"";

    private static string Xml(string value) => System.Security.SecurityElement.Escape(value);

    private static string Pascal(string field) => field switch { "client_secret" => "ClientSecret", "customerId" => "CustomerId", "fullName" => "FullName", _ => "Password" };
}
