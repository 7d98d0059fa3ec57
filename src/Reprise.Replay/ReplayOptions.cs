using System.Globalization;
using Reprise.Core.Model;
using Reprise.Replay.Correlation;
using Reprise.Replay.Http;
using Reprise.Replay.Pacing;
using Reprise.Replay.Sessions;

namespace Reprise.Replay;

/// <summary>What a replay run does (user input; validated by <see cref="Validate"/>).</summary>
public sealed record ReplayOptions
{
    /// <summary>The base URL requests are sent to (scheme, host, port; a path here is a prefix).</summary>
    public required Uri Target { get; init; }

    /// <summary>How send times are chosen.</summary>
    public PacingMode Pacing { get; init; } = PacingMode.Original;

    /// <summary>Speed-up of the recorded timeline under <see cref="PacingMode.Original"/> (2 = twice as fast).</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Requests per second under <see cref="PacingMode.Rate"/>.</summary>
    public double Rate { get; init; }

    /// <summary>Virtual users under <see cref="PacingMode.Vus"/>.</summary>
    public int Vus { get; init; }

    /// <summary>Loop the recording until this much time has passed; null replays it once.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Ramp of the pace multiplier (original and rate pacing).</summary>
    public RampOptions? Ramp { get; init; }

    /// <summary>Each session is replayed this many times concurrently, unique values varied per copy.</summary>
    public int Multiplier { get; init; } = 1;

    /// <summary>Replay only the sessions of this shard.</summary>
    public ShardSpec? Shard { get; init; }

    /// <summary>
    /// How recorded exchanges are grouped into sessions, in order of preference. Null (the default) is
    /// <see cref="SessionKeyKinds.Default"/> without the trace id when the recording's traces cover one
    /// request each (clients that start a trace per call): see <see cref="SessionKeyChooser"/>.
    /// </summary>
    public IReadOnlyList<SessionKeyKind>? SessionKeys { get; init; }

    /// <summary>One-line notices for the user while the run goes (the session key chosen, a long recorded gap); null drops them.</summary>
    public Action<string>? OnNotice { get; init; }

    /// <summary>Shift timestamps and dates in requests by (now − recording start). On by default.</summary>
    public bool TimeShift { get; init; } = true;

    /// <summary>A fixed shift instead of (now − recording start).</summary>
    public TimeSpan? TimeShiftBy { get; init; }

    /// <summary>Capture values from new responses and substitute them into later requests of the session.</summary>
    public bool AutoCorrelation { get; init; } = true;

    /// <summary>Manual correlation rules (from YAML).</summary>
    public IReadOnlyList<CorrelationRuleOptions> CorrelationRules { get; init; } = [];

    /// <summary>Headers set on every request (replacing recorded ones of the same name).</summary>
    public IReadOnlyList<HeaderField> HeaderOverrides { get; init; } = [];

    /// <summary>A source of bearer tokens (e.g. <c>--token-command</c>); refreshed once on a 401.</summary>
    public ITokenSource? Token { get; init; }

    /// <summary>A path prefix removed from recorded paths before sending (e.g. <c>/v1</c>).</summary>
    public string? StripPathPrefix { get; init; }

    /// <summary>A path prefix added to every sent path (also taken from <see cref="Target"/>'s path).</summary>
    public string? AddPathPrefix { get; init; }

    /// <summary>Send the recorded Host header instead of the target's authority.</summary>
    public bool PreserveHost { get; init; }

    /// <summary>Use HTTP/2 with prior knowledge on plain-text targets for exchanges recorded as HTTP/2.</summary>
    public bool H2c { get; init; }

    /// <summary>Accept any TLS certificate from the target (test environments).</summary>
    public bool Insecure { get; init; }

    /// <summary>Roots trusted besides the system's for an https target (<c>--target-ca</c>): a service with its own CA.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2Collection? TargetCa { get; init; }

