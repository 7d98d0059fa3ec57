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
await app.StartAsync();
var address = app.Urls.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
Console.WriteLine("listening on " + address);
Console.Out.Flush();
await app.WaitForShutdownAsync();
