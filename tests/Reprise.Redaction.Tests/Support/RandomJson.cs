using System.Text.Json.Nodes;
using Reprise.Redaction.Tests.Corpus;

namespace Reprise.Redaction.Tests.Support;

/// <summary>Random JSON documents from a seed (CsCheck drives the seeds): nested objects and arrays, plain values and planted personal data.</summary>
public static class RandomJson
{
    private static readonly string[] Keys = ["id", "name", "email", "items", "user", "customer", "card", "ssn", "note", "password", "total", "tags", "address", "phone", "client_secret", "sku", "created_at", "data", "a", "b"];

    public static JsonNode Build(int seed, int maxDepth = 4, bool withSecrets = true)
    {
        var random = new Random(seed);
        var values = new CanaryValues(seed);
        return Node(random, values, maxDepth, withSecrets) ?? new JsonObject();
    }

    private static JsonNode? Node(Random random, CanaryValues values, int depth, bool secrets)
    {
        var choice = depth <= 0 ? random.Next(6) : random.Next(9);
        switch (choice)
        {
            case 0: return JsonValue.Create(random.Next(-1000, 100000));
            case 1: return JsonValue.Create(Math.Round(random.NextDouble() * 1000, 2));
            case 2: return JsonValue.Create(random.Next(2) == 0);
            case 3: return null;
            case 4 or 5:
                if (!secrets || random.Next(3) == 0)
                {
                    return JsonValue.Create(Plain(random));
                }

                return JsonValue.Create(random.Next(9) switch
                {
                    0 => values.Email(),
                    1 => values.Card(),
                    2 => values.Ssn(),
                    3 => values.Jwt(),
                    4 => values.ApiKey(),
                    5 => values.Phone(),
                    6 => values.Ipv4(),
                    7 => "contact " + values.Email() + " or " + values.Phone(),
                    _ => values.Iban(),
                });
            case 6 or 7:
                var obj = new JsonObject();
                var count = random.Next(0, 5);
                for (var i = 0; i < count; i++)
                {
                    var key = Keys[random.Next(Keys.Length)];
                    if (!obj.ContainsKey(key))
                    {
                        obj[key] = Node(random, values, depth - 1, secrets);
                    }
                }

                return obj;
            default:
                var array = new JsonArray();
                var length = random.Next(0, 4);
                for (var i = 0; i < length; i++)
                {
                    array.Add(Node(random, values, depth - 1, secrets));
                }

                return array;
        }
    }

    private static string Plain(Random random) => random.Next(5) switch
    {
        0 => "widget",
        1 => "2026-03-0" + random.Next(1, 9) + "T10:00:00Z",
        2 => "SKU-" + random.Next(1000, 9999),
        3 => string.Empty,
        _ => "in stock \"quoted\" \\ back\nslash é",
    };
}