    /// <summary>Per-request timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Connect timeout (also bounds the reachability check before the run).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Most requests in flight at once under open-model pacing (later ones queue; their latency counts the wait).</summary>
    public int MaxInFlight { get; init; } = 4096;

    /// <summary>Response bodies larger than this are stored truncated in results.</summary>
    public int BodyCap { get; init; } = 1024 * 1024;

    /// <summary>The run id written as <c>replay.run</c>.</summary>
    public string RunId { get; init; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>The clock for pacing and latency.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The HTTP handler to send with (tests inject one); null builds a tuned SocketsHttpHandler.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Skip the TCP reachability check before the run.</summary>
    public bool SkipReachabilityCheck { get; init; }

    /// <summary>
    /// The recording's redaction tokens, when it was redacted and its key is at hand: a raw value in a request whose
    /// token a response carried (a created user's <c>id</c>) then correlates like the token (see <see cref="Core.Pipeline.IRedactionTokens"/>).
    /// </summary>
    public Core.Pipeline.IRedactionTokens? Tokens { get; init; }

    /// <summary>The slowest <see cref="Speed"/>: 1,000 times slower than recorded.</summary>
    public const double MinSpeed = 0.001;

    /// <summary>The lowest <see cref="Rate"/>: one request every 1,000 seconds.</summary>
    public const double MinRate = 0.001;

    /// <summary>The largest <see cref="TimeShiftBy"/> either way: a century (dates beyond it overflow or mean nothing).</summary>
    public static readonly TimeSpan MaxTimeShift = TimeSpan.FromDays(36_500);

    /// <summary>Every problem with these options, one line each naming the option.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Target.IsAbsoluteUri || (Target.Scheme != Uri.UriSchemeHttp && Target.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"--target: '{Target}' is not an http:// or https:// URL");
        }

        if (Speed <= 0 || !double.IsFinite(Speed))
        {
            errors.Add($"--speed: {Speed.ToString(CultureInfo.InvariantCulture)} must be a positive number");
        }
        else if (Speed < MinSpeed)
        {
            errors.Add($"--speed: {Speed.ToString(CultureInfo.InvariantCulture)} is below {MinSpeed.ToString(CultureInfo.InvariantCulture)} (each recorded second would take over {1 / MinSpeed / 60:0} minutes)");
        }

        if (Pacing == PacingMode.Rate && (Rate <= 0 || !double.IsFinite(Rate)))
        {
            errors.Add($"--rate: {Rate.ToString(CultureInfo.InvariantCulture)} must be a positive number of requests per second");
        }
        else if (Pacing == PacingMode.Rate && Rate < MinRate)
        {
            errors.Add($"--rate: {Rate.ToString(CultureInfo.InvariantCulture)} is below {MinRate.ToString(CultureInfo.InvariantCulture)} requests per second (one request every {1 / MinRate / 60:0} minutes)");
        }

        if (TimeShiftBy is { } shift && shift.Duration() > MaxTimeShift)
        {
            errors.Add($"--time-shift: {shift.TotalDays.ToString("0.###", CultureInfo.InvariantCulture)}d is more than {MaxTimeShift.TotalDays.ToString(CultureInfo.InvariantCulture)} days either way");
        }

        if (Pacing == PacingMode.Vus && Vus < 1)
        {
            errors.Add($"--vus: {Vus} must be at least 1");
        }

        if (Pacing == PacingMode.Vus && Ramp is not null)
        {
            errors.Add("--ramp: applies to --pace original/--speed and --rate, not to --vus (a closed model has no pace to ramp)");
        }

        if (Multiplier < 1)
        {
            errors.Add($"--multiplier: {Multiplier} must be at least 1");
        }

        if (Duration is { } d && d <= TimeSpan.Zero)
        {
            errors.Add($"--duration: {d} must be positive");
        }

        if (MaxInFlight < 1)
        {
            errors.Add($"--max-inflight: {MaxInFlight} must be at least 1");
        }

        foreach (var rule in CorrelationRules)
        {
            errors.AddRange(rule.Validate());
        }

        return errors;
    }
}
