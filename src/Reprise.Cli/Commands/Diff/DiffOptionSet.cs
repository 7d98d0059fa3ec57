using System.CommandLine;
using System.Globalization;
using Reprise.Cli.Infrastructure;
using Reprise.Diff.Engine;
using Reprise.Diff.Gate;
using Reprise.Diff.Noise;
using Reprise.Diff.Stats;

namespace Reprise.Cli.Commands.Diff;

/// <summary>The comparison, gate and output options shared by <c>diff</c> (and by <c>test</c> once replay lands).</summary>
internal sealed class DiffOptionSet
{
    private readonly bool _forTest;

    /// <param name="forTest">For <c>reprise test</c>: the ignore rules are <c>--diff-rules</c> (replay owns <c>--rules</c> and
    /// <c>--skip-invalid</c>), and <c>--baseline</c> may be a URL to replay against.</param>
    public DiffOptionSet(bool forTest = false)
    {
        _forTest = forTest;
        Rules = new Option<string?>(forTest ? "--diff-rules" : "--rules")
        {
            Description = "YAML ignore rules: ignore (path globs per endpoint), arrayKeys, ignoreArrayOrder, timeNoise (docs/diff.md).",
            HelpName = "FILE",
        };
        Baseline = new Option<string?>("--baseline")
        {
            Description = forTest
                ? "The baseline build's URL (replayed too: what differs between the recording and that run is noise, and latency compares with it), or the results file of a baseline replay."
                : "Replay results of a second run of the baseline build: what differs between the recording and it is noise (Diffy-style), and latency/error rates compare against it.",
            HelpName = forTest ? "URL|RESULTS" : "RESULTS",
        };
    }

    public Option<string?> Baseline { get; }

    public Option<string?> Rules { get; }

