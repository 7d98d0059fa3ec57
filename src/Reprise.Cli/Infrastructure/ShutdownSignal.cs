using System.Runtime.InteropServices;

namespace Reprise.Cli.Infrastructure;

/// <summary>
/// Turns SIGINT and SIGTERM into a cancellation token. SIGTERM matters: background jobs of shell
/// scripts start with SIGINT ignored, so scripts stop reprise servers with SIGTERM, which must drain
/// and flush exactly like Ctrl+C.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
        ];
    }

    /// <summary>Cancelled on the first signal.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>True once a signal arrived.</summary>
    public bool Signalled => _cts.IsCancellationRequested;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cts.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        // Keep the process alive: the command drains, flushes and exits with its own code.
        context.Cancel = true;
        _cts.Cancel();
    }
}
