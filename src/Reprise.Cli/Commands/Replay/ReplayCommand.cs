using System.CommandLine;
using System.Globalization;
using Reprise.Cli.Infrastructure;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Recording;
using Reprise.Core.Text;
using Reprise.Replay;
using Reprise.Replay.Correlation;
using Reprise.Replay.Http;
using Reprise.Replay.Pacing;
using Reprise.Replay.Results;
using Reprise.Replay.Sessions;

namespace Reprise.Cli.Commands.Replay;

/// <summary><c>reprise replay rec.reprise.jsonl --target http://127.0.0.1:8080 --out results.reprise.jsonl</c>.</summary>
internal sealed class ReplayCommand(CliConsole console) : ICliCommand
{
    private readonly Argument<string> _input = CommonOptions.Input();
    private readonly Option<string> _target = new("--target", "-t") { Description = "Base URL to send to (a path here is a prefix).", Required = true, HelpName = "URL" };
    private readonly Option<string?> _out = new("--out", "-o") { Description = "Results recording to write (one exchange per request, tagged replay.of); omit for summary only.", HelpName = "FILE" };
    private readonly Option<bool> _force = CommonOptions.Force();
    private readonly Option<bool> _skipInvalid = CommonOptions.SkipInvalid();
    private readonly Option<string?> _pace = new("--pace") { Description = "original (recorded inter-arrival times; default), rate or vus (implied by --rate/--vus).", HelpName = "MODE" };
    private readonly Option<double?> _speed = new("--speed") { Description = "Play the recorded timeline N times faster (original pacing).", HelpName = "N" };
    private readonly Option<double?> _rate = new("--rate") { Description = "Open model: N requests/s; latency counts from the intended send time (no coordinated omission).", HelpName = "N" };
    private readonly Option<int?> _vus = new("--vus") { Description = "Closed model: N virtual users sending back to back (N connections).", HelpName = "N" };
    private readonly Option<string?> _duration = new("--duration", "-d") { Description = "Loop the recording for this long (30s, 5m).", HelpName = "DURATION" };
    private readonly Option<string?> _ramp = new("--ramp") { Description = "Ramp the pace: FROMx:TOx:DURATION, e.g. 1x:10x:30s (multiplies --speed or --rate).", HelpName = "RAMP" };
    private readonly Option<int> _multiplier = new("--multiplier", "-m") { Description = "Replay each session N times concurrently, unique values varied per copy.", DefaultValueFactory = _ => 1, HelpName = "N" };
    private readonly Option<string?> _shard = new("--shard") { Description = "Replay shard i of n (by session): 2/8.", HelpName = "I/N" };
    private readonly Option<string?> _sessionKey = new("--session-key") { Description = "What groups a session, first present wins: trace,authorization,cookie,client or none. Default: that list, without trace when the recording's traces hold one request each.", HelpName = "KEYS" };
    private readonly Option<string?> _timeShift = new("--time-shift") { Description = "Shift request timestamps: auto (now − recording start; default), off, or a duration (2d, 36h).", HelpName = "MODE" };
    private readonly Option<bool> _noCorrelation = new("--no-correlation") { Description = "Send recorded values as they are (no automatic correlation)." };
    private readonly Option<string?> _rules = new("--rules") { Description = "YAML file of manual correlation rules and value rules (a masked secret given back; see docs/replay.md).", HelpName = "FILE" };
    private readonly Option<string[]> _header = new("--header", "-H") { Description = "Set a header on every request: 'Name: value' (repeatable).", HelpName = "HEADER" };
    private readonly Option<string?> _tokenCommand = new("--token-command") { Description = "Command whose stdout is the bearer token (run again once on a 401).", HelpName = "CMD" };
    private readonly Option<string?> _stripPrefix = new("--strip-prefix") { Description = "Remove this path prefix from recorded paths (e.g. /v1).", HelpName = "PATH" };
    private readonly Option<string?> _pathPrefix = new("--path-prefix") { Description = "Add this path prefix to every path (e.g. /v2).", HelpName = "PATH" };
    private readonly Option<bool> _preserveHost = new("--preserve-host") { Description = "Send the recorded Host header instead of the target's." };
    private readonly Option<bool> _h2c = new("--h2c") { Description = "HTTP/2 without TLS (prior knowledge) for exchanges recorded as HTTP/2 (gRPC exchanges always use it)." };
    private readonly Option<string[]> _targetCa = new("--target-ca") { Description = "Also trust this PEM CA for an https target (a service with its own CA; repeatable).", HelpName = "FILE" };
    private readonly Option<bool> _insecure = new("--insecure", "-k") { Description = "Skip TLS certificate validation of an https target (self-signed test certificates); without it an untrusted certificate fails the check before the run (exit 3)." };
    private readonly Option<string?> _timeout = new("--timeout") { Description = "Per-request timeout (default 30s).", HelpName = "DURATION" };
    private readonly Option<int?> _maxInFlight = new("--max-inflight") { Description = "Most requests in flight under open-model pacing (default 4096).", HelpName = "N" };
    private readonly Option<string?> _summaryJson = new("--summary-json") { Description = "Write the summary (per-endpoint percentiles, errors, correlation rules) as JSON.", HelpName = "FILE" };
    private readonly Option<string?> _runId = new("--run-id") { Description = "Run id written as replay.run (default: random).", HelpName = "ID" };
    private readonly Option<int> _top = new("--top") { Description = "Endpoints shown in the table.", DefaultValueFactory = _ => 20, HelpName = "N" };
    private readonly FilterOptionSet _filters = new();
    private readonly RedactionOptionSet _redaction = new(redactRulesOnly: true, noRedactDescription: "Write (and with test, compare) results exactly as received, secrets and personal data included, instead of redacting them with the recording's policy. Prints a warning.");

