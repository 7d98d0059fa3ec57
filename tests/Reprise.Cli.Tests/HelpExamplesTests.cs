using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Reprise.Testing;
using Xunit;

namespace Reprise.Cli.Tests;

/// <summary>
/// The Examples of a command's <c>--help</c> are what users copy first: each must pass the command's validation. Replay
/// and test examples are run against a closed loopback port, so a valid example stops at the reachability check (exit 3)
/// and an example whose flags the command refuses stops at validation (exit 2).
/// </summary>
public sealed partial class HelpExamplesTests : IDisposable
{
    private static readonly string ShopHar = Path.Combine(AppContext.BaseDirectory, "TestData", "shop.har");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("replay")]
    [InlineData("test")]
    public async Task TargetExamples_PassValidation(string command)
    {
        var help = await RepriseExe.RunAsync([command, "--help"]);
        var examples = Examples(help.Stdout);
        Assert.NotEmpty(examples);
        await File.WriteAllTextAsync(Path.Combine(_dir.Path, "ca.pem"), SelfSignedCaPem(), TestContext.Current.CancellationToken);
        foreach (var example in examples)
        {
            // Every target becomes a closed port on loopback; the recording becomes the sample HAR; a CA file named in an
            // example is a real one in the working directory (an example must not need a file only one machine has).
            var args = Split(TargetPattern().Replace(example, "http://127.0.0.1:9"))
                .Skip(1)
                .Select(a => a == "rec.reprise.jsonl" ? ShopHar : a)
                .ToArray();
            var result = await RepriseExe.RunAsync(args, TimeSpan.FromSeconds(60), _dir.Path);
            Assert.True(result.ExitCode == 3, $"'{example}' exited {result.ExitCode}: {result.Stderr.Trim()}");
            Assert.Contains("unreachable", result.Stderr, StringComparison.Ordinal);
        }
    }

    private static string SelfSignedCaPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Example CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return ca.ExportCertificatePem();
    }

    private static List<string> Examples(string help)
    {
        var lines = help.Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == "Examples:");
        var examples = new List<string>();
        for (var i = start + 1; i < lines.Length && lines[i].Trim().Length > 0; i++)
        {
            var line = lines[i].Trim();
            var comment = line.IndexOf("  #", StringComparison.Ordinal);
            examples.Add(comment < 0 ? line : line[..comment].Trim());
        }

        return examples;
    }

    /// <summary>Splits like a POSIX shell for the quoting the examples use: single quotes and blanks.</summary>
    private static List<string> Split(string line)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in line)
        {
            if (c == '\'')
            {
                quoted = !quoted;
                any = true;
            }
            else if (c == ' ' && !quoted)
            {
                if (any)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (any)
        {
            args.Add(current.ToString());
        }

        return args;
    }

    [GeneratedRegex(@"https?://[A-Za-z0-9.\-]+(:\d+)?")]
    private static partial Regex TargetPattern();
}
