using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Reprise.Proxy.Connections;

/// <summary>
/// Lets one cleartext listener serve both HTTP/1.1 and HTTP/2 with prior knowledge (h2c, what gRPC
/// clients use without TLS). Kestrel picks HTTP/1.1 for every cleartext connection on an
/// Http1AndHttp2 endpoint because there is no ALPN; this middleware peeks at the first bytes and,
/// when they are the HTTP/2 connection preface (RFC 9113 section 3.4), tells Kestrel "h2" the way TLS
/// ALPN would.
/// </summary>
public static class CleartextHttp2ListenOptionsExtensions
{
    /// <summary>Adds h2c prior-knowledge detection; set <c>Protocols = Http1AndHttp2</c> on the listener.</summary>
    /// <remarks>
    /// Kestrel only honours the negotiated protocol when a TLS connection feature is present, so the
    /// connection carries <see cref="CleartextHttp2Feature"/>, which reports no certificate; with
    /// <c>AllowAlternateSchemes</c> set, <c>Request.Scheme</c> still comes from the request's <c>:scheme</c>; use <see cref="IsCleartextHttp2"/> to tell.
    /// </remarks>
    public static ListenOptions UseCleartextHttp2Detection(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);

        // h2c requests carry :scheme http while the connection now looks like TLS; let Kestrel take :scheme as given.
        listenOptions.KestrelServerOptions.AllowAlternateSchemes = true;
        listenOptions.Use(next => async connection =>
        {
            if (await StartsWithPrefaceAsync(connection.Transport.Input, connection.ConnectionClosed).ConfigureAwait(false))
            {
                CleartextHttp2Feature.Attach(connection.Features);
            }

            await next(connection).ConfigureAwait(false);
        });
        return listenOptions;
    }

    /// <summary>True when the request arrived on a connection detected as h2c prior knowledge.</summary>
    public static bool IsCleartextHttp2(this Microsoft.AspNetCore.Http.HttpContext context) =>
        context?.Features.Get<CleartextHttp2Feature>() is not null;

    internal static async ValueTask<bool> StartsWithPrefaceAsync(PipeReader input, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                var verdict = Compare(buffer);
                if (verdict is not null || result.IsCompleted || result.IsCanceled)
                {
                    input.AdvanceTo(buffer.Start);
                    return verdict == true;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away (or reset) before sending anything: let Kestrel close it quietly.
            return false;
        }
    }

    /// <summary>True: the whole preface is there; false: it cannot be a preface; null: need more bytes.</summary>
    private static bool? Compare(ReadOnlySequence<byte> buffer)
    {
        var length = (int)Math.Min(buffer.Length, CleartextHttp2Feature.Preface.Length);
        Span<byte> head = stackalloc byte[24];
        buffer.Slice(0, length).CopyTo(head);
        if (!CleartextHttp2Feature.Preface.StartsWith(head[..length]))
        {
            return false;
        }

        return length == CleartextHttp2Feature.Preface.Length ? true : null;
    }
}
