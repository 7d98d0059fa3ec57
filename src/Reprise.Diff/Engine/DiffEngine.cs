using System.Security.Cryptography;
using System.Text;
using Reprise.Core.Analysis;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Recording;
using Reprise.Diff.Bodies;
using Reprise.Diff.Gate;
using Reprise.Diff.Model;
using Reprise.Diff.Noise;

namespace Reprise.Diff.Engine;

/// <summary>
/// Pairs replay results with the recording (by the <c>replay.of</c> tag) and compares them. Files are
/// streamed, never loaded whole:
/// <list type="number">
/// <item>results (and baseline results): collect the recorded ids they replay (strings only);</item>
/// <item>recording: keep only those exchanges, as <see cref="RecordedEntry"/> (response, error, duration;
/// request bodies and headers dropped), learning volatile fields from identical requests on the way;</item>
/// <item>baseline results: learn what differs between two runs of the baseline build;</item>
/// <item>results: compare each with its recorded entry, fold into per-endpoint totals and bounded latency samples.</item>
/// </list>
/// Memory is the responses of the replayed recorded exchanges plus fixed-size per-endpoint samples;
/// the results files (which can hold many copies per recorded exchange) are never held.
/// </summary>
public sealed class DiffEngine
{
    private readonly DiffOptions _options;
    private readonly ExchangeComparer _comparer = new();
    private readonly NoiseModel _noise;
    private readonly Dictionary<string, RecordedEntry> _recorded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EndpointAccumulator> _endpoints = new(StringComparer.Ordinal);

    // Recorded id -> whether every baseline result for it succeeded (only filled with --baseline).
    private readonly Dictionary<string, bool> _baselineSucceeded = new(StringComparer.Ordinal);
    private readonly Action<string> _warn;

    // The first and last exchange start of the recording and of the results (RunClock).
    private (DateTimeOffset First, DateTimeOffset Last) _recordedTimes, _resultTimes;
    private TimeSpan? _resultsTimeShift; // a fixed --time-shift the results were replayed with
    private readonly Dictionary<string, ((DateTimeOffset First, DateTimeOffset Last) Times, TimeSpan? Shift)> _baselineClocks = new(StringComparer.Ordinal);

    // Results files (by path) whose header names no redaction policy: redacted with ResultsRedactor as they are read.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IExchangeRedactor> _unredacted = new(StringComparer.Ordinal); // one redaction stream per results file

    public DiffEngine(DiffOptions options, Action<string>? warn = null)
    {
        _options = options;
        _warn = warn ?? (_ => { });
        var rules = options.DefaultIgnores ? [.. options.Rules.Ignore, .. DiffRules.Defaults()] : options.Rules.Ignore;
        _noise = new NoiseModel(rules, options.DetectFormats, options.TimeNoise ?? options.Rules.TimeNoise ?? TimeNoise.Runs);
    }

    /// <summary>Runs the comparison.</summary>
    public async Task<DiffReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        var (resultCount, untagged, resultTimes, resultsHeader) = await CollectIdsAsync(_options.Results, wanted, cancellationToken).ConfigureAwait(false);
        _resultTimes = resultTimes;
        _resultsTimeShift = RunClock.FixedShiftOf(resultsHeader?.Capture.GetValueOrDefault("timeShift"));
        if (resultCount > 0 && untagged == resultCount)
        {
            throw new RecordingFormatException(_options.Results, 0, $"no exchange has a '{WellKnownTags.ReplayOf}' tag: not replay results (give the output of 'reprise replay')");
        }

        string[] baselines = [.. new[] { _options.BaselineResults, _options.SecondBaselineResults }.OfType<string>()];
        foreach (var baseline in baselines)
        {
            var (baselineCount, baselineUntagged, baselineTimes, baselineHeader) = await CollectIdsAsync(baseline, wanted, cancellationToken).ConfigureAwait(false);
            _baselineClocks[baseline] = (baselineTimes, RunClock.FixedShiftOf(baselineHeader?.Capture.GetValueOrDefault("timeShift")));
            if (baselineCount > 0 && baselineUntagged == baselineCount)
            {
                throw new RecordingFormatException(baseline, 0, $"no exchange has a '{WellKnownTags.ReplayOf}' tag: not replay results");
            }
        }

        var notReplayed = await IndexRecordingAsync(wanted, cancellationToken).ConfigureAwait(false);
        foreach (var baseline in baselines)
        {
            await LearnFromBaselineAsync(baseline, cancellationToken).ConfigureAwait(false);
        }

