using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Sample;

/// <summary>
/// A small REST + SOAP + text service on real Kestrel, with the volatile fields real services have
/// (timestamps, UUIDs, random tokens, a per-process counter, Date/ETag/X-Request-Id headers) and the
/// seeded regressions of <see cref="Regression"/>. Reports a processing time in Server-Timing that is not measured
/// but set: a fixed sub-millisecond base with a little spread, plus the delay a regression injects. Latency assertions
/// then do not depend on the load of the machine running the tests (measured in-process, a GC pause or a descheduled
/// thread still added 5-20 ms to a few requests of one run and not the other, enough to move a p95 of 60 samples).
/// </summary>
public static class SampleService
{
    private const string InjectedMs = "sample.injectedMs";

    /// <param name="regressions">The seeded regressions.</param>
    /// <param name="perProcessField">Adds <c>instance</c> to GET /api/products: a label chosen once per process
    /// (like a host name), invisible to identical-request learning, visible to a second baseline run.</param>
    public static Task<TestKestrel> StartAsync(Regression regressions, bool perProcessField = false) => TestKestrel.StartAsync(app =>
    {
        var instance = "node-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(2)).ToLowerInvariant();
        var counter = 0;
        var searches = 0;
        var checkouts = 0;
        var timed = 0;
        app.Use(async (context, next) =>
        {
            var n = Interlocked.Increment(ref timed);
            context.Response.OnStarting(() =>
            {
                var ms = 0.2 + (n % 10 * 0.05) + (context.Items.TryGetValue(InjectedMs, out var injected) ? (double)injected! : 0);
                context.Response.Headers["Server-Timing"] = "app;dur=" + ms.ToString("0.###", CultureInfo.InvariantCulture);
                context.Response.Headers["X-Request-Id"] = Guid.NewGuid().ToString();
                context.Response.Headers.ETag = "\"" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)) + "\"";
                return Task.CompletedTask;
            });
            await next(context);
        });

        object Volatile() => new
        {
            generatedAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            traceId = Guid.NewGuid().ToString(),
            nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)),
            served = Interlocked.Increment(ref counter),
        };

        app.MapGet("/api/products/{id:int}", (int id) => Results.Json(new
        {
            id,
            name = "Product " + id,
            price = regressions.HasFlag(Regression.ChangedField) ? 10.5m + id + 1 : 10.5m + id,
            tags = new[] { "a", "b" },
            meta = Volatile(),
            instance = perProcessField ? instance : null,
        }));
        app.MapGet("/api/users/{id:int}", (int id) => regressions.HasFlag(Regression.RemovedField)
            ? Results.Json(new { id, name = "User " + id, meta = Volatile() })
            : Results.Json(new { id, name = "User " + id, email = $"user{id}@example.test", meta = Volatile() }));
        app.MapGet("/api/orders/{id:int}", (int id) => regressions.HasFlag(Regression.StatusChange) && id % 3 == 0
            ? Results.Json(new { error = "not found" }, statusCode: 404)
            : Results.Json(new { id, total = id * 3, lines = new[] { new { sku = "s" + id, qty = 1 } } }));
        app.MapGet("/api/search", async (string q, HttpContext context) =>
        {
            var n = Interlocked.Increment(ref searches);
            if (regressions.HasFlag(Regression.SlowP95) && n % 5 == 0)
            {
                await Task.Delay(50);
                context.Items[InjectedMs] = 50.0;
            }

            return Results.Json(new { q, hits = new[] { q + "-1", q + "-2" } });
        });
        app.MapPost("/api/checkout", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var n = Interlocked.Increment(ref checkouts);
            if (regressions.HasFlag(Regression.NewErrors) && n % 4 == 0)
            {
                return Results.Json(new { error = "internal" }, statusCode: 500);
            }

            return Results.Json(new { accepted = true, orderId = Guid.NewGuid(), echo = body.Length });
        });
        app.MapPost("/soap", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            _ = await reader.ReadToEndAsync();
            return Results.Text(
                $"""<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetStockResponse><Item sku="A1"><Qty>4</Qty></Item><Item sku="B2"><Qty>9</Qty></Item><Stamp>{DateTimeOffset.UtcNow:O}</Stamp></GetStockResponse></soap:Body></soap:Envelope>""",
                "text/xml; charset=utf-8");
        });
        app.MapGet("/api/report.txt", () => Results.Text("report\nline two\nline three\n", "text/plain"));
    });

    /// <summary>The deterministic workload the tests record: 60 rounds over the seven endpoints (identical requests repeat).</summary>
    public static IEnumerable<(string Method, string PathAndQuery, string? Body, string? ContentType)> Workload(int rounds = 60)
    {
        for (var i = 0; i < rounds; i++)
        {
            yield return ("GET", $"/api/products/{i % 5}", null, null);
            yield return ("GET", $"/api/users/{i % 4}", null, null);
            yield return ("GET", $"/api/orders/{i % 6}", null, null);
            yield return ("GET", $"/api/search?q=w{i % 3}", null, null);
            yield return ("POST", "/api/checkout", $$"""{"item":{{i % 3}}}""", "application/json");
            yield return ("POST", "/soap", """<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetStock/></soap:Body></soap:Envelope>""", "text/xml");
            yield return ("GET", "/api/report.txt", null, null);
        }
    }
}
