using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Reprise.Cli.Commands.Demo.Shop;

/// <summary>
/// The demo's third-party dependency: a card-payments API (think Stripe). It issues random charge ids
/// and timestamps, so mocks must replay it and diffs must treat those as noise.
/// </summary>
internal static class PaymentsApp
{
    public static async Task<WebApplication> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var charges = new ConcurrentDictionary<string, JsonObject>();
        app.MapPost("/v1/charges", async (HttpContext context) =>
        {
            var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
            var amount = request?["amount"]?.GetValue<decimal>() ?? 0;
            var card = request?["card"]?["number"]?.GetValue<string>() ?? string.Empty;
            var id = "ch_" + Guid.NewGuid().ToString("N")[..16];
            var declined = card.EndsWith("0002", StringComparison.Ordinal);
            var charge = new JsonObject
            {
                ["id"] = id,
                ["amount"] = amount,
                ["currency"] = request?["currency"]?.GetValue<string>() ?? "eur",
                ["status"] = declined ? "declined" : "succeeded",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["card_last4"] = card.Length >= 4 ? card[^4..] : card,
            };
            charges[id] = charge;
            return Results.Json(charge, statusCode: declined ? 402 : 201);
        });
        app.MapGet("/v1/charges/{id}", (string id) => charges.TryGetValue(id, out var charge) ? Results.Json(charge) : Results.NotFound());
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }

    public static string Url(this WebApplication app) =>
        app.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');

}
