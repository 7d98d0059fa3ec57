using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Reprise.Cli.Commands.Demo.Shop;

/// <summary>
/// The demo's service under test: a small shop API that calls the payments dependency for every
/// order. Version 2 carries the seeded regressions the demo's diff must catch: a renamed field,
/// a slower product list, and a 500 for large orders.
/// </summary>
internal static class ShopApp
{
    private static readonly (int Id, string Name, decimal Price)[] Catalog =
    [
        (1, "Espresso beans 1kg", 24.90m), (2, "Pour-over kettle", 59.00m), (3, "Ceramic mug", 12.50m),
        (4, "Milk frother", 39.99m), (5, "Paper filters x100", 4.95m), (6, "Burr grinder", 129.00m),
    ];

    /// <param name="version">1 = the recorded build; 2 = the new build with regressions.</param>
    /// <param name="paymentsUrl">Base URL of the payments API (or of a mock standing in for it).</param>
    /// <param name="proxy">Forward proxy for outbound calls (the recorder's or the mock's), or null.</param>
    /// <param name="time">Clock for timestamps and the seeded delay.</param>
    /// <param name="cancellationToken">Stops start-up.</param>
    public static async Task<WebApplication> StartAsync(int version, string paymentsUrl, IWebProxy? proxy, TimeProvider time, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var handler = new SocketsHttpHandler { UseProxy = proxy is not null, Proxy = proxy };
        var payments = new HttpClient(handler) { BaseAddress = new Uri(paymentsUrl + "/") };
        var orders = new ConcurrentDictionary<string, JsonObject>();

        app.MapGet("/api/products", async (HttpContext context) =>
        {
            if (version >= 2)
            {
                // Regression 1: an N+1 query slipped in.
                await Task.Delay(TimeSpan.FromMilliseconds(60), time, context.RequestAborted).ConfigureAwait(false);
            }

            return Results.Json(new JsonObject { ["items"] = new JsonArray([.. Catalog.Select(p => Product(p, version))]), ["total"] = Catalog.Length });
        });
        app.MapGet("/api/products/{id:int}", (int id) =>
        {
            var product = Catalog.FirstOrDefault(p => p.Id == id);
            return product.Id == 0
                ? Results.Json(new JsonObject { ["error"] = "not_found", ["message"] = $"product {id} does not exist" }, statusCode: 404)
                : Results.Json(Product(product, version));
        });
        app.MapPost("/api/orders", async (HttpContext context) =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
            var productId = body?["productId"]?.GetValue<int>() ?? 0;
            var quantity = body?["quantity"]?.GetValue<int>() ?? 1;
            var product = Catalog.FirstOrDefault(p => p.Id == productId);
            if (product.Id == 0)
            {
                return Results.Json(new JsonObject { ["error"] = "unknown_product" }, statusCode: 400);
            }

            if (version >= 2 && quantity > 3)
            {
                // Regression 2: a new stock check throws for bulk orders.
                return Results.Json(new JsonObject { ["error"] = "internal", ["message"] = "stock service: index out of range" }, statusCode: 500);
            }

            var total = product.Price * quantity;
            using var chargeRequest = new HttpRequestMessage(HttpMethod.Post, "v1/charges");
            if (context.Request.Headers.TryGetValue("traceparent", out var traceparent))
            {
                // Propagate the trace, as an OpenTelemetry-instrumented service would.
                chargeRequest.Headers.TryAddWithoutValidation("traceparent", traceparent.ToString());
            }

            chargeRequest.Content = JsonContent.Create(new JsonObject
            {
                ["amount"] = total,
                ["currency"] = "eur",
                ["card"] = new JsonObject { ["number"] = body?["card"]?["number"]?.GetValue<string>() },
                ["email"] = body?["customer"]?["email"]?.GetValue<string>(),
            });
            using var charge = await payments.SendAsync(chargeRequest, context.RequestAborted).ConfigureAwait(false);
            var chargeBody = await charge.Content.ReadFromJsonAsync<JsonObject>(context.RequestAborted).ConfigureAwait(false);
            var order = new JsonObject
            {
                ["orderId"] = Guid.NewGuid().ToString(),
                ["status"] = charge.IsSuccessStatusCode ? "confirmed" : "payment_failed",
                ["total"] = total,
                ["chargeId"] = chargeBody?["id"]?.GetValue<string>(),
                ["createdAt"] = time.GetUtcNow().ToString("O"),
                ["customer"] = body?["customer"]?.DeepClone(),
            };
            orders[order["orderId"]!.GetValue<string>()] = order;
            return Results.Json(order, statusCode: charge.IsSuccessStatusCode ? 201 : 402);
        });
        app.MapGet("/api/orders/{id}", (string id) => orders.TryGetValue(id, out var order) ? Results.Json(order) : Results.Json(new JsonObject { ["error"] = "not_found" }, statusCode: 404));
        app.Lifetime.ApplicationStopped.Register(() => payments.Dispose());
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }

    private static JsonObject Product((int Id, string Name, decimal Price) p, int version) => version >= 2
        ? new JsonObject { ["id"] = p.Id, ["name"] = p.Name, ["unitPrice"] = p.Price } // Regression 3: renamed field
        : new JsonObject { ["id"] = p.Id, ["name"] = p.Name, ["price"] = p.Price };
}