    /// <summary>The replay flags (all but --out, --force, --summary-json, --top), for <c>reprise test</c> to accept as they are.</summary>
    internal void AddReplayFlags(Command command)
    {
        foreach (var option in new Option[]
        {
            _target, _skipInvalid, _pace, _speed, _rate, _vus, _duration, _ramp, _multiplier, _shard, _sessionKey, _timeShift,
            _noCorrelation, _rules, _header, _tokenCommand, _stripPrefix, _pathPrefix, _preserveHost, _h2c, _targetCa, _insecure, _timeout,
            _maxInFlight, _runId,
        })
        {
            command.Options.Add(option);
        }

        _filters.AddTo(command, includeDirection: false);
        _redaction.AddTo(command, allowOptOut: true);
    }

    /// <summary>--redact-rules, --key-file and --no-redact (for <c>reprise test</c>, which also redacts what it compares).</summary>
    internal RedactionOptionSet Redaction => _redaction;

    /// <summary>The filters given on the command line (for <c>reprise test</c>).</summary>
    internal IReadOnlyList<IExchangeTransform> BuildFilters(ParseResult parse) => _filters.Build(parse);

    /// <summary>The --token-command value, if any.</summary>
    internal string? TokenCommand(ParseResult parse) => parse.GetValue(_tokenCommand);

    /// <summary>The --skip-invalid value.</summary>
    internal bool SkipInvalid(ParseResult parse) => parse.GetValue(_skipInvalid);

