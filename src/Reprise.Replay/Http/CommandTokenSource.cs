using System.Diagnostics;

namespace Reprise.Replay.Http;

/// <summary>Runs a shell command and uses its trimmed stdout as the bearer token (<c>--token-command</c>).</summary>
public sealed class CommandTokenSource : ITokenSource, IDisposable
{
    private readonly string _command;
    private readonly TimeSpan _timeout;
    private readonly IReadOnlyList<string> _unset;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;

    /// <param name="command">The command line, run with <c>/bin/sh -c</c>.</param>
    /// <param name="timeout">How long the command may run.</param>
    /// <param name="unsetVariables">
    /// Environment variables the command must not inherit: settings this process gave itself (such as
    /// inline socket completions) that the user's command, perhaps a .NET tool, never asked for.
    /// </param>
    public CommandTokenSource(string command, TimeSpan? timeout = null, IReadOnlyList<string>? unsetVariables = null)
    {
        _command = command;
        _timeout = timeout ?? TimeSpan.FromSeconds(30);
        _unset = unsetVariables ?? [];
    }

    /// <summary>How many times the command ran.</summary>
    public int Fetches { get; private set; }

    /// <inheritdoc />
    public ValueTask<string> GetAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _token) is { } token ? ValueTask.FromResult(token) : new ValueTask<string>(FetchAsync(null, cancellationToken));

    /// <inheritdoc />
    public ValueTask<string> RefreshAsync(string stale, CancellationToken cancellationToken) => new(FetchAsync(stale, cancellationToken));

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private async Task<string> FetchAsync(string? stale, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is { } current && !string.Equals(current, stale, StringComparison.Ordinal))
            {
                return current;
            }

            var token = await RunAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _token, token);
            Fetches++;
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in _unset)
        {
            info.Environment.Remove(name);
        }

        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(_command);
        using var process = Process.Start(info) ?? throw new TokenCommandException("--token-command: could not start /bin/sh");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TokenCommandException($"--token-command: did not finish within {_timeout.TotalSeconds:0}s");
        }

        var output = (await stdout.ConfigureAwait(false)).Trim();
        var error = (await stderr.ConfigureAwait(false)).Trim();
        if (process.ExitCode != 0)
        {
            var firstLine = error.Split('\n', 2)[0];
            throw new TokenCommandException($"--token-command: exited with {process.ExitCode}{(firstLine.Length > 0 ? ": " + firstLine : string.Empty)}");
        }

        if (output.Length == 0 || output.Contains('\n', StringComparison.Ordinal))
        {
            throw new TokenCommandException("--token-command: expected one line (the token) on stdout, got " + (output.Length == 0 ? "nothing" : "several lines"));
        }

        return output.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? output[7..].Trim() : output;
    }
}
