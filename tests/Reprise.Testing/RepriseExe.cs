using System.Diagnostics;
using System.Text;

namespace Reprise.Testing;

/// <summary>
/// Runs the published <c>reprise</c> executable (end-to-end tier). ./test.sh publishes it and sets
/// REPRISE_EXE; without it, the newest build under src/Reprise.Cli/bin is used.
/// </summary>
public static class RepriseExe
{
    private static readonly Lazy<string> PathValue = new(Locate);

    /// <summary>The path of the executable under test.</summary>
    public static string Path => PathValue.Value;

    /// <summary>Runs to completion (killed after <paramref name="timeout"/>); returns exit code and output.</summary>
    public static async Task<ProcessResult> RunAsync(IEnumerable<string> args, TimeSpan? timeout = null, string? workingDirectory = null, IDictionary<string, string>? environment = null, string? stdin = null)
    {
        using var process = Start(args, workingDirectory, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"reprise {string.Join(' ', args)} did not finish in {timeout ?? TimeSpan.FromSeconds(60)}");
        }

        return new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Starts the executable with redirected streams (for servers: read the first line for the address).</summary>
    public static Process Start(IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["NO_COLOR"] = "1";
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start " + Path);
    }

    private static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("REPRISE_EXE");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return File.Exists(fromEnv) ? fromEnv : throw new FileNotFoundException("REPRISE_EXE points to a missing file", fromEnv);
        }

        var root = RepoRoot.Find();
        var candidates = new[] { "Release", "Debug" }
            .Select(c => System.IO.Path.Combine(root, "src", "Reprise.Cli", "bin", c, "net10.0", "reprise"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .ToList();
        return candidates.Count > 0 ? candidates[0] : throw new FileNotFoundException("build src/Reprise.Cli or set REPRISE_EXE");
    }
}

/// <summary>Exit code and captured output of one run.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);