    public Command Create()
    {
        var command = new Command("replay", """
            Send the recorded inbound exchanges to a target (a new build) and record what it answers.

            Pacing: recorded inter-arrival times by default (--speed N to compress); --rate N for an open
            model at N req/s; --vus N for N users back to back. Requests of one session (trace id when traces
            group requests, else Authorization, else cookies, else client) go in order, and values the target issues (ids,
            tokens, Location, cookies, CSRF tokens) are captured from its new responses and substituted
            into later requests of the session.

            Results (--out) are redacted like the recording: when its header names a redaction policy, every
            result is redacted with that policy (built-in rules plus --redact-rules, the key of 'record':
            $REPRISE_REDACTION_KEY, --key-file or $REPRISE_HOME/redaction.key) before it is written, so an
            unchanged value gets the recording's token and diffs compare token with token. --no-redact writes
            results as received (with a warning).

            Exit codes: 0 done (whatever the statuses), 2 bad input or no inbound exchanges, 3 target unreachable
            (refused, no answer, or an https certificate this machine does not trust: -k/--insecure skips the check).

            Examples:
              reprise replay rec.reprise.jsonl --target http://127.0.0.1:8080 -o results.reprise.jsonl
              reprise replay rec.reprise.jsonl -t http://staging:8080 --speed 10 --multiplier 5 -o results.reprise.jsonl
              reprise replay rec.reprise.jsonl -t http://127.0.0.1:8080 --vus 50 --duration 30s --summary-json summary.json
              reprise replay rec.reprise.jsonl -t http://127.0.0.1:8080 --rate 200 --ramp 1x:10x:30s --duration 60s
              reprise replay rec.reprise.jsonl -t https://api.test --token-command 'vault read -field=token secret/api' -H 'X-Env: test'
              reprise replay rec.reprise.jsonl -t http://127.0.0.1:8080 --shard 2/8 -o results-2.reprise.jsonl
              reprise replay rec.reprise.jsonl -t https://127.0.0.1:8443 --insecure -o results.reprise.jsonl
              reprise replay rec.reprise.jsonl -t https://orders.internal:8443 --target-ca ca.pem
            """)
        {
            _input, _target, _out, _force, _skipInvalid, _pace, _speed, _rate, _vus, _duration, _ramp, _multiplier, _shard,
            _sessionKey, _timeShift, _noCorrelation, _rules, _header, _tokenCommand, _stripPrefix, _pathPrefix, _preserveHost,
            _h2c, _targetCa, _insecure, _timeout, _maxInFlight, _summaryJson, _runId, _top,
        };
        _filters.AddTo(command, includeDirection: false);
        _redaction.AddTo(command, allowOptOut: true);
        command.SetAction(RunAsync);
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        InlineSocketCompletions.Enable();
        var inputPath = parse.GetValue(_input)!;
        var outPath = parse.GetValue(_out);
        var transforms = _filters.Build(parse);
        using var token = parse.GetValue(_tokenCommand) is { } tokenCommand ? new CommandTokenSource(tokenCommand, unsetVariables: InlineSocketCompletions.SetByReprise) : null;
        var options = BuildOptions(parse, token);
        if (outPath is not null)
        {
            CommonOptions.EnsureDistinct(inputPath, outPath);
        }

        if (!File.Exists(inputPath))
        {
            throw new UsageException($"{inputPath}: no such file");
        }

        var readOptions = CommonOptions.ReadOptions(console, parse.GetValue(_skipInvalid));
        var source = ExchangeSources.Open(inputPath, readOptions);
        var recorded = new ReplayableSource(source, transforms);
        RecordingResultSink? results = null;
        if (outPath is not null)
        {
            // Only kept results are redacted: a summary-only run (load tests) pays nothing for it.
            var recording = await RecordingRedaction.ReadAsync(inputPath, readOptions, cancellationToken).ConfigureAwait(false);
            var redactor = await _redaction.BuildLikeRecordingAsync(parse, console, recording, "results are written", cancellationToken).ConfigureAwait(false);
            results = await RecordingResultSink.CreateAsync(outPath, Replayer.DescribeRun(options, Path.GetFileName(inputPath)), parse.GetValue(_force), TimeProvider.System, redactor, cancellationToken).ConfigureAwait(false);
            // Results keep as much of a body as the recording did: cut at 1 MiB, a 7 MB script recorded whole with
            // --max-body 16MB was a "body:truncated" difference in every diff (QA round 12c).
            options = options with { Tokens = RedactionOptionSet.TokensOf(redactor), BodyCap = (int)Math.Clamp(recording.MaxBody ?? 0, options.BodyCap, int.MaxValue) };
        }
        else if (options.AutoCorrelation)
        {
            var recording = await RecordingRedaction.ReadAsync(inputPath, readOptions, cancellationToken).ConfigureAwait(false);
            options = options with { Tokens = await _redaction.TokensLikeRecordingAsync(parse, console, recording, cancellationToken).ConfigureAwait(false) };
        }

        var replayer = new Replayer(options);

        ReplaySummary summary;
        var failed = true;
        try
        {
            var run = replayer.RunAsync(recorded, (IReplayResultSink?)results ?? NullResultSink.Instance, cancellationToken);
            summary = await ReplayProgressDisplay.RunAsync(console, () => replayer.Progress, run).ConfigureAwait(false);
            failed = false;
        }
        catch (Exception ex) when (ReplayFailures.ToCliError(ex, inputPath) is { } error)
        {
            throw error;
        }
        finally
        {
            if (results is not null)
            {
                await results.DisposeAsync().ConfigureAwait(false);
                if (failed && results.Written == 0 && outPath is not null)
                {
                    File.Delete(outPath); // nothing replayed: do not leave an empty results file behind
                }
            }
        }

        ReplaySummaryRenderer.WriteTables(console.Out, summary, parse.GetValue(_top));
        ReplaySummaryRenderer.WriteWarnings(console, summary, options);
        if (parse.GetValue(_summaryJson) is { } summaryPath)
        {
            await ReplaySummaryRenderer.WriteJsonFileAsync(summaryPath, summary, cancellationToken).ConfigureAwait(false);
        }

        if (outPath is not null && results is not null)
        {
            ReportWritten(console, results, outPath);
        }

        ReportRedactionFailures(console, results);

        if (cancellationToken.IsCancellationRequested)
        {
            console.Error.WriteLine("reprise: interrupted (the requests completed so far are summarised above and written)");
            return ExitCodes.Interrupted;
        }

        return ExitCodes.Success;
    }

