using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Testing;

namespace Reprise.Replay.Tests.Http;

/// <summary>Targets for the transport tests: a Kestrel app with every framing case, and a bare socket server that drops idle keep-alive connections.</summary>
internal static class RawTargets
{
    public const string GzipText = "compressed body, decoded when kept ";

    public static readonly byte[] Large = Enumerable.Range(0, 300_000).Select(i => (byte)('a' + (i % 26))).ToArray();

    public static Task<TestKestrel> StartKestrelAsync(System.Collections.Concurrent.ConcurrentBag<string>? connections = null) => TestKestrel.StartAsync(app =>
    {
        app.Use(async (context, next) =>
        {
            connections?.Add(context.Connection.Id);
            await next(context);
        });
        app.MapGet("/json", () => Microsoft.AspNetCore.Http.Results.Json(new { hello = "world", n = 42 }));
        app.MapGet("/chunked", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain";
            foreach (var part in new[] { "one,", "two,", "three" })
            {
                await context.Response.WriteAsync(part);
                await context.Response.Body.FlushAsync();
            }
        });
        app.Map("/large", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = Large.Length;
            await context.Response.Body.WriteAsync(Large);
        });
        app.MapGet("/large-chunked", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/octet-stream";
            for (var offset = 0; offset < Large.Length; offset += 7000)
            {
                await context.Response.Body.WriteAsync(Large.AsMemory(offset, Math.Min(7000, Large.Length - offset)));
                await context.Response.Body.FlushAsync();
            }
        });
        app.MapGet("/nocontent", () => Microsoft.AspNetCore.Http.Results.NoContent());
        app.MapGet("/notmodified", (HttpContext context) =>
        {
            context.Response.Headers.ETag = "\"v1\"";
            return Microsoft.AspNetCore.Http.Results.StatusCode(304);
        });
        app.MapPost("/echo", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("echo:" + body);
        });
        app.MapGet("/close", async (HttpContext context) =>
        {
            context.Response.Headers.Connection = "close";
            await context.Response.WriteAsync("bye");
        });
        app.MapGet("/slow", async (HttpContext context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
            await context.Response.WriteAsync("late");
        });
        app.MapGet("/deflate/{framing}", async (HttpContext context, string framing) =>
        {
            // "deflate" on the wire: zlib-wrapped as RFC 9110 says, or raw as some servers send it.
            using var compressed = new MemoryStream();
            await using (Stream deflate = framing == "zlib" ? new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true) : new DeflateStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                await deflate.WriteAsync(Encoding.ASCII.GetBytes(GzipText + framing));
            }

            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.Headers.ContentEncoding = "deflate";
            context.Response.ContentLength = compressed.Length;
            await context.Response.Body.WriteAsync(compressed.ToArray());
        });
        app.MapGet("/accept-encoding", async (HttpContext context) =>
        {
            // Echoes the Accept-Encoding the request carried, gzip-compressed when it asked for gzip.
            var asked = context.Request.Headers.AcceptEncoding.ToString();
            var text = Encoding.ASCII.GetBytes("asked:" + (asked.Length == 0 ? "(none)" : asked));
            context.Response.ContentType = "text/plain; charset=utf-8";
            if (!asked.Contains("gzip", StringComparison.Ordinal))
            {
                await context.Response.Body.WriteAsync(text);
                return;
            }

            using var compressed = new MemoryStream();
            await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                await gzip.WriteAsync(text);
            }

            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentLength = compressed.Length;
            await context.Response.Body.WriteAsync(compressed.ToArray());
        });
        app.MapGet("/gzip", async (HttpContext context) =>
        {
            using var compressed = new MemoryStream();
            await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                for (var i = 0; i < 200; i++)
                {
                    await gzip.WriteAsync(Encoding.ASCII.GetBytes(GzipText));
                }
            }

            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentLength = compressed.Length;
            await context.Response.Body.WriteAsync(compressed.ToArray());
        });
    });

    /// <summary>
    /// A bare HTTP/1.1 server that answers each request with 200 "ok" (keep-alive, no Connection: close) and then
    /// closes the connection shortly after, as a server does with an idle keep-alive connection.
    /// </summary>
    public sealed class IdleClosingServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _connections;

        public IdleClosingServer()
        {
            _listener.Start();
            _loop = AcceptAsync();
        }

        public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

        public int Connections => Volatile.Read(ref _connections);

        private async Task AcceptAsync()
        {
            var handlers = new List<Task>();
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    handlers.Add(HandleAsync(socket));
                }
            }
            catch (OperationCanceledException)
            {
            }

            await Task.WhenAll(handlers);
        }

        private async Task HandleAsync(Socket socket)
        {
            using (socket)
            {
                var buffer = new byte[8192];
                var received = 0;
                while (received < buffer.Length)
                {
                    var n = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None);
                    if (n == 0)
                    {
                        return;
                    }

                    received += n;
                    if (buffer.AsSpan(0, received).IndexOf("\r\n\r\n"u8) >= 0)
                    {
                        break;
                    }
                }

                await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray(), SocketFlags.None);
                await Task.Delay(50);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop;
            _stop.Dispose();
        }
    }
}
