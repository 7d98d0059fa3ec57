using Reprise.Core.Recording;
using Reprise.Diff.Gate;
using Reprise.Diff.Noise;
using Reprise.Diff.Stats;

namespace Reprise.Diff.Engine;

/// <summary>What to compare and how (built from validated CLI input).</summary>
public sealed record DiffOptions
{
    /// <summary>The recording that was replayed.</summary>
    public required string Recorded { get; init; }

    /// <summary>The replay results of the candidate build.</summary>
    public required string Results { get; init; }

    /// <summary>Replay results of the baseline build (Diffy-style noise and the latency reference), or null.</summary>
    public string? BaselineResults { get; init; }

    /// <summary>
    /// A second run of the baseline build (what <c>reprise test --baseline URL</c> replays): fields that
    /// differ between the recording and either baseline run, and so between the two runs, are noise.
    /// </summary>
    public string? SecondBaselineResults { get; init; }

    /// <summary>Manual rules (YAML).</summary>
    public DiffRules Rules { get; init; } = new();

    /// <summary>Apply the built-in ignored headers.</summary>
    public bool DefaultIgnores { get; init; } = true;

    /// <summary>Learn volatile fields from repeated identical requests in the recording.</summary>
    public bool LearnFromRecording { get; init; } = true;

    /// <summary>Treat changed values of one volatile format as noise.</summary>
    public bool DetectFormats { get; init; } = true;

    /// <summary>
    /// When two times of one format are noise (<c>--time-noise</c>); null takes the rules file's <c>timeNoise:</c>, else
    /// <see cref="Noise.TimeNoise.Runs"/>.
    /// </summary>
    public TimeNoise? TimeNoise { get; init; }

    /// <summary>The gate.</summary>
    public GateExpression Gate { get; init; } = GateExpression.Parse(GateVariables.DefaultGate);

    /// <summary>The latency test settings.</summary>
    public LatencyAnalyzer Latency { get; init; } = new();

    /// <summary>At most this many diff samples in total.</summary>
    public int MaxSamples { get; init; } = 500;

    /// <summary>At most this many diff samples per endpoint.</summary>
    public int MaxSamplesPerEndpoint { get; init; } = 25;

    /// <summary>Keep one compact row per exchange (for the HTML report).</summary>
    public bool CollectRows { get; init; }

    /// <summary>
    /// The redaction policy the recording was made with, applied to every exchange of a results (or
    /// baseline) file whose header names no policy (replayed with <c>--no-redact</c>, or by an older
    /// version) before it is compared or reported: tokens then compare with tokens, and no raw value the
    /// target answered reaches a report. Null compares results as they are.
    /// </summary>
    public Core.Pipeline.IExchangeRedactor? ResultsRedactor { get; init; }

    /// <summary>Reader settings (warnings, skip-invalid).</summary>
    public RecordingReadOptions ReadOptions { get; init; } = new();
}
