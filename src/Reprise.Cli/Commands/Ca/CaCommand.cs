using System.CommandLine;
using System.Diagnostics;
using Reprise.Cli.Infrastructure;
using Reprise.Proxy.Certificates;

namespace Reprise.Cli.Commands.Ca;

/// <summary><c>reprise ca init|path|trust</c>: the local CA used to intercept HTTPS in <c>record --proxy-listen</c>.</summary>
internal sealed class CaCommand(CliConsole console) : ICliCommand
{
    private const string DebianAnchors = "/usr/local/share/ca-certificates";
    private const string SystemBundle = "/etc/ssl/certs/ca-certificates.crt";

    public Command Create()
    {
        var command = new Command("ca", """
            Manage the local Reprise CA (under $REPRISE_HOME/ca, default ~/.reprise/ca). The forward proxy
            of 'reprise record --proxy-listen' signs a certificate per intercepted host with it, so the
            service under capture must trust it. The private key never leaves this directory (mode 600).

            Examples:
              reprise ca init
              export SSL_CERT_FILE="$(reprise ca path)"    # a single-CA file: see 'reprise ca trust' for a bundle
              sudo reprise ca trust                        # Debian/Ubuntu: system-wide, also for .NET on Linux
            """);
        command.Subcommands.Add(Init());
        command.Subcommands.Add(PathCommand());
        command.Subcommands.Add(Trust());
        return command;
    }

    private Command Init()
    {
        var force = new Option<bool>("--force") { Description = "Replace an existing CA (clients trusting the old one must trust the new one)." };
        var init = new Command("init", "Create the CA (does nothing when one exists, unless --force).") { force };
        init.SetAction(_ =>
        {
            var paths = CaPaths.ForHome();
            if (paths.Exists && !_.GetValue(force))
            {
                using var existing = Load(paths);
                console.Output.WriteLine($"CA exists: {paths.CertificatePem}");
                console.Output.WriteLine($"SHA-256 fingerprint: {existing.Fingerprint}");
                return ExitCodes.Success;
            }

            using var ca = CertificateAuthority.Create(TimeProvider.System.GetUtcNow());
            try
            {
                ca.Save(paths, overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"{paths.Directory}: cannot write the CA: {ex.Message}");
            }

            console.Output.WriteLine($"created CA: {paths.CertificatePem}");
            console.Output.WriteLine($"private key: {paths.PrivateKeyPem} (mode 600; never share it)");
            console.Output.WriteLine($"SHA-256 fingerprint: {ca.Fingerprint}");
            console.Info("next: 'reprise ca trust' to make clients trust it");
            return ExitCodes.Success;
        });
        return init;
    }

    private Command PathCommand()
    {
        var path = new Command("path", "Print the path of the CA certificate (PEM).");
        path.SetAction(_ =>
        {
            var paths = CaPaths.ForHome();
            if (!paths.Exists)
            {
                throw new UsageException($"{paths.CertificatePem}: no Reprise CA here (run 'reprise ca init')");
            }

            console.Output.WriteLine(paths.CertificatePem);
            return ExitCodes.Success;
        });
        return path;
    }

    private Command Trust()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Only explain; change nothing." };
        var trust = new Command("trust", """
            Make clients trust the CA. On Debian/Ubuntu as root: copies it to /usr/local/share/ca-certificates
            and runs update-ca-certificates (system OpenSSL store, used by curl and by .NET on Linux). Always
            writes $REPRISE_HOME/ca/bundle.pem (system roots + the Reprise CA) for per-process trust via
            SSL_CERT_FILE, and prints what to set for other runtimes.
            """) { dryRun };
        trust.SetAction(async (parse, ct) =>
        {
            var paths = CaPaths.ForHome();
            using var ca = Load(paths);
            var dry = parse.GetValue(dryRun);
            var outp = console.Output;
            outp.WriteLine($"Reprise CA: {paths.CertificatePem}");
            outp.WriteLine($"SHA-256 fingerprint: {ca.Fingerprint}");
            outp.WriteLine();

            var bundle = Path.Combine(paths.Directory, "bundle.pem");
            if (File.Exists(SystemBundle))
            {
                if (!dry)
                {
                    var text = await File.ReadAllTextAsync(SystemBundle, ct).ConfigureAwait(false);
                    await File.WriteAllTextAsync(bundle, text.TrimEnd() + "\n" + await File.ReadAllTextAsync(paths.CertificatePem, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                }

                outp.WriteLine($"Per process (no root needed): {(dry ? "would write" : "wrote")} {bundle} = system roots + Reprise CA");
                outp.WriteLine($"  export SSL_CERT_FILE={bundle}              # OpenSSL: .NET on Linux, curl, Ruby, Go (SSL_CERT_FILE)");
            }
            else
            {
                outp.WriteLine($"Per process: {SystemBundle} not found; point SSL_CERT_FILE at a bundle that includes {paths.CertificatePem}");
            }

            outp.WriteLine($"  export REQUESTS_CA_BUNDLE={(File.Exists(SystemBundle) ? bundle : paths.CertificatePem)}  # Python requests");
            outp.WriteLine($"  export NODE_EXTRA_CA_CERTS={paths.CertificatePem}  # Node.js");
            outp.WriteLine("  Java: keytool -importcert -cacerts -alias reprise -file " + paths.CertificatePem);
            outp.WriteLine();

            if (!Directory.Exists(DebianAnchors) || FindOnPath("update-ca-certificates") is not { } update)
            {
                outp.WriteLine("System-wide: this is not a Debian-style system (no /usr/local/share/ca-certificates + update-ca-certificates);");
                outp.WriteLine("  add the PEM to your OS trust store by hand.");
                return ExitCodes.Success;
            }

            var anchor = Path.Combine(DebianAnchors, "reprise-ca.crt");
            if (dry || Environment.UserName != "root")
            {
                outp.WriteLine($"System-wide (Debian/Ubuntu; also .NET on Linux, which uses the OpenSSL store){(dry ? string.Empty : " needs root")}:");
                outp.WriteLine($"  sudo cp {paths.CertificatePem} {anchor} && sudo update-ca-certificates");
                outp.WriteLine("  (or run 'sudo reprise ca trust' with REPRISE_HOME set to this home)");
                return ExitCodes.Success;
            }

            File.Copy(paths.CertificatePem, anchor, overwrite: true);
            using var process = Process.Start(new ProcessStartInfo(update) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })
                ?? throw new RuntimeFailureException("could not start " + update);
            var stdout = await process.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
            var stderr = await process.StandardError.ReadToEndAsync(ct).ConfigureAwait(false);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new RuntimeFailureException($"{update} failed (exit {process.ExitCode}): {stderr.Trim()}");
            }

            outp.WriteLine($"System-wide: installed {anchor} and ran update-ca-certificates: {stdout.Trim().Replace('\n', ' ')}");
            outp.WriteLine("  .NET on Linux, curl and other OpenSSL clients started from now on trust intercepted hosts.");
            return ExitCodes.Success;
        });
        return trust;
    }

    private static CertificateAuthority Load(CaPaths paths)
    {
        try
        {
            return CertificateAuthority.Load(paths);
        }
        catch (CertificateAuthorityException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':'))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return File.Exists("/usr/sbin/" + name) ? "/usr/sbin/" + name : null;
    }
}
