using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Reprise.Core.Protocols;

namespace Reprise.Mock.Serving;

/// <summary>
/// Replays a recorded 101 to a protocol other than WebSocket (<c>SPDY/3.1</c>, a custom token): the
/// capture kept the bytes after the switch raw (a tunnel), so the mock switches to the same protocol,
/// sends the recorded server bytes unchanged and reads the client until it closes or goes idle. It
/// never frames anything as WebSocket. A live request that did not ask for that protocol (or cannot be
/// upgraded) gets a 502 that says so instead of a 101 it never asked for.
/// </summary>
internal static class TunnelReplay
{
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>True when the live request can switch to <paramref name="protocol"/> (RFC 9110 §7.8: only to a protocol the client listed).</summary>
    public static bool Accepts(HttpContext context, string protocol) =>
        protocol.Length > 0
        && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
        && ProtocolClassifier.UpgradeNames(context.Request.Headers.Upgrade.ToString(), protocol);

    public static async Task ServeAsync(HttpContext context, RecordedResponse recorded, string protocol, TimeProvider time, TimeSpan idle)
    {
        if (!Accepts(context, protocol))
        {
            var reason = System.Text.Json.JsonSerializer.Serialize<string>($"reprise mock: the recorded response switched protocols to '{protocol}' (101), which this request did not ask for or cannot upgrade to; the mock replays such a tunnel only to a client that asks for the same protocol", Relaxed);
            var body = System.Text.Encoding.UTF8.GetBytes($$"""{"error":{{reason}}}""");
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var headers = context.Response.Headers;
        foreach (var header in recorded.Headers)
        {
            headers.Append(header.Name, header.Value);
        }

        headers.Connection = "Upgrade";
        headers.Upgrade = protocol;
        var stream = await context.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync().ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(recorded.Body, context.RequestAborted).ConfigureAwait(false);
            await stream.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            await ReadUntilClosedAsync(stream, time, idle, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Reads (and drops) what the client sends on an upgraded stream until it closes, goes idle for <paramref name="idle"/> or aborts.</summary>
    public static async Task ReadUntilClosedAsync(Stream stream, TimeProvider time, TimeSpan idle, CancellationToken cancellationToken)
    {
        using var idleCts = new CancellationTokenSource(idle, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(idleCts.Token, cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (await stream.ReadAsync(buffer, linked.Token).ConfigureAwait(false) > 0)
            {
                idleCts.CancelAfter(idle);
            }
        }
        catch (OperationCanceledException)
        {
            // Idle or client gone: the session is over.
        }
        catch (IOException)
        {
            // The client dropped the connection.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
