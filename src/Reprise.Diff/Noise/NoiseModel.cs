using System.Collections.Immutable;
using Reprise.Diff.Model;

namespace Reprise.Diff.Noise;

/// <summary>
/// Decides whether a reported difference is noise, and remembers why. Sources, in order: ignore rules
/// (user, then the default header list), fields learned as volatile (from identical requests in the
/// recording, or from a second baseline run), and volatile formats (both values UUIDs, timestamps, tokens).
/// Every suppression is counted so the report lists each ignored location with its reason.
/// </summary>
public sealed class NoiseModel
{
    /// <summary>Learned from repeated identical requests within the recording.</summary>
    public const string IdenticalRequests = "identical-requests";

    /// <summary>Learned from a second run of the baseline build.</summary>
    public const string Baseline = "baseline";

    private readonly ImmutableArray<IgnoreRule> _rules;
    private readonly Dictionary<(string Endpoint, string Location), Learned> _learned = [];
    private readonly Dictionary<(string Endpoint, string Location, string Reason, string Source), long> _hits = [];

    // Locations repeat across exchanges of an endpoint; the rule (or none) that covers one is computed once.
    private readonly Dictionary<(string Endpoint, string Location), IgnoreRule?> _ruleCache = [];
    private const int RuleCacheLimit = 200_000;

    public NoiseModel(ImmutableArray<IgnoreRule> rules, bool detectFormats = true, TimeNoise timeNoise = TimeNoise.Runs)
    {
        _rules = rules;
        DetectFormats = detectFormats;
        TimeNoise = timeNoise;
    }

    /// <summary>Treat two different values of one volatile format as noise.</summary>
    public bool DetectFormats { get; }

    /// <summary>Whether two times of one format must be explained by the runs' time shift (<see cref="RunClock"/>) to be noise.</summary>
    public TimeNoise TimeNoise { get; }

    /// <summary>How many distinct endpoint locations were learned as volatile.</summary>
    public int LearnedCount => _learned.Count;

    /// <summary>Records that a location varied on an endpoint without any change of build.</summary>
    public void Learn(string endpoint, string location, string source)
    {
        if (IsRuled(endpoint, location))
        {
            return;
        }

        var key = (endpoint, LocationGlob.Generalize(location));
        if (_learned.TryGetValue(key, out var learned))
        {
            learned.Observations++;
        }
        else
        {
            _learned[key] = new Learned(source) { Observations = 1 };
        }
    }

