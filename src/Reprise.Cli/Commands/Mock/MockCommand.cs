using Reprise.Core.Text;
using System.CommandLine;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Reprise.Cli.Infrastructure;
using Reprise.Core.Model;
using Reprise.Mock.Chaos;
using Reprise.Mock.Matching;
using Reprise.Mock.Serving;
using Reprise.Proxy.Connections;

namespace Reprise.Cli.Commands.Mock;

/// <summary><c>reprise mock IN --listen 127.0.0.1:0</c>: serve recorded exchanges, with chaos.</summary>
internal sealed class MockCommand(CliConsole console) : ICliCommand
{
    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public Command Create()
    {
        var input = CommonOptions.Input();
        var listen = new Option<string>("--listen") { Description = "Address to listen on (port 0 picks a free port).", DefaultValueFactory = _ => "127.0.0.1:0", HelpName = "ADDR" };
        var h2cListen = new Option<string?>("--h2c-listen") { Description = "Also listen for HTTP/2-only cleartext here (--listen already accepts h2c prior knowledge alongside HTTP/1.1); printed as the second stdout line.", HelpName = "ADDR" };
        var proxyListen = new Option<string?>("--proxy-listen") { Description = "Also act as a forward proxy here (HTTP_PROXY/HTTPS_PROXY) answering for every recorded host at once; HTTPS via CONNECT with the Reprise CA ($REPRISE_HOME/ca, created if absent). Printed as 'proxy listening on ...'.", HelpName = "ADDR" };
        var passthrough = new Option<bool>("--passthrough") { Description = "Proxy mode: forward requests for hosts not in the recording to the real host (default: refuse with 502)." };
        var direction = new Option<string>("--direction") { Description = "Serve outbound exchanges (stand in for dependencies, default) or inbound ones (stand in for the recorded service).", DefaultValueFactory = _ => "outbound" };
        var config = new Option<string?>("--config") { Description = "Per-route YAML: templating, date shifting, chaos and volatile fields (see docs/mock.md).", HelpName = "FILE" };
        var volatileNames = new Option<string[]>("--volatile") { Description = "A request field to ignore when matching (repeatable): query.NAME, body.$.json.path, body[N].$.json.path, body./Envelope/Body/X.", AllowMultipleArgumentsPerToken = false };
        var key = new Option<string>("--key") { Description = "Loosest match tier: exact, volatile or nearest.", DefaultValueFactory = _ => "nearest" };
        var reuse = new Option<string>("--reuse") { Description = "After a route's recorded responses are used up: repeat-last, cycle or once (then miss).", DefaultValueFactory = _ => "repeat-last" };
        var similarity = new Option<double>("--similarity") { Description = "Minimum similarity (0..1) for the nearest tier.", DefaultValueFactory = _ => 0.75 };
        var noLearn = new Option<bool>("--no-learn") { Description = "Do not learn volatile fields from the recording." };
        var missStatus = new Option<int>("--miss-status") { Description = "Status answered when nothing matches.", DefaultValueFactory = _ => 404 };
        var missReport = new Option<string?>("--miss-report") { Description = "Write the misses (with nearest candidates) as JSON here at exit.", HelpName = "FILE" };
        var strict = new Option<bool>("--strict") { Description = "Exit 1 at shutdown when any request missed (the server still serves until stopped)." };
        var latency = new Option<string>("--latency") { Description = "recorded, none or fixed:50ms.", DefaultValueFactory = _ => "none" };
        var errorRate = new Option<double?>("--error-rate") { Description = "Probability (0..1) of answering --error-status instead." };
        var errorStatus = new Option<int?>("--error-status") { Description = "Status of injected errors (default 503)." };
        var resetRate = new Option<double?>("--reset-rate") { Description = "Probability of aborting the connection." };
        var timeoutRate = new Option<double?>("--timeout-rate") { Description = "Probability of never answering (held until the client gives up or --timeout-cap)." };
        var timeoutCap = new Option<string>("--timeout-cap") { Description = "Longest a --timeout-rate request is held.", DefaultValueFactory = _ => "30s" };
        var rateLimit = new Option<string?>("--rate-limit") { Description = "N/s, N/m or N/h: above it, 429 with Retry-After." };
        var seed = new Option<ulong?>("--seed") { Description = "Seed for chaos decisions (same seed, same faults for a sequential client)." };
        var noWatch = new Option<bool>("--no-watch") { Description = "Do not reload when the recording changes." };
        var recordedDate = new Option<bool>("--recorded-date") { Description = "Send the recorded Date header unchanged (default: the current date, as a live server would)." };
        var skipInvalid = CommonOptions.SkipInvalid();
        var redaction = new RedactionOptionSet(noRedactDescription: "Match, journal and report live requests exactly as received instead of redacting them with the recording's policy first. Prints a warning.");
        var command = new Command("mock", """
            Serve recorded exchanges as a mock server. Matching tries, in order: exact (method, host,
            path, normalised query, canonical JSON/GraphQL/SOAP body), then with volatile fields
            ignored (configured, learned, or shaped like timestamps/UUIDs/nonces), then the nearest
            recorded request above --similarity. Repeated requests get the recorded responses in
            recorded order, then the last one again. Misses answer --miss-status with a JSON body
            naming the nearest candidates and what differed.

            A redacted recording holds tokens and masks where the client sent personal data and secrets, so
            each live request first goes through the same policy (built-in rules plus --rules, the key of
            'record': $REPRISE_REDACTION_KEY, --key-file or $REPRISE_HOME/redaction.key): the same value gives
            the same token and matches, and only redacted values reach the journal, logs, miss bodies and
            --miss-report. The response served is the recorded one. --no-redact matches requests as received.

            Examples:
              reprise mock deps.reprise.jsonl --listen 127.0.0.1:8081
              reprise mock svc.reprise.jsonl --direction inbound --listen 127.0.0.1:0
              reprise mock deps.reprise.jsonl --strict --miss-report misses.json
              reprise mock deps.reprise.jsonl --latency recorded --error-rate 0.05 --seed 7
              reprise mock deps.reprise.jsonl --config mock.yaml --rate-limit 100/s
              reprise mock grpc-deps.reprise.jsonl --h2c-listen 127.0.0.1:50051
              reprise mock deps.reprise.jsonl --proxy-listen 127.0.0.1:8888   # then HTTPS_PROXY=http://127.0.0.1:8888
            """)
        {
            input, listen, h2cListen, proxyListen, passthrough, direction, config, volatileNames, key, reuse, similarity, noLearn, missStatus, missReport, strict,
            latency, errorRate, errorStatus, resetRate, timeoutRate, timeoutCap, rateLimit, seed, noWatch, recordedDate, skipInvalid,
        };
        redaction.AddTo(command, allowOptOut: true);
        command.SetAction(async (parse, ct) =>
        {
            var errors = new List<string>();
            var endpoint = ParseListen(parse.GetValue(listen)!, "--listen", errors);
            var h2cEndpoint = parse.GetValue(h2cListen) is { } h2cText ? ParseListen(h2cText, "--h2c-listen", errors) : null;
            var proxyEndpoint = parse.GetValue(proxyListen) is { } proxyText ? ParseListen(proxyText, "--proxy-listen", errors) : null;
            if (parse.GetValue(passthrough) && parse.GetValue(proxyListen) is null)
            {
                errors.Add("--passthrough: only meaningful with --proxy-listen");
            }
            var dir = parse.GetValue(direction)!.ToLowerInvariant() switch
            {
                "outbound" => Direction.Outbound,
                "inbound" => Direction.Inbound,
                var other => Error(errors, $"--direction: '{other}' is not inbound or outbound", Direction.Outbound),
            };
            var keyPolicy = parse.GetValue(key)!.ToLowerInvariant() switch
            {
                "exact" => KeyPolicy.Exact,
                "volatile" => KeyPolicy.Volatile,
                "nearest" => KeyPolicy.Nearest,
                var other => Error(errors, $"--key: '{other}' is not exact, volatile or nearest", KeyPolicy.Nearest),
            };
            var reusePolicy = parse.GetValue(reuse)!.ToLowerInvariant() switch
            {
                "repeat-last" => ReusePolicy.RepeatLast,
                "cycle" => ReusePolicy.Cycle,
                "once" => ReusePolicy.Once,
                var other => Error(errors, $"--reuse: '{other}' is not repeat-last, cycle or once", ReusePolicy.RepeatLast),
            };
            if (!ChaosParsing.TryParseDuration(parse.GetValue(timeoutCap)!, out var cap))
            {
                errors.Add($"--timeout-cap: '{parse.GetValue(timeoutCap)}' is not a duration (e.g. 30s, 500ms)");
            }

            var reportPath = parse.GetValue(missReport);
            if (reportPath is not null && Path.GetDirectoryName(Path.GetFullPath(reportPath)) is { } reportDir && !Directory.Exists(reportDir))
            {
                errors.Add($"--miss-report: directory '{reportDir}' does not exist");
            }

            var recordingPath = parse.GetValue(input)!;
            Core.Pipeline.IExchangeRedactor? redactor = null;
            if (File.Exists(recordingPath))
            {
                var recording = await RecordingRedaction.ReadAsync(recordingPath, null, ct).ConfigureAwait(false);
                redactor = await redaction.BuildLikeRecordingAsync(parse, console, recording, "live requests are matched, journaled and reported", ct).ConfigureAwait(false);
            }

            if (redactor is null && !parse.GetValue(redaction.NoRedact))
            {
                // An unredacted (or not yet written) recording may be reloaded as a redacted one: have its policy ready.
                // The server applies it only while the loaded recording is redacted, so its notes (a key created, ...)
                // are not shown for a recording that does not use it; bad redaction flags still fail here.
                var silent = new CliConsole(TextWriter.Null, TextWriter.Null, outputIsTerminal: false, errorIsTerminal: false);
                redactor = await redaction.BuildAsync(parse, silent, warnEphemeral: false, ct).ConfigureAwait(false);
            }

            var options = new MockServerOptions
            {
                RecordingPath = recordingPath,
                Redactor = redactor,
                Listen = endpoint ?? new IPEndPoint(IPAddress.Loopback, 0),
                H2cListen = h2cEndpoint,
                ProxyListen = proxyEndpoint,
                Passthrough = parse.GetValue(passthrough),
                Index = new MockIndexOptions { Direction = dir, Key = keyPolicy, Reuse = reusePolicy, Similarity = parse.GetValue(similarity), LearnVolatile = !parse.GetValue(noLearn) },
                Chaos = new ChaosOptions
                {
                    Latency = parse.GetValue(latency),
                    ErrorRate = parse.GetValue(errorRate),
                    ErrorStatus = parse.GetValue(errorStatus),
                    ResetRate = parse.GetValue(resetRate),
                    TimeoutRate = parse.GetValue(timeoutRate),
                    RateLimit = parse.GetValue(rateLimit),
                },
                ConfigPath = parse.GetValue(config),
                Volatile = parse.GetValue(volatileNames) ?? [],
                MissStatus = parse.GetValue(missStatus),
                Seed = parse.GetValue(seed),
                TimeoutCap = cap,
                Watch = !parse.GetValue(noWatch),
                SkipInvalid = parse.GetValue(skipInvalid),
                RecordedDate = parse.GetValue(recordedDate),
            };

            MockServer server;
            using var loggerFactory = LoggerFactory.Create(b =>
            {
                b.SetMinimumLevel(console.Quiet ? LogLevel.Error : LogLevel.Warning);
                b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).AddSimpleConsole(o => o.SingleLine = true).AddFilter("Microsoft", LogLevel.Error)
                    .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None); // start failures become one-line usage errors
            });
            try
            {
                errors.AddRange(MockServer.Validate(options));
                if (errors.Count > 0)
                {
                    throw new MockSetupException(errors);
                }

                server = await MockServer.StartAsync(options, loggerFactory, console.Warn, ct).ConfigureAwait(false);
            }
            catch (MockSetupException ex)
            {
                foreach (var error in ex.Errors)
                {
                    console.Error.WriteLine($"reprise: error: {error}");
                }

                return ExitCodes.UsageError;
            }

            await using (server.ConfigureAwait(false))
            {
                console.Output.WriteLine($"listening on http://{server.Address.Authority}");
                if (server.H2cAddress is { } h2c)
                {
                    console.Output.WriteLine($"h2c listening on http://{h2c.Authority}");
                }

                if (server.ProxyAddress is { } proxyAddress)
                {
                    console.Output.WriteLine($"proxy listening on http://{proxyAddress.Authority}");
                }

                console.Output.Flush();
                console.Info($"serving {Counted.Of(server.ExchangeCount, dir.ToString().ToLowerInvariant() + " exchange")} for {Counted.Of(server.HostCount, "host")}; chaos seed {server.Seed}; stop with Ctrl+C");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // SIGINT/SIGTERM: drain, then report.
                }

                await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
                var misses = server.Journal.MissCount;
                if (reportPath is not null)
                {
                    await AtomicFile.WriteAsync(reportPath, true, async stream =>
                    {
                        await JsonSerializer.SerializeAsync(stream, new { served = server.Journal.ServedCount, misses, requests = server.Journal.Misses() }, ReportJson, CancellationToken.None).ConfigureAwait(false);
                        return 0;
                    }, CancellationToken.None).ConfigureAwait(false);
                }

                console.Info($"served {Counted.Of(server.Journal.ServedCount, "request")}, {misses:N0} missed" + (reportPath is null ? string.Empty : $"; misses written to {reportPath}"));
                return parse.GetValue(strict) && misses > 0 ? ExitCodes.CheckFailed : ExitCodes.Success;
            }
        });
        return command;
    }

    private static T Error<T>(List<string> errors, string message, T fallback)
    {
        errors.Add(message);
        return fallback;
    }

    private static IPEndPoint? ParseListen(string text, string flag, List<string> errors)
    {
        if (ListenAddress.TryParse(text, out var endpoint, out var error))
        {
            return endpoint;
        }

        errors.Add($"{flag}: {error}");
        return null;
    }
}