    public Option<string[]> Ignore { get; } = new("--ignore")
    {
        Description = "Ignore a location on every endpoint (repeatable), e.g. 'body:$.meta.**' or 'header:x-build'.",
        HelpName = "GLOB",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> IgnoreArrayOrder { get; } = new("--ignore-array-order")
    {
        Description = "Match JSON array elements by a detected id member (id, key, name, …) or by content instead of by index.",
    };

    public Option<bool> NoDefaultIgnores { get; } = new("--no-default-ignores")
    {
        Description = "Also compare Date, Server, ETag, trace and request-id headers and the rest of the built-in ignore list.",
    };

    public Option<bool> NoLearn { get; } = new("--no-learn")
    {
        Description = "Do not learn volatile fields from identical requests in the recording.",
    };

    public Option<bool> NoFormatNoise { get; } = new("--no-format-noise")
    {
        Description = "Report changed UUIDs, timestamps and random tokens instead of ignoring them.",
    };

    public Option<string?> TimeNoise { get; } = new("--time-noise")
    {
        Description = "When two times of one format are noise: runs (default) only when the runs' own time shift explains a move by whole quarter hours (a lost time zone is reported), any for data with times written at setup (seeded records). Overrides the rules file's timeNoise:.",
        HelpName = "runs|any",
    };

    public Option<string> FailIf { get; } = new("--fail-if")
    {
        Description = $"The gate: exit 1 when this holds. Default: '{GateVariables.DefaultGate}'. Variables: {string.Join(", ", GateVariables.Documented.Keys.Order(StringComparer.Ordinal))}.",
        HelpName = "EXPR",
        DefaultValueFactory = _ => GateVariables.DefaultGate,
    };

    public Option<double> Alpha { get; } = new("--alpha")
    {
        Description = "Significance level of the latency tests (Mann-Whitney, 1 − bootstrap CI confidence).",
        DefaultValueFactory = _ => 0.05,
    };

    public Option<double> LatencyFloor { get; } = new("--latency-floor")
    {
        Description = "Latency changes below this many milliseconds are never regressions.",
        HelpName = "MS",
        DefaultValueFactory = _ => 5,
    };

    public Option<int> MaxSamples { get; } = new("--max-samples")
    {
        Description = "Exchanges with differences kept in full (bodies) for the reports.",
        DefaultValueFactory = _ => 500,
    };

    public Option<bool> Json { get; } = CommonOptions.Json("the full report");

    public Option<string?> JUnit { get; } = new("--junit") { Description = "Write JUnit XML (one testcase per endpoint).", HelpName = "FILE" };

    public Option<string?> Markdown { get; } = new("--markdown") { Description = "Write a Markdown summary (for a PR comment).", HelpName = "FILE" };

    public Option<string?> Report { get; } = new("--report") { Description = "Write the self-contained HTML report.", HelpName = "FILE.html" };

    public Option<bool> SkipInvalid { get; } = CommonOptions.SkipInvalid();

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Baseline, Rules, Ignore, IgnoreArrayOrder, NoDefaultIgnores, NoLearn, NoFormatNoise, TimeNoise, FailIf, Alpha, LatencyFloor, MaxSamples, Json, JUnit, Markdown, Report })
        {
            command.Options.Add(option);
        }

        if (!_forTest)
        {
            command.Options.Add(SkipInvalid);
        }
    }

    /// <summary>Validates everything (collecting every error) and builds the engine options.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="recorded">The recording.</param>
    /// <param name="results">The results file (for <c>test</c>, not yet written: not checked).</param>
    /// <param name="console">Where reader warnings go.</param>
    /// <param name="skipInvalid">For <c>test</c>, replay's --skip-invalid; null reads this set's own.</param>
    public (DiffOptions? Options, DiffOutputs Outputs, List<string> Errors, Uri? BaselineUrl) Build(ParseResult parse, string recorded, string results, CliConsole console, bool? skipInvalid = null)
    {
        var errors = new List<string>();
        GateExpression? gate = null;
        var gateText = parse.GetValue(FailIf) ?? GateVariables.DefaultGate;
        try
        {
            gate = GateExpression.Parse(gateText);
        }
        catch (GateSyntaxException ex)
        {
            errors.Add($"--fail-if: {ex.Message} in '{gateText}'");
        }

        var rules = new DiffRules();
        if (parse.GetValue(Rules) is { } rulesFile)
        {
            if (!File.Exists(rulesFile))
            {
                errors.Add($"{Rules.Name}: '{rulesFile}': no such file");
            }
            else
            {
                var (loaded, ruleErrors) = DiffRulesLoader.Parse(File.ReadAllText(rulesFile), rulesFile);
                errors.AddRange(ruleErrors);
                rules = loaded;
            }
        }

        var extra = new List<IgnoreRule>();
        foreach (var glob in parse.GetValue(Ignore) ?? [])
        {
            try
            {
                extra.Add(new IgnoreRule(LocationGlob.Parse(glob), null, "--ignore " + glob, "rule"));
            }
            catch (FormatException ex)
            {
                errors.Add($"--ignore: {ex.Message}");
            }
        }

        rules = rules with { Ignore = [.. rules.Ignore, .. extra], IgnoreArrayOrder = rules.IgnoreArrayOrder || parse.GetValue(IgnoreArrayOrder) };
        var alpha = parse.GetValue(Alpha);
        if (alpha is <= 0 or >= 0.5 || double.IsNaN(alpha))
        {
            errors.Add($"--alpha: must be between 0 and 0.5 (got {alpha.ToString(CultureInfo.InvariantCulture)})");
        }

        var floor = parse.GetValue(LatencyFloor);
        if (floor < 0 || !double.IsFinite(floor))
        {
            errors.Add($"--latency-floor: must be 0 or more (got {floor.ToString(CultureInfo.InvariantCulture)})");
        }

        TimeNoise? timeNoise = null;
        if (parse.GetValue(TimeNoise) is { } timeNoiseText && (timeNoise = TimeNoiseText.TryParse(timeNoiseText)) is null)
        {
            errors.Add($"{TimeNoise.Name}: '{timeNoiseText}' is not {TimeNoiseText.Choices}");
        }

        var maxSamples = parse.GetValue(MaxSamples);
        if (maxSamples < 0)
        {
            errors.Add($"--max-samples: must be 0 or more (got {maxSamples})");
        }

        var baseline = parse.GetValue(Baseline);
        Uri? baselineUrl = null;
        if (baseline is not null && (baseline.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || baseline.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            if (!_forTest)
            {
                errors.Add($"--baseline: '{baseline}': a URL is replayed by 'reprise test'; 'reprise diff' takes the results file of a baseline replay");
            }
            else if (!Uri.TryCreate(baseline, UriKind.Absolute, out baselineUrl))
            {
                errors.Add($"--baseline: '{baseline}' is not a valid URL");
            }

            baseline = null;
        }

        foreach (var (name, path) in new[] { ("RECORDED", recorded), (_forTest ? null : "RESULTS", results), ("--baseline", baseline) })
        {
            if (name is not null && path is not null && !File.Exists(path))
            {
                errors.Add($"{name}: '{path}': no such file");
            }
        }

        var outputs = new DiffOutputs(parse.GetValue(Json), parse.GetValue(JUnit), parse.GetValue(Markdown), parse.GetValue(Report));
        foreach (var (name, path) in new[] { ("--junit", outputs.JUnit), ("--markdown", outputs.Markdown), ("--report", outputs.Html) })
        {
            if (path is null)
            {
                continue;
            }

            var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (!Directory.Exists(directory))
            {
                errors.Add($"{name}: '{path}': directory '{directory}' does not exist");
            }

            foreach (var input in new[] { recorded, results, baseline })
            {
                if (input is not null && string.Equals(Path.GetFullPath(input), Path.GetFullPath(path), StringComparison.Ordinal))
                {
                    errors.Add($"{name}: '{path}' is an input file; write to another file");
                }
            }
        }

        if (errors.Count > 0 || gate is null)
        {
            return (null, outputs, errors, baselineUrl);
        }

        var options = new DiffOptions
        {
            Recorded = recorded,
            Results = results,
            BaselineResults = baseline,
            Rules = rules,
            DefaultIgnores = !parse.GetValue(NoDefaultIgnores),
            LearnFromRecording = !parse.GetValue(NoLearn),
            DetectFormats = !parse.GetValue(NoFormatNoise),
            TimeNoise = timeNoise,
            Gate = gate,
            Latency = new LatencyAnalyzer(alpha, floor),
            MaxSamples = maxSamples,
            CollectRows = outputs.Html is not null,
            ReadOptions = CommonOptions.ReadOptions(console, skipInvalid ?? parse.GetValue(SkipInvalid)),
        };
        return (options, outputs, errors, baselineUrl);
    }
}

/// <summary>Where the report goes.</summary>
internal sealed record DiffOutputs(bool Json, string? JUnit, string? Markdown, string? Html);
