using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Testing;

namespace Reprise.Replay.Tests.Support;

/// <summary>A Kestrel target that records every request it receives (server-side arrival time, method, path, headers, body).</summary>
internal sealed class CountingTarget : IAsyncDisposable
{
    private readonly TestKestrel _server;

    private CountingTarget(TestKestrel server, ConcurrentQueue<Arrival> arrivals)
    {
        _server = server;
        Arrivals = arrivals;
    }

    public ConcurrentQueue<Arrival> Arrivals { get; }

    public Uri Address => _server.Address;

    public int Count => Arrivals.Count;

    /// <summary>Starts a target; <paramref name="map"/> adds app-specific endpoints, the rest answer 200 with a small JSON body.</summary>
    public static async Task<CountingTarget> StartAsync(Action<WebApplication>? map = null)
    {
        var arrivals = new ConcurrentQueue<Arrival>();
        var server = await TestKestrel.StartAsync(app =>
        {
            app.Use(async (context, next) =>
            {
                var stamp = Stopwatch.GetTimestamp();
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync(context.RequestAborted);
                context.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));
                arrivals.Enqueue(new Arrival(stamp, context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
                await next(context);
            });
            map?.Invoke(app);
            app.MapFallback(async context =>
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"ok\":true}");
            });
        });
        return new CountingTarget(server, arrivals);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

internal sealed record Arrival(long Timestamp, string Method, string PathAndQuery, Dictionary<string, string> Headers, string Body)
{
    public TimeSpan Since(long start) => Stopwatch.GetElapsedTime(start, Timestamp);
}
