using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Reprise.Cli.Commands.Demo.Shop;

/// <summary>
/// Realistic, deterministic traffic for the demo shop: browsing, orders with customer PII and card
/// numbers (which redaction must mask: real-looking domains and Luhn-valid numbers, not the reserved
/// example.* domains or published test cards that the detectors rightly leave alone), reads of the
/// created orders (which replay must correlate).
/// </summary>
internal static class ShopTraffic
{
    private static readonly (string Name, string Email, string Card)[] Customers =
    [
        ("Ada Lovelace", "ada.lovelace@fastmail.com", "4539526018159083"),
        ("Grace Hopper", "grace.hopper@outlook.com", "5412301661318603"),
        ("Alan Turing", "alan.turing@protonmail.com", "4916913909960303"),
        ("Katherine Johnson", "katherine.j@gmail.com", "371482462819484"),
    ];

    /// <summary>Sends the session; returns how many requests were made.</summary>
    public static async Task<int> RunAsync(Uri shop, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = shop };
        var sent = 0;
        for (var round = 0; round < 3; round++)
        {
            await client.GetAsync("api/products", cancellationToken).ConfigureAwait(false);
            sent++;
            for (var product = 1; product <= 6; product += 2)
            {
                await client.GetAsync($"api/products/{product + round % 2}", cancellationToken).ConfigureAwait(false);
                sent++;

                // Back to the listing after each product page, as shoppers browse: the listing gets enough samples
                // (12) for its latency to be judged, so v2's slower listing shows up as a latency regression.
                await client.GetAsync("api/products", cancellationToken).ConfigureAwait(false);
                sent++;
            }

            foreach (var (customer, index) in Customers.Select((c, i) => (c, i)))
            {
                var quantity = (index + round) % 5 + 1;
                var response = await client.PostAsJsonAsync("api/orders", new JsonObject
                {
                    ["productId"] = index + 1,
                    ["quantity"] = quantity,
                    ["customer"] = new JsonObject { ["name"] = customer.Name, ["email"] = customer.Email },
                    ["card"] = new JsonObject { ["number"] = customer.Card },
                }, cancellationToken).ConfigureAwait(false);
                sent++;
                var order = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
                if (order?["orderId"]?.GetValue<string>() is { } id)
                {
                    await client.GetAsync($"api/orders/{id}", cancellationToken).ConfigureAwait(false);
                    sent++;
                }
            }
        }

        await client.GetAsync("api/products/404", cancellationToken).ConfigureAwait(false);
        return sent + 1;
    }
}