        var state = new CompareState();
        await CompareResultsAsync(state, cancellationToken).ConfigureAwait(false);
        if (state.Unpaired > 0)
        {
            _warn($"{_options.Results}: {state.Unpaired:N0} results replay ids that are not in {_options.Recorded} (not compared)");
        }

        return new ReportBuilder(_options, _noise).Build(_endpoints.Values, state, notReplayed);
    }

    /// <summary>Adds the recorded ids a results file replays to <paramref name="wanted"/>; its count, untagged count, first and last start, and header.</summary>
    private async Task<(long Count, long Untagged, (DateTimeOffset First, DateTimeOffset Last) Times, RecordingHeader? Header)> CollectIdsAsync(string path, HashSet<string> wanted, CancellationToken cancellationToken)
    {
        long count = 0, untagged = 0;
        (DateTimeOffset First, DateTimeOffset Last) times = default;
        var reader = new RecordingReader(path, _options.ReadOptions);
        var first = true;
        await foreach (var exchange in reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (first)
            {
                first = false;
                NoteRedaction(path, reader.Header);
            }

            count++;
            Widen(ref times, exchange.StartedAt);
            if (exchange.Tags.TryGetValue(WellKnownTags.ReplayOf, out var id))
            {
                wanted.Add(id);
            }
            else
            {
                untagged++;
            }
        }

        return (count, untagged, times, reader.Header);
    }

    private async Task<long> IndexRecordingAsync(HashSet<string> wanted, CancellationToken cancellationToken)
    {
        var firstByRequest = new Dictionary<string, (RecordedEntry Entry, DateTimeOffset Started)>(StringComparer.Ordinal);
        var learning = new LearningSink(_noise, NoiseModel.IdenticalRequests);
        long notReplayed = 0;
        await foreach (var exchange in ExchangeSources.Open(_options.Recorded, _options.ReadOptions).ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            Widen(ref _recordedTimes, exchange.StartedAt);
            if (!wanted.Contains(exchange.Id))
            {
                if (exchange.Direction == Direction.Inbound)
                {
                    notReplayed++;
                }

                continue;
            }

            if (_recorded.ContainsKey(exchange.Id))
            {
                _warn($"{_options.Recorded}: duplicate exchange id {exchange.Id}; the first one is compared");
                continue;
            }

            var endpoint = Endpoint(EndpointKey.Of(exchange).ToString());
            var entry = RecordedEntry.From(exchange, endpoint.Name);
            _recorded[exchange.Id] = entry;
            if (!entry.IsSession && entry.DurationKnown)
            {
                // a session's duration is how long it stayed open, not a latency; an unknown one (HAR time -1) is none
                endpoint.Reference.Add(entry.DurationMs);
            }
            endpoint.ReferenceExchanges++;
            if (IsError(entry))
            {
                endpoint.ReferenceErrors++;
            }

            if (_options.LearnFromRecording)
            {
                var fingerprint = Fingerprint(exchange.Request);
                if (firstByRequest.TryGetValue(fingerprint, out var earlier))
                {
                    var first = earlier.Entry;
                    if (first.Response?.Status == entry.Response?.Status && first.Error is null && entry.Error is null)
                    {
                        learning.Endpoint = endpoint.Name;
                        // A time written anew between the two is the rule's (none when either start is a placeholder).
                        learning.Clock = RunClock.Of(earlier.Started, earlier.Started, exchange.StartedAt, exchange.StartedAt);
                        _comparer.Compare(first, entry, Context(endpoint.Name, entry.Protocol), learning);
                    }
                }
                else
                {
                    firstByRequest[fingerprint] = (entry, exchange.StartedAt);
                }
            }
        }

        return notReplayed;
    }

    private async Task LearnFromBaselineAsync(string path, CancellationToken cancellationToken)
    {
        // Status and transport errors are never learned as noise from the baseline: one flaky
        // baseline 404 or timeout must not hide every status change on the endpoint.
        var (times, shift) = _baselineClocks[path];
        var learning = new LearningSink(_noise, NoiseModel.Baseline) { Clock = RunClock.Of(_recordedTimes.First, _recordedTimes.Last, times.First, times.Last, shift) };
        await foreach (var exchange in new RecordingReader(path, _options.ReadOptions).ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!exchange.Tags.TryGetValue(WellKnownTags.ReplayOf, out var id) || !_recorded.TryGetValue(id, out var recorded))
            {
                continue;
            }

            var endpoint = _endpoints[recorded.Endpoint];
            var view = RecordedEntry.From(Redacted(path, exchange), recorded.Endpoint, recorded.IsGraphQl);
            if (!view.IsSession && view.DurationKnown)
            {
                endpoint.Baseline.Add(view.DurationMs);
            }

            endpoint.BaselineExchanges++;
            var baselineError = IsError(view);
            if (baselineError)
            {
                endpoint.BaselineErrors++;
            }

            _baselineSucceeded[id] = !baselineError && _baselineSucceeded.GetValueOrDefault(id, true);

            learning.Endpoint = recorded.Endpoint;
            _comparer.Compare(recorded, view, Context(recorded.Endpoint, recorded.Protocol), learning);
        }
    }

    /// <summary>
    /// Takes an exchange's start into a window of first and last starts. An unknown start (default) is left out, and so is
    /// one before 2000: a placeholder a HAR exporter wrote (the Unix epoch), which would stretch the window over decades.
    /// </summary>
    private static void Widen(ref (DateTimeOffset First, DateTimeOffset Last) window, DateTimeOffset started)
    {
        if (!RunClock.IsKnownStart(started))
        {
            return;
        }

        window = window.First == default ? (started, started) : (started < window.First ? started : window.First, started > window.Last ? started : window.Last);
    }

    private async Task CompareResultsAsync(CompareState state, CancellationToken cancellationToken)
    {
        var sink = new CollectingSink(_noise) { Clock = RunClock.Of(_recordedTimes.First, _recordedTimes.Last, _resultTimes.First, _resultTimes.Last, _resultsTimeShift) };
        await foreach (var exchange in new RecordingReader(_options.Results, _options.ReadOptions).ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!exchange.Tags.TryGetValue(WellKnownTags.ReplayOf, out var id) || !_recorded.TryGetValue(id, out var recorded))
            {
                state.Unpaired++;
                continue;
            }

            var endpoint = _endpoints[recorded.Endpoint];
            var result = Redacted(_options.Results, exchange);
            var actual = RecordedEntry.From(result, recorded.Endpoint, recorded.IsGraphQl);
            sink.Endpoint = recorded.Endpoint;
            sink.Differences.Clear();
            sink.Correlated = result.Tags.TryGetValue(WellKnownTags.ReplayCorrelated, out var correlated) ? CorrelatedPairs.Parse(correlated) : [];
            sink.Addresses = CollectingSink.AddressesOf(recorded.Url, actual.Url);
            // Recorded through a reverse proxy, the client's Host names the recorder, and the Location it was answered
            // with (rewritten by 'record') names it too: that address is the target's in the replay as well.
            sink.ClientAddresses = recorded.RequestHost is { Length: > 0 } host && Uri.TryCreate(recorded.Url, UriKind.Absolute, out var recordedUri)
                && !string.Equals(recordedUri.Authority, host, StringComparison.OrdinalIgnoreCase)
                ? CollectingSink.AddressesOf(recordedUri.Scheme + "://" + host + "/", actual.Url)
                : null;
            sink.ClientAddressesOtherScheme = sink.ClientAddresses is not null && recorded.RequestHost is { } clientHost
                ? CollectingSink.AddressesOf((recorded.Url.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? "http://" : "https://") + clientHost + "/", actual.Url)
                : null;
            sink.RedactedRequestLength = recorded.RequestBodyRedacted && recorded.RequestLength is { } sent && string.Equals(sent, actual.RequestLength, StringComparison.Ordinal) ? sent : null;
            var context = Context(recorded.Endpoint, recorded.Protocol);
            _comparer.Compare(recorded, actual, sink.Correlated.Count == 0 ? context : context with { Correlated = sink.Correlated }, sink);
            endpoint.Exchanges++;
            if (!actual.IsSession)
            {
                endpoint.Candidate.Add(actual.DurationMs);
            }
            // With a baseline, an error it shares (same recorded id failed there too) is not new;
            // ids the baseline never ran are judged against the recording alone.
            var newError = IsError(actual) && !IsError(recorded) && _baselineSucceeded.GetValueOrDefault(id, true);
            if (newError)
            {
                endpoint.Errors++;
                endpoint.ErrorsByKind[actual.ErrorKind!] = endpoint.ErrorsByKind.GetValueOrDefault(actual.ErrorKind!) + 1;
            }

            var sampleIndex = -1;
            if (sink.Differences.Count > 0)
            {
                endpoint.Diffs++;
                endpoint.Differences += sink.Differences.Count;
                if (sink.Differences.Exists(d => d.Location == "status"))
                {
                    endpoint.StatusChanges++;
                }

                endpoint.Count(sink.Differences);
                if (state.Samples.Count < _options.MaxSamples && endpoint.Samples < _options.MaxSamplesPerEndpoint)
                {
                    endpoint.Samples++;
                    sampleIndex = state.Samples.Count;
                    state.Samples.Add(Sample(recorded, actual, exchange.Id, [.. sink.Differences]));
                }
                else
                {
                    state.SamplesOmitted++;
                }
            }

            if (_options.CollectRows)
            {
                var path = UrlParts.PathAndQuery(recorded.Url);
                state.Rows.Add(new ExchangeRow(endpoint.Index, path.Length > 160 ? path[..160] + "…" : path, recorded.Response?.Status ?? 0, actual.Response?.Status ?? 0, (float)recorded.DurationMs, (float)actual.DurationMs, sink.Differences.Count, sampleIndex, newError));
            }
        }
    }

    private void NoteRedaction(string path, RecordingHeader? header)
    {
        if (_options.ResultsRedactor is { } redactor && header is not null
            && (header.RedactionPolicy is null || header.RedactionPolicy == NoRedaction.Instance.PolicyName)
            && _unredacted.TryAdd(path, redactor.ForStream()))
        {
            _warn($"{path}: results are not redacted; the recording's redaction policy ({redactor.PolicyName}) is applied to them before comparing and reporting");
        }
    }

    private Exchange Redacted(string path, Exchange exchange) =>
        _unredacted.TryGetValue(path, out var redactor) ? redactor.Redact(exchange) : exchange;

    private DiffSample Sample(RecordedEntry recorded, RecordedEntry actual, string resultId, List<Difference> differences)
    {
        var expectedBody = _comparer.Render(recorded, recorded.Protocol);
        var actualBody = _comparer.Render(actual, recorded.Protocol);
        var truncated = expectedBody.Length > DiffReport.BodyCap || actualBody.Length > DiffReport.BodyCap;
        return new DiffSample
        {
            ResultId = resultId,
            RecordedId = recorded.Id,
            Endpoint = recorded.Endpoint,
            Method = recorded.Method,
            Url = recorded.Url,
            ExpectedStatus = Status(recorded),
            ActualStatus = Status(actual),
            Differences = differences,
            ExpectedBody = Cap(expectedBody),
            ActualBody = Cap(actualBody),
            BodiesTruncated = truncated,
        };
    }

    private static string Status(RecordedEntry entry) =>
        entry.Response is { } response ? response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : entry.Error is { } error ? error.Kind.ToString().ToLowerInvariant() : "none";

    private static string Cap(string text) => text.Length <= DiffReport.BodyCap ? text : text[..DiffReport.BodyCap];

    private BodyDiffContext Context(string endpoint, Protocol protocol)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        if (protocol == Protocol.GraphQL)
        {
            keys["$.errors"] = "message"; // GraphQL errors are a set: order is not part of the contract
        }

        foreach (var rule in _options.Rules.ArrayKeys)
        {
            if (rule.Endpoint is null || rule.Endpoint.IsMatch(endpoint))
            {
                keys[rule.Path] = rule.Key;
            }
        }

        return keys.Count == 0 && !_options.Rules.IgnoreArrayOrder
            ? BodyDiffContext.Default
            : new BodyDiffContext(_options.Rules.IgnoreArrayOrder, keys);
    }

    private EndpointAccumulator Endpoint(string name)
    {
        if (!_endpoints.TryGetValue(name, out var endpoint))
        {
            endpoint = new EndpointAccumulator(name, _endpoints.Count);
            _endpoints[name] = endpoint;
        }

        return endpoint;
    }

    /// <summary>A failure: transport error, 5xx, a gRPC status that means the server failed, or GraphQL errors on a 2xx (see <see cref="ErrorClass"/>).</summary>
    internal static bool IsError(RecordedEntry entry) => entry.ErrorKind is not null;

    private static string Fingerprint(ExchangeRequest request)
    {
        var hash = request.Body is { } body ? Convert.ToHexString(SHA256.HashData(body.Content.Span)) : string.Empty;
        return string.Concat(request.Method, " ", request.Url, "\n", hash);
    }

    /// <summary>Outputs of the compare pass.</summary>
    internal sealed class CompareState
    {
        public long Unpaired { get; set; }

        public List<DiffSample> Samples { get; } = [];

        public long SamplesOmitted { get; set; }

        public List<ExchangeRow> Rows { get; } = [];
    }
}