    /// <summary>
    /// True (and counted) when the difference is noise. With <paramref name="clock"/>, two times that differ by a whole
    /// number of quarter hours are noise only when the runs' own time shift explains it (<see cref="RunClock"/>).
    /// </summary>
    public bool IsNoise(string endpoint, Difference difference, RunClock? clock = null)
    {
        clock = TimeNoise == TimeNoise.Any ? null : clock; // any two times of one format: the runs need not explain them
        if (RuleFor(endpoint, difference.Location) is { } rule)
        {
            Count(endpoint, rule.Location.Pattern, rule.Reason, rule.Source);
            return true;
        }

        var general = LocationGlob.Generalize(difference.Location);
        if (_learned.TryGetValue((endpoint, general), out var learned))
        {
            learned.Suppressed++;
            return true;
        }

        if (DetectFormats && difference.Kind == DifferenceKind.Changed && VolatileFormats.Shared(difference.Expected, difference.Actual) is { } format
            && (clock is not { } c || c.IsClockReading(difference.Expected!, difference.Actual!, format)))
        {
            Count(endpoint, general, $"both values are {Plural(format)} (a new value on every call)", "format");
            return true;
        }

        if (DetectFormats && difference.Kind == DifferenceKind.Changed
            && VolatileFormats.SharedWithin(difference.Expected, difference.Actual, clock is { } run ? run.IsClockReading : null) is { } within)
        {
            Count(endpoint, general, $"the values differ only in {Plural(within)} (a new value on every call)", "format");
            return true;
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="difference"/> is two readings of a clock that <paramref name="clock"/> explains (a time
    /// format, whole or within a short text, not moved by an unexplained whole number of quarter hours). Not counted:
    /// learning asks it so that a time written anew on a baseline run does not teach its location (and every element
    /// of its array) as noise, which would hide a time the rule reports as moved.
    /// </summary>
    public bool IsClockReading(Difference difference, RunClock clock)
    {
        if (!DetectFormats || difference.Kind != DifferenceKind.Changed)
        {
            return false;
        }

        var any = TimeNoise == TimeNoise.Any;
        if (VolatileFormats.Shared(difference.Expected, difference.Actual) is { } format)
        {
            return IsTimeFormat(format) && (any || clock.IsClockReading(difference.Expected!, difference.Actual!, format));
        }

        return VolatileFormats.SharedWithin(difference.Expected, difference.Actual, any ? null : clock.IsClockReading) is { } within && IsTimeFormat(within);
    }

    private static bool IsTimeFormat(string format) =>
        format is VolatileFormats.TimestampFormat or VolatileFormats.EpochFormat or VolatileFormats.TimeOfDayFormat;

    /// <summary>A format's name in the plural, as the noise reasons say it ("timestamps", "times of day").</summary>
    private static string Plural(string format) => format == VolatileFormats.TimeOfDayFormat ? "times of day" : format + "s";

    /// <summary>Every ignored location with its reason: learned fields (even when nothing was suppressed) and every rule or format that fired.</summary>
    public IReadOnlyList<NoiseEntry> Entries()
    {
        var list = new List<NoiseEntry>();
        foreach (var ((endpoint, location), learned) in _learned)
        {
            var reason = learned.Source == Baseline
                ? $"differed between the recording and a baseline run ({learned.Observations}×)"
                : $"differed across identical requests in the recording ({learned.Observations}×)";
            list.Add(new NoiseEntry(endpoint, location, reason, learned.Source, learned.Suppressed));
        }

        foreach (var ((endpoint, location, reason, source), count) in _hits)
        {
            list.Add(new NoiseEntry(endpoint, location, reason, source, count));
        }

        list.Sort((a, b) => (string.CompareOrdinal(a.Endpoint, b.Endpoint), string.CompareOrdinal(a.Location, b.Location)) switch
        {
            (0, var l) => l,
            var (e, _) => e,
        });
        return list;
    }

    private bool IsRuled(string endpoint, string location) => RuleFor(endpoint, location) is not null;

    private IgnoreRule? RuleFor(string endpoint, string location)
    {
        if (_ruleCache.TryGetValue((endpoint, location), out var cached))
        {
            return cached;
        }

        IgnoreRule? found = null;
        foreach (var rule in _rules)
        {
            if (rule.Covers(endpoint, location))
            {
                found = rule;
                break;
            }
        }

        if (_ruleCache.Count < RuleCacheLimit)
        {
            _ruleCache[(endpoint, location)] = found;
        }

        return found;
    }

    /// <summary>Counts a difference replay's correlation explains (a recorded id the new build replaced, sent on by replay).</summary>
    public void CountCorrelated(string endpoint, string location) =>
        Count(endpoint, LocationGlob.Generalize(location), "an id the new build issued in place of the recorded one, correlated by replay", "correlation");

    /// <summary>Counts a difference that is only the replay target's address where the recorded service's was (an absolute Location or Link URL).</summary>
    public void CountTargetAddress(string endpoint, string location) =>
        Count(endpoint, LocationGlob.Generalize(location), "the replay target's address in place of the recorded service's", "target address");

    public void CountRedactedRequestLength(string endpoint, string location) =>
        Count(endpoint, LocationGlob.Generalize(location), "echoes the request length, which redaction changed (the service saw the original body)", "redaction");

    private void Count(string endpoint, string location, string reason, string source)
    {
        var key = (endpoint, location, reason, source);
        _hits[key] = _hits.GetValueOrDefault(key) + 1;
    }

    private sealed class Learned(string source)
    {
        public string Source { get; } = source;

        public long Observations { get; set; }

        public long Suppressed { get; set; }
    }
}