    /// <summary>Names how many results reached the file (results dropped by a redaction failure are not among them).</summary>
    internal static void ReportWritten(CliConsole console, RecordingResultSink results, string outPath) =>
        console.Info($"wrote {Counted.Of(results.Written, "result")} to {outPath}");

    /// <summary>Warns about results the redactor failed on (dropped, never written raw).</summary>
    internal static void ReportRedactionFailures(CliConsole console, RecordingResultSink? results)
    {
        if (results is { RedactionFailures: > 0 } sink)
        {
            console.Warn(sink.RedactionFailures == 1 ? "1 result could not be redacted and was not written (it shows as not replayed)" : $"{Counted.Of(sink.RedactionFailures, "result")} could not be redacted and were not written (they show as not replayed)");
        }
    }

    /// <summary>Validates the replay flags (every error, one line each) into options; shared with <c>reprise test</c>.</summary>
    internal ReplayOptions BuildOptions(ParseResult parse, ITokenSource? token)
    {
        var errors = new List<string>();
        Uri? target = null;
        var targetText = parse.GetValue(_target)!;
        if (!Uri.TryCreate(targetText, UriKind.Absolute, out target) || (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"--target: '{targetText}' is not an http:// or https:// URL");
            target = null;
        }

        System.Security.Cryptography.X509Certificates.X509Certificate2Collection? targetCa = null;
        foreach (var file in parse.GetValue(_targetCa) ?? [])
        {
            targetCa ??= [];
            var before = targetCa.Count;
            try
            {
                targetCa.ImportFromPemFile(file);
                if (targetCa.Count == before)
                {
                    errors.Add($"--target-ca: {file}: no PEM certificate in it");
                }
            }
            catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
            {
                errors.Add($"--target-ca: {file}: {ex.Message}");
            }
        }

        var rate = parse.GetValue(_rate);
        var vus = parse.GetValue(_vus);
        var pacing = PacingMode.Original;
        switch (parse.GetValue(_pace)?.ToLowerInvariant())
        {
            case null: pacing = rate is not null ? PacingMode.Rate : vus is not null ? PacingMode.Vus : PacingMode.Original; break;
            case "original": pacing = PacingMode.Original; break;
            case "rate": pacing = PacingMode.Rate; break;
            case "vus": pacing = PacingMode.Vus; break;
            case var other: errors.Add($"--pace: '{other}' is not a pacing (original, rate or vus)"); break;
        }

        if (rate is not null && vus is not null)
        {
            errors.Add("--rate and --vus: choose one (open model at a rate, or closed model with users)");
        }

        if (pacing == PacingMode.Rate && rate is null)
        {
            errors.Add("--pace rate: give --rate N");
        }

        if (pacing == PacingMode.Vus && vus is null)
        {
            errors.Add("--pace vus: give --vus N");
        }

        if (parse.GetValue(_speed) is not null && pacing != PacingMode.Original)
        {
            errors.Add("--speed: applies to original pacing only (not with --rate or --vus)");
        }

        TimeSpan? duration = Duration(parse.GetValue(_duration), "--duration", errors);
        var timeout = Duration(parse.GetValue(_timeout), "--timeout", errors) ?? TimeSpan.FromSeconds(30);
        RampOptions? ramp = null;
        if (parse.GetValue(_ramp) is { } rampText)
        {
            ramp = RampOptions.TryParse(rampText, out var error);
            if (error is not null)
            {
                errors.Add("--ramp: " + error);
            }
        }

        ShardSpec? shard = null;
        if (parse.GetValue(_shard) is { } shardText)
        {
            shard = ShardSpec.TryParse(shardText, out var error);
            if (error is not null)
            {
                errors.Add("--shard: " + error);
            }
        }

        IReadOnlyList<SessionKeyKind>? sessionKeys = null; // the default: trace only where traces group requests
        if (parse.GetValue(_sessionKey) is { } keyText)
        {
            sessionKeys = SessionKeyKinds.TryParse(keyText, out var error) ?? SessionKeyKinds.Default;
            if (error is not null)
            {
                errors.Add("--session-key: " + error);
            }
        }

        var shiftOn = true;
        TimeSpan? shiftBy = null;
        switch (parse.GetValue(_timeShift))
        {
            case null or "auto": break;
            case "off" or "none": shiftOn = false; break;
            case var text:
                var negative = text.StartsWith('-');
                var body = negative ? text[1..] : text;
                if (body.EndsWith('d') && double.TryParse(body[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var days))
                {
                    if (!double.IsFinite(days) || Math.Abs(days) > ReplayOptions.MaxTimeShift.TotalDays)
                    {
                        errors.Add($"--time-shift: '{text}' is more than {ReplayOptions.MaxTimeShift.TotalDays.ToString(CultureInfo.InvariantCulture)} days either way");
                    }
                    else
                    {
                        shiftBy = TimeSpan.FromDays(negative ? -days : days);
                    }
                }
                else if (DurationText.TryParse(body, out var by))
                {
                    shiftBy = negative ? -by : by;
                }
                else
                {
                    errors.Add($"--time-shift: '{text}' is not auto, off or a duration (2d, 36h, -90m)");
                }

                break;
        }

        var headers = new List<HeaderField>();
        foreach (var header in parse.GetValue(_header) ?? [])
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || header[..colon].Trim().Length == 0 || header[..colon].Trim().Any(c => c <= ' ' || c >= 127 || c == ':'))
            {
                errors.Add($"--header: '{header}' is not 'Name: value'");
                continue;
            }

            headers.Add(new HeaderField(header[..colon].Trim(), header[(colon + 1)..].Trim()));
        }

