// Bare Kestrel baseline: the least any .NET HTTP mock can do per request (same body, same headers
// count order of magnitude as the mock's answer). Usage: Bare PORT BODY_FILE CONTENT_TYPE
var body = await File.ReadAllBytesAsync(args[1]);
var contentType = args[2];
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.Listen(System.Net.IPAddress.Loopback, int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture));
});
var app = builder.Build();
app.Run(async context =>
{
    context.Response.ContentType = contentType;
    context.Response.ContentLength = body.Length;
    await context.Response.Body.WriteAsync(body);
});
Console.WriteLine("ready");
await app.RunAsync();
