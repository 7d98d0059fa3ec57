using System.Net.Sockets;

namespace Reprise.Replay.Engine;

/// <summary>Checks the target accepts TCP connections before the run, so a wrong address fails in seconds, not per request.</summary>
internal static class Preflight
{
    public static async Task CheckAsync(ReplayOptions options, CancellationToken cancellationToken)
    {
        if (options.Handler is not null || options.SkipReachabilityCheck)
        {
            return;
        }

        var target = options.Target;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(target.DnsSafeHost, target.Port, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ReplayTargetUnreachableException($"--target {target.GetLeftPart(UriPartial.Authority)}: no connection within {options.ConnectTimeout.TotalSeconds:0.#}s (is the target running and reachable?)");
        }
        catch (SocketException ex)
        {
            throw new ReplayTargetUnreachableException($"--target {target.GetLeftPart(UriPartial.Authority)}: unreachable ({ex.SocketErrorCode}: {ex.Message})");
        }
    }
}
