// Usage: BenchUpstream URL   (e.g. http://127.0.0.1:18080). Serves GET /api/items/{id} with a ~100-byte JSON body.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(args.Length > 0 ? args[0] : "http://127.0.0.1:18080");
var app = builder.Build();
app.MapGet("/api/items/{id}", (int id) => Results.Json(new Item(id, "item-" + id, 19.99m, true), BenchJson.Default.Item));
app.MapGet("/_health", () => "ok");
await app.RunAsync();

internal sealed record Item(int Id, string Name, decimal Price, bool InStock);

[System.Text.Json.Serialization.JsonSerializable(typeof(Item))]
internal sealed partial class BenchJson : System.Text.Json.Serialization.JsonSerializerContext;