        IReadOnlyList<CorrelationRuleOptions> rules = [];
        if (parse.GetValue(_rules) is { } rulesPath)
        {
            try
            {
                rules = CorrelationRulesFile.Load(rulesPath);
            }
            catch (FormatException ex)
            {
                errors.AddRange(ex.Message.Split(Environment.NewLine)); // FILE:LINE: ..., as every rules file reports its lines
            }
        }

        var options = new ReplayOptions
        {
            // A bad --target is already reported: the options are still built so every other error is listed too.
            Target = target ?? new Uri("http://target.invalid/"),
            Pacing = pacing,
            Speed = parse.GetValue(_speed) ?? 1,
            Rate = rate ?? 0,
            Vus = vus ?? 0,
            Duration = duration,
            Ramp = ramp,
            Multiplier = parse.GetValue(_multiplier),
            Shard = shard,
            SessionKeys = sessionKeys,
            TimeShift = shiftOn,
            TimeShiftBy = shiftBy,
            AutoCorrelation = !parse.GetValue(_noCorrelation),
            CorrelationRules = rules,
            HeaderOverrides = headers,
            Token = token,
            StripPathPrefix = parse.GetValue(_stripPrefix),
            AddPathPrefix = parse.GetValue(_pathPrefix),
            PreserveHost = parse.GetValue(_preserveHost),
            H2c = parse.GetValue(_h2c),
            Insecure = parse.GetValue(_insecure),
            TargetCa = targetCa,
            RequestTimeout = timeout,
            MaxInFlight = parse.GetValue(_maxInFlight) ?? 4096,
            RunId = parse.GetValue(_runId) ?? Guid.NewGuid().ToString("N")[..12],
            OnNotice = console.Info,
        };
        foreach (var problem in options.Validate())
        {
            if (!errors.Contains(problem))
            {
                errors.Add(problem);
            }
        }

        if (target is null || errors.Count > 0)
        {
            throw new UsageException(string.Join(Environment.NewLine + "reprise: error: ", errors));
        }

        return options;
    }

    private static TimeSpan? Duration(string? text, string flag, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (!DurationText.TryParse(text, out var value) || value <= TimeSpan.Zero)
        {
            errors.Add($"{flag}: '{text}' is not a positive duration (500ms, 30s, 5m, 1h)");
            return null;
        }

        return value;
    }
}
