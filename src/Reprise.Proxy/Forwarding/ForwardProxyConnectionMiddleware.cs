using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace Reprise.Proxy.Forwarding;

/// <summary>
/// Kestrel connection middleware behind <see cref="ForwardProxyListenOptionsExtensions.UseForwardProxy"/>:
/// answers CONNECT, then intercepts TLS (replacing the transport with a pipe over an SslStream, so the
/// decrypted requests flow into Kestrel's HTTP/1.1 or HTTP/2 handling) or relays bytes blindly.
/// </summary>
internal sealed class ForwardProxyConnectionMiddleware(ConnectionDelegate next, ForwardProxyOptions options, ILogger logger)
{
    private static readonly byte[] Established = "HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray();
    private static readonly List<SslApplicationProtocol> H2AndHttp11 = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];
    private static readonly List<SslApplicationProtocol> Http11Only = [SslApplicationProtocol.Http11];

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        try
        {
            await HandleAsync(connection).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // A client that resets or abandons the connection (probes, cancelled CONNECTs) is routine:
            // no stack trace in the log.
            ProxyLog.ClientGone(logger, ex is IOException ? "reset" : "aborted");
        }
    }

    private async Task HandleAsync(ConnectionContext connection)
    {
        var transport = connection.Transport;
        ConnectHeadReader.Outcome outcome;
        ProxyTarget target;
        string? error;
        using (var headTimeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            headTimeout.CancelAfter(options.HandshakeTimeout);
            try
            {
                (outcome, target, error) = await ConnectHeadReader.ReadAsync(transport.Input, headTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        switch (outcome)
        {
            case ConnectHeadReader.Outcome.NotConnect:
                await next(connection).ConfigureAwait(false);
                return;
            case ConnectHeadReader.Outcome.Closed:
                return;
            case ConnectHeadReader.Outcome.Bad:
                ProxyLog.BadConnect(logger, error!);
                await WriteStatusAsync(transport.Output, "400 Bad Request", error!, connection.ConnectionClosed).ConfigureAwait(false);
                return;
        }

        if (options.Certificates is null || options.IsNoIntercept(target.Host))
        {
            ProxyLog.Connect(logger, target.Authority, "tunnel");
            await TunnelAsync(connection, target, established: false).ConfigureAwait(false);
            return;
        }

        await transport.Output.WriteAsync(Established, connection.ConnectionClosed).ConfigureAwait(false);
        TunnelSniffer.Kind kind;
        using (var firstBytes = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            // A client silent after CONNECT waits for a server that speaks first (SMTP, FTP, MySQL): once the
            // sniff window passes, relay it blindly rather than hold or drop it.
            firstBytes.CancelAfter(options.SniffTimeout);
            kind = await SniffAsync(transport.Input, firstBytes.Token).ConfigureAwait(false);
            if (kind == TunnelSniffer.Kind.NeedMore && !connection.ConnectionClosed.IsCancellationRequested)
            {
                kind = TunnelSniffer.Kind.Other;
            }
        }

        switch (kind)
        {
            case TunnelSniffer.Kind.Tls:
                ProxyLog.Connect(logger, target.Authority, "intercept");
                await InterceptAsync(connection, target).ConfigureAwait(false);
                return;
            case TunnelSniffer.Kind.Http2:
                // h2c with prior knowledge (e.g. gRPC without TLS): Kestrel serves HTTP/2 when the
                // connection reports "h2" the way ALPN would (see CleartextHttp2ListenOptionsExtensions).
                ProxyLog.Connect(logger, target.Authority, "h2c");
                Connections.CleartextHttp2Feature.Attach(connection.Features);
                connection.Features.Set<IProxyTargetFeature>(new ProxyTargetFeature(target with { Scheme = "http" }, ProxyConnectionMode.PlainTunnel, null));
                await next(connection).ConfigureAwait(false);
                return;
            case TunnelSniffer.Kind.Http1:
                ProxyLog.Connect(logger, target.Authority, "plain");
                connection.Features.Set<IProxyTargetFeature>(new ProxyTargetFeature(target with { Scheme = "http" }, ProxyConnectionMode.PlainTunnel, null));
                await next(connection).ConfigureAwait(false);
                return;
            case TunnelSniffer.Kind.Other:
                // Not TLS and not HTTP, or silent: nothing Reprise can decode, so relay it untouched (the bytes read so far included).
                ProxyLog.Connect(logger, target.Authority, "tunnel");
                await TunnelAsync(connection, target, established: true).ConfigureAwait(false);
                return;
            default:
                return; // closed before saying anything
        }
    }

    /// <summary>Reads until the first bytes decide what the tunnel carries; nothing is consumed.</summary>
    private static async Task<TunnelSniffer.Kind> SniffAsync(PipeReader input, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                var kind = TunnelSniffer.Classify(result.Buffer);
                if (kind != TunnelSniffer.Kind.NeedMore || result.IsCompleted || result.IsCanceled)
                {
                    input.AdvanceTo(result.Buffer.Start);
                    return kind == TunnelSniffer.Kind.NeedMore && !result.Buffer.IsEmpty ? TunnelSniffer.Kind.Other : kind;
                }

                input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            return TunnelSniffer.Kind.NeedMore;
        }
    }

    private async Task InterceptAsync(ConnectionContext connection, ProxyTarget target)
    {
        var original = connection.Transport;
        var ssl = new SslStream(new DuplexStream(original.Input.AsStream(leaveOpen: true), original.Output.AsStream(leaveOpen: true)), leaveInnerStreamOpen: false);
        string? serverName = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
            timeout.CancelAfter(options.HandshakeTimeout);
            await ssl.AuthenticateAsServerAsync(
                (_, hello, _, _) =>
                {
                    serverName = string.IsNullOrEmpty(hello.ServerName) ? null : hello.ServerName;
                    return ValueTask.FromResult(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = options.Certificates!.Get(serverName ?? target.Host),
                        ApplicationProtocols = options.AllowHttp2 ? H2AndHttp11 : Http11Only,
                        ClientCertificateRequired = false,
                        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    });
                },
                null,
                timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            // ArgumentException / CryptographicException: no leaf could be made for this name (odd SNI).
            ProxyLog.HandshakeFailed(logger, serverName ?? target.Host, ex.Message);
            await ssl.DisposeAsync().ConfigureAwait(false);
            return;
        }

        var decrypted = new DuplexPipe(
            PipeReader.Create(ssl, new StreamPipeReaderOptions(leaveOpen: true)),
            PipeWriter.Create(ssl, new StreamPipeWriterOptions(leaveOpen: true)));
        var tls = new TlsFeatures(ssl);
        connection.Features.Set<ITlsConnectionFeature>(tls);
        connection.Features.Set<ITlsApplicationProtocolFeature>(tls);
        connection.Features.Set<ITlsHandshakeFeature>(tls);
        connection.Features.Set<IProxyTargetFeature>(new ProxyTargetFeature(target, ProxyConnectionMode.InterceptedTls, serverName));
        connection.Transport = decrypted;
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            await decrypted.Input.CompleteAsync().ConfigureAwait(false);
            await decrypted.Output.CompleteAsync().ConfigureAwait(false);
            connection.Transport = original;
            await ssl.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Relays a tunnel blindly; when <paramref name="established"/> the client already got "200 Connection established" (a sniffed tunnel), so a failed connect can only close it.</summary>
    private async Task TunnelAsync(ConnectionContext connection, ProxyTarget target, bool established)
    {
        var started = options.TimeProvider.GetTimestamp();
        var startedAt = options.TimeProvider.GetUtcNow();
        var transport = connection.Transport;
        Stream upstream;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
            timeout.CancelAfter(options.ConnectTimeout);
            upstream = await (options.TunnelConnector ?? ConnectTcpAsync)(target, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            var reason = ex is OperationCanceledException ? $"no connection within {options.ConnectTimeout.TotalSeconds:0.#}s" : ex.Message;
            ProxyLog.TunnelFailed(logger, target.Authority, reason);
            if (!established)
            {
                await WriteStatusAsync(transport.Output, "502 Bad Gateway", $"reprise: cannot connect to {target.Authority}: {reason}", connection.ConnectionClosed).ConfigureAwait(false);
            }

            await ReportAsync(new TunnelSummary(target, startedAt, options.TimeProvider.GetElapsedTime(started), 0, 0, reason)).ConfigureAwait(false);
            return;
        }

        long fromClient = 0, fromTarget = 0;
        await using (upstream.ConfigureAwait(false))
        {
            if (!established)
            {
                await transport.Output.WriteAsync(Established, connection.ConnectionClosed).ConfigureAwait(false);
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
            var up = PumpToStreamAsync(transport.Input, upstream, n => fromClient += n, stop.Token);
            var down = PumpToPipeAsync(upstream, transport.Output, n => fromTarget += n, stop.Token);
            await Task.WhenAny(up, down).ConfigureAwait(false);
            if (down.IsCompleted)
            {
                // The target closed: nothing more can come back, so stop reading the client.
                await stop.CancelAsync().ConfigureAwait(false);
                transport.Input.CancelPendingRead();
            }

            await Task.WhenAll(Quiet(up), Quiet(down)).ConfigureAwait(false);
        }

        await ReportAsync(new TunnelSummary(target, startedAt, options.TimeProvider.GetElapsedTime(started), fromClient, fromTarget, null)).ConfigureAwait(false);
    }

    private ValueTask ReportAsync(TunnelSummary summary) => options.TunnelClosed?.Invoke(summary) ?? ValueTask.CompletedTask;

    private static async Task PumpToStreamAsync(PipeReader input, Stream output, Action<long> count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            foreach (var segment in result.Buffer)
            {
                await output.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
            }

            count(result.Buffer.Length);
            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                break;
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        // Half-close towards the target so it sees the client's end of stream.
        if (output is NetworkStream network)
        {
            network.Socket.Shutdown(SocketShutdown.Send);
        }
    }

    private static async Task PumpToPipeAsync(Stream input, PipeWriter output, Action<long> count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var memory = output.GetMemory(16 * 1024);
            var read = await input.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            output.Advance(read);
            count(read);
            var flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (flush.IsCompleted)
            {
                break;
            }
        }
    }

    private static async Task Quiet(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // A peer closing mid-copy ends the tunnel; nothing to report beyond the byte counts.
        }
    }

    private static async ValueTask<Stream> ConnectTcpAsync(ProxyTarget target, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target.Host, target.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task WriteStatusAsync(PipeWriter output, string status, string message, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(message + "\n");
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        try
        {
            await output.WriteAsync(head, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The client is gone.
        }
    }
}
