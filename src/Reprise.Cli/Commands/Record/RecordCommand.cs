using Reprise.Core.Text;
using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Reprise.Capture.Hosting;
using Reprise.Capture.Recording;
using Reprise.Cli.Infrastructure;
using Reprise.Core.Model;
using Reprise.Core.Transforms;
using Reprise.Proxy.Certificates;
using Reprise.Proxy.Connections;

namespace Reprise.Cli.Commands.Record;

/// <summary><c>reprise record --upstream URL --listen ADDR [--proxy-listen ADDR] --out FILE</c>.</summary>
internal sealed class RecordCommand(CliConsole console) : ICliCommand
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(5);

    public Command Create()
    {
        var upstream = new Option<string?>("--upstream") { Description = "The service to record: a reverse proxy forwards every request to this URL (http or https).", HelpName = "URL" };
        var listen = new Option<string>("--listen") { Description = "Reverse-proxy address (port 0 picks a free port).", HelpName = "ADDR", DefaultValueFactory = _ => "127.0.0.1:9000" };
        var proxyListen = new Option<string?>("--proxy-listen") { Description = "Also run a forward proxy here for the service's outbound calls (set its HTTP_PROXY/HTTPS_PROXY to it).", HelpName = "ADDR" };
        var output = CommonOptions.Output("The recording to write (*.reprise.jsonl, .gz or .zst).");
        var force = CommonOptions.Force();
        var maxBody = new Option<string>("--max-body") { Description = "Most bytes of each body stored (the rest is forwarded, flagged truncated): 1MB, 64KB, 0.", HelpName = "SIZE", DefaultValueFactory = _ => "1MB" };
        var include = new Option<string[]>("--include-path") { Description = "Record only paths matching a glob (repeat or comma-separate).", AllowMultipleArgumentsPerToken = true, HelpName = "GLOB" };
        var exclude = new Option<string[]>("--exclude-path") { Description = "Do not record paths matching a glob (still forwarded).", AllowMultipleArgumentsPerToken = true, HelpName = "GLOB" };
        var sample = new Option<double?>("--sample") { Description = "Record this fraction of traces (0-1); a request and its dependency calls together.", HelpName = "FRACTION" };
        var seed = new Option<ulong>("--seed") { Description = "Seed for --sample.", DefaultValueFactory = _ => 0 };
        var noIntercept = new Option<string[]>("--no-intercept") { Description = "Tunnel CONNECTs to this host blindly instead of decrypting (exact or *.example.com; repeatable).", AllowMultipleArgumentsPerToken = true, HelpName = "HOST" };
        var redaction = new RedactionOptionSet();
        var service = new Option<string?>("--service") { Description = "Service name for inbound exchanges (default: the upstream host).", HelpName = "NAME" };
        var upstreamCa = new Option<string[]>("--upstream-ca") { Description = "Also trust this PEM CA for upstream TLS (repeatable).", HelpName = "FILE" };
        var timeout = new Option<double>("--upstream-timeout") { Description = "Seconds of upstream silence before the client gets 504.", DefaultValueFactory = _ => 100, HelpName = "SECONDS" };
        var command = new Command("record", """
            Record real traffic. A reverse proxy in front of your service (--upstream) records the requests
            it receives; a forward proxy (--proxy-listen) records the calls it makes to its dependencies,
            decrypting HTTPS with the local Reprise CA (see 'reprise ca'). Both write one recording, linked
            per request by W3C traceparent (injected when a request has none). Bodies stream through while
            being recorded; SIGINT/SIGTERM drain, flush and close the file.

            The first stdout line is 'listening on http://HOST:PORT' (then 'proxy listening on ...');
            /_reprise/health answers 200 on both listeners.

            Examples:
              reprise record --upstream http://127.0.0.1:8080 --listen 127.0.0.1:9000 -o rec.reprise.jsonl
              reprise record --upstream http://127.0.0.1:8080 --proxy-listen 127.0.0.1:9001 -o rec.reprise.jsonl
                HTTP_PROXY=http://127.0.0.1:9001 HTTPS_PROXY=http://127.0.0.1:9001 ./my-service
              reprise record --proxy-listen 127.0.0.1:9001 --no-intercept '*.pinned.example' -o out.reprise.jsonl.zst
              reprise record --upstream http://127.0.0.1:8080 --exclude-path '/health' --sample 0.1 --max-body 64KB -o s.reprise.jsonl
            """)
        {
            upstream, listen, proxyListen, output, force, maxBody, include, exclude, sample, seed, noIntercept, service, upstreamCa, timeout,
        };
        redaction.AddTo(command, allowOptOut: true);
        command.SetAction(async (parse, ct) =>
        {
            var errors = new List<string>();
            Uri? upstreamUri = null;
            if (parse.GetValue(upstream) is { } upstreamText)
            {
                if (!Uri.TryCreate(upstreamText, UriKind.Absolute, out upstreamUri) || upstreamUri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(upstreamUri.Host)
                    || upstreamUri.Query.Length > 0 || upstreamUri.Fragment.Length > 0 || upstreamUri.UserInfo.Length > 0)
                {
                    errors.Add($"--upstream: '{upstreamText}' is not an http:// or https:// URL (e.g. http://127.0.0.1:8080)");
                    upstreamUri = null;
                }
            }

            IPEndPoint? listenEndpoint = null;
            if (!ListenAddress.TryParse(parse.GetValue(listen), out var listenParsed, out var listenError))
            {
                errors.Add("--listen: " + listenError);
            }
            else
            {
                listenEndpoint = listenParsed;
            }

            IPEndPoint? proxyEndpoint = null;
            if (parse.GetValue(proxyListen) is { } proxyText)
            {
                if (ListenAddress.TryParse(proxyText, out var parsedProxy, out var proxyError))
                {
                    proxyEndpoint = parsedProxy;
                }
                else
                {
                    errors.Add("--proxy-listen: " + proxyError);
                }
            }

            if (parse.GetValue(upstream) is null && parse.GetValue(proxyListen) is null)
            {
                errors.Add("give --upstream URL (reverse proxy), --proxy-listen ADDR (forward proxy), or both");
            }

            if (listenEndpoint is not null && proxyEndpoint is not null && upstreamUri is not null && listenEndpoint.Port != 0 && listenEndpoint.Equals(proxyEndpoint))
            {
                errors.Add($"--proxy-listen: {proxyEndpoint} is also the --listen address; use another port");
            }

            var maxBodyText = parse.GetValue(maxBody)!;
            if (!ByteSize.TryParse(maxBodyText, out var maxBodyBytes) || maxBodyBytes > int.MaxValue)
            {
                errors.Add($"--max-body: '{maxBodyText}' is not a size up to 2GB (e.g. 1MB, 64KB, 0)");
            }

            var sampleRate = parse.GetValue(sample) ?? 1;
            if (double.IsNaN(sampleRate) || sampleRate is < 0 or > 1)
            {
                errors.Add($"--sample: {sampleRate.ToString(CultureInfo.InvariantCulture)} is not a fraction between 0 and 1");
            }

            var timeoutSeconds = parse.GetValue(timeout);
            if (double.IsNaN(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > 86400)
            {
                errors.Add($"--upstream-timeout: {timeoutSeconds.ToString(CultureInfo.InvariantCulture)} is not a number of seconds between 0 and 86400");
            }

            var includes = Globs(parse.GetValue(include), "--include-path", errors);
            var excludes = Globs(parse.GetValue(exclude), "--exclude-path", errors);
            var noInterceptHosts = OptionParsing.SplitList(parse.GetValue(noIntercept));
            foreach (var host in noInterceptHosts)
            {
                var bare = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
                if (bare.Length == 0 || bare.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or ':' or '_')))
                {
                    errors.Add($"--no-intercept: '{host}' is not a host name (exact, or *.example.com)");
                }
            }

            var roots = new X509Certificate2Collection();
            foreach (var file in parse.GetValue(upstreamCa) ?? [])
            {
                try
                {
                    roots.ImportFromPemFile(file);
                }
                catch (Exception ex) when (ex is IOException or CryptographicException or UnauthorizedAccessException)
                {
                    errors.Add($"--upstream-ca: {file}: {ex.Message}");
                }
            }

            if (errors.Count > 0)
            {
                throw new UsageException(string.Join(Environment.NewLine + "reprise: error: ", errors));
            }

            var outPath = parse.GetValue(output)!;
            var redactor = await redaction.BuildRedactorAsync(parse, console, ct).ConfigureAwait(false);

            CertificateAuthority? authority = null;
            if (proxyEndpoint is not null)
            {
                var paths = CaPaths.ForHome();
                try
                {
                    authority = CertificateAuthority.LoadOrCreate(paths, TimeProvider.System, out var created);
                    if (created)
                    {
                        console.Info($"created the Reprise CA at {paths.CertificatePem}; clients must trust it for HTTPS interception (reprise ca trust)");
                    }
                }
                catch (Exception ex) when (ex is CertificateAuthorityException or IOException or UnauthorizedAccessException)
                {
                    throw new UsageException("CA: " + ex.Message);
                }
            }

            using var ownedAuthority = authority;
            using var loggerFactory = LoggerFactory.Create(b => b
                .SetMinimumLevel(LogLevel.Warning)
                .AddFilter("Microsoft", LogLevel.Error) // Kestrel's h2-without-TLS notice does not apply (h2c is detected)
                .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None) // start failures become one-line usage errors
                .AddFilter("Yarp", LogLevel.None) // upstream failures are logged once, in one line, by Reprise.Capture
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
            var options = new RecordServerOptions
            {
                Upstream = upstreamUri,
                Listen = listenEndpoint!,
                ProxyListen = proxyEndpoint,
                OutputPath = outPath,
                Overwrite = parse.GetValue(force),
                Authority = authority,
                NoInterceptHosts = noInterceptHosts,
                UpstreamRoots = roots.Count > 0 ? roots : null,
                UpstreamTimeout = TimeSpan.FromSeconds(timeoutSeconds),
                Capture = new CaptureOptions
                {
                    MaxBody = maxBodyBytes,
                    IncludePaths = includes,
                    ExcludePaths = excludes,
                    SampleRate = sampleRate,
                    SampleSeed = parse.GetValue(seed),
                    Service = parse.GetValue(service),
                },
                HeaderSettings = upstreamUri is null ? Exchange.EmptyTags : Exchange.EmptyTags.Add("listen", listenEndpoint!.ToString()),
            };

            RecordServer server;
            try
            {
                server = await RecordServer.StartAsync(options, redactor, loggerFactory, ct).ConfigureAwait(false);
            }
            catch (CaptureStartException ex)
            {
                throw new UsageException(ex.Message);
            }

            await using (server.ConfigureAwait(false))
            {
                if (server.ReverseAddress is { } reverse)
                {
                    console.Output.WriteLine($"listening on {reverse.GetLeftPart(UriPartial.Authority)}");
                }

                if (server.ProxyAddress is { } proxy)
                {
                    console.Output.WriteLine($"proxy listening on {proxy.GetLeftPart(UriPartial.Authority)}");
                }

                await console.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                console.Info($"recording to {outPath} (redaction: {(ReferenceEquals(redactor, Core.Pipeline.NoRedaction.Instance) ? "none" : redactor.PolicyName)}); stop with Ctrl+C or SIGTERM");
                var status = new RecordStatus(console, server, TimeProvider.System);
                await status.RunAsync(StatusInterval, ct).ConfigureAwait(false);
                await server.StopAsync().ConfigureAwait(false);
                console.Info(status.Line());
                console.Info($"recorded {Counted.Of(server.Written, "exchange")} to {outPath}");
                if (server.WriteFault is { } fault)
                {
                    // Everything written before the failure is intact; what came after could not be stored.
                    throw new RuntimeFailureException($"--out: writing {outPath} failed ({fault.Message.TrimEnd('.')}); {Counted.Of(server.NotWritten, "exchange")} after that {(server.NotWritten == 1 ? "was" : "were")} not recorded");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static List<PathGlob> Globs(string[]? values, string flag, List<string> errors)
    {
        var globs = new List<PathGlob>();
        foreach (var value in OptionParsing.SplitList(values))
        {
            if (!value.StartsWith('/') && !value.StartsWith('*'))
            {
                errors.Add($"{flag}: '{value}' must start with / (a path glob such as /api/**)");
                continue;
            }

            globs.Add(PathGlob.Parse(value));
        }

        return globs;
    }

}
