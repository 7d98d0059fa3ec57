using Microsoft.AspNetCore.Server.Kestrel.Core;

// Tiny, fixed-cost target for load-tool comparisons. First stdout line: "listening on http://127.0.0.1:PORT".
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.Listen(System.Net.IPAddress.Loopback, int.Parse(Environment.GetEnvironmentVariable("PORT") ?? "0", System.Globalization.CultureInfo.InvariantCulture), o => o.Protocols = HttpProtocols.Http1);
});
var app = builder.Build();
var body = "{\"hello\":\"world\",\"n\":42}\n"u8.ToArray();
app.MapGet("/hello", (HttpContext context) =>
{
    context.Response.ContentType = "application/json";
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body).AsTask();
});
app.MapGet("/_reprise/health", () => "ok");

// A tiny stateful API for the correlation walkthrough in docs/replay.md: ids are issued by the server.
var orders = new System.Collections.Concurrent.ConcurrentDictionary<int, string>();
var nextId = 5000;
app.MapPost("/orders", (HttpContext context) =>
{
    var id = Interlocked.Increment(ref nextId);
    orders[id] = "open";
    context.Response.Headers.Location = $"/orders/{id}";
    return Results.Json(new { id, status = "open" }, statusCode: 201);
});
app.MapGet("/orders/{id:int}", (int id) => orders.TryGetValue(id, out var status) ? Results.Json(new { id, status }) : Results.NotFound());
app.MapPost("/orders/{id:int}/pay", (int id) => orders.TryUpdate(id, "paid", "open") ? Results.Json(new { id, status = "paid" }) : Results.Conflict());
await app.StartAsync();
var address = app.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
Console.WriteLine("listening on " + address);
Console.Out.Flush();
await app.WaitForShutdownAsync();
