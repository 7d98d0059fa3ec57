using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Reprise.Replay.Engine;

/// <summary>
/// Checks the target before the run, so a wrong address fails in seconds, not per request: it accepts
/// TCP connections, and for an <c>https</c> target (without <c>--insecure</c>) completes a TLS
/// handshake with a certificate this machine trusts. An untrusted test certificate would otherwise
/// make every request a <c>protocol</c> error and the run exit 0.
/// </summary>
internal static class Preflight
{
    /// <param name="options">The run's options.</param>
    /// <param name="tlsHost">
    /// The host the requests will name for TLS (SNI and certificate validation): with <c>--preserve-host</c> the
    /// recorded Host, not the target's address; null for the target's host.
    /// </param>
    /// <param name="cancellationToken">Stops the check.</param>
    public static async Task CheckAsync(ReplayOptions options, string? tlsHost, CancellationToken cancellationToken)
    {
        if (options.Handler is not null || options.SkipReachabilityCheck)
        {
            return;
        }

        var target = options.Target;
        var where = "--target " + target.GetLeftPart(UriPartial.Authority);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(target.DnsSafeHost, target.Port, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ReplayTargetUnreachableException($"{where}: no connection within {options.ConnectTimeout.TotalSeconds:0.#}s (is the target running and reachable?)");
        }
        catch (SocketException ex)
        {
            throw new ReplayTargetUnreachableException($"{where}: unreachable ({ex.SocketErrorCode}: {ex.Message})");
        }

        if (target.Scheme == Uri.UriSchemeHttps && !options.Insecure)
        {
            await CheckTlsAsync(socket, tlsHost is { Length: > 0 } ? tlsHost : target.IdnHost, where, options.ConnectTimeout, options.TargetCa, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task CheckTlsAsync(Socket socket, string host, string where, TimeSpan connectTimeout, X509Certificate2Collection? roots, CancellationToken cancellationToken)
    {
        string? reason = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(connectTimeout);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                var accepted = Http.TargetTrust.Accepts(roots, certificate, chain, errors);
                reason = accepted ? null : Describe(errors, chain, host) + (roots is { Count: > 0 } ? ", also with the --target-ca roots" : string.Empty);
                return accepted;
            },
        };
        try
        {
            await tls.AuthenticateAsClientAsync(authentication, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ReplayTargetUnreachableException($"{where}: no TLS handshake within {connectTimeout.TotalSeconds:0.#}s (is it an https endpoint?)");
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            throw new ReplayTargetUnreachableException(reason is not null
                ? $"{where}: TLS certificate rejected ({reason}); trust its CA with --target-ca FILE, or pass --insecure (-k) to skip certificate validation for a test target"
                : $"{where}: TLS handshake failed ({ex.GetBaseException().Message}); is it an https endpoint? (http:// for plain text)");
        }
    }

    private static string Describe(SslPolicyErrors errors, X509Chain? chain, string host)
    {
        var parts = new List<string>(3);
        if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            parts.Add("no certificate");
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            parts.Add($"certificate name does not match '{host}'");
        }

        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            var statuses = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var status in chain?.ChainStatus ?? [])
            {
                statuses.Add(status.Status.ToString());
            }

            parts.Add("certificate not trusted" + (statuses.Count > 0 ? ": " + string.Join(", ", statuses) : string.Empty));
        }

        return string.Join("; ", parts);
    }

    /// <summary>The host name of a Host header value (<c>api.test:8443</c> → <c>api.test</c>, <c>[::1]:80</c> → <c>::1</c>).</summary>
    public static string? HostName(string? hostHeader)
    {
        if (string.IsNullOrWhiteSpace(hostHeader))
        {
            return null;
        }

        var value = hostHeader.Trim();
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            return close > 1 ? value[1..close] : null;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? value : colon == value.LastIndexOf(':') ? value[..colon] : value;
    }
}
