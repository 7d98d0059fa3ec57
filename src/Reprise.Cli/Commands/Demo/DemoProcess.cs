using System.Diagnostics;
using System.Runtime.InteropServices;
using Reprise.Cli.Infrastructure;

namespace Reprise.Cli.Commands.Demo;

/// <summary>
/// One <c>reprise</c> child process of the demo: the same executable, run with real arguments, so the
/// demo shows exactly what a user would type. Output lines are echoed, indented; servers are stopped
/// with SIGTERM (scripts' background jobs ignore SIGINT, and reprise treats both alike).
/// </summary>
internal sealed partial class DemoProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly CliConsole _console;
    private readonly Task _stderr;
    private readonly Lock _echo = new();

    private DemoProcess(Process process, CliConsole console)
    {
        _process = process;
        _console = console;
        _stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Echo(line);
            }
        });
    }

    /// <summary>Starts <c>reprise ARGS</c>.</summary>
    public static DemoProcess Start(CliConsole console, params string[] args)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath ?? throw new RuntimeFailureException("cannot locate the reprise executable"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["NO_COLOR"] = "1";
        return new DemoProcess(Process.Start(info) ?? throw new RuntimeFailureException("could not start reprise"), console);
    }

    /// <summary>Runs <c>reprise ARGS</c> to completion, echoing its output; returns the exit code.</summary>
    public static async Task<int> RunAsync(CliConsole console, CancellationToken cancellationToken, params string[] args)
    {
        await using var process = Start(console, args);
        while (await process._process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            process.Echo(line);
        }

        await process._process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await process._stderr.ConfigureAwait(false);
        return process._process.ExitCode;
    }

    /// <summary>Reads stdout until a line starting with each prefix was seen; returns the URL after each, by prefix.</summary>
    public async Task<Dictionary<string, Uri>> WaitForAddressesAsync(CancellationToken cancellationToken, params string[] prefixes)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var found = new Dictionary<string, Uri>(StringComparer.Ordinal);
        while (found.Count < prefixes.Length && await _process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
        {
            Echo(line);
            foreach (var prefix in prefixes)
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    found[prefix] = new Uri(line[prefix.Length..].Trim());
                }
            }
        }

        return found.Count == prefixes.Length
            ? found
            : throw new RuntimeFailureException($"reprise {string.Join(' ', _process.StartInfo.ArgumentList.Take(1))} exited before printing its addresses");
    }

    /// <summary>Sends SIGTERM, echoes the rest of the output, waits for exit; returns the exit code.</summary>
    public async Task<int> StopAsync(CancellationToken cancellationToken)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
        }

        while (await _process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            Echo(line);
        }

        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await _stderr.ConfigureAwait(false);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private void Echo(string line)
    {
        lock (_echo)
        {
            _console.Output.WriteLine("    " + line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
