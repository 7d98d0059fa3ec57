using System.Collections.Frozen;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Protocols;
using Reprise.Mock.Config;
using Reprise.Mock.Serving;

namespace Reprise.Mock.Matching;

/// <summary>
/// The immutable, precomputed lookup structure built once per load and swapped whole on reload.
/// Exact and volatile tiers are single dictionary lookups on a precomputed key; only a miss of
/// both scans the candidates of one method+host bucket for the nearest tier.
/// </summary>
internal sealed class MockIndex
{
    private readonly FrozenDictionary<string, Route> _exact;
    private readonly FrozenDictionary<string, Route> _volatile;

    // Within a volatile key, the recorded entries that agree with the live request on the most values of a per-call format
    // (an id in the path, a page cursor: a recorded one is sent again, a timestamp or nonce never is), with their own
    // sequence: built when first asked for.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Route> _narrowed = new(StringComparer.Ordinal);

    /// <summary>Up to this many entries under one volatile key are compared with the live request value by value.</summary>
    private const int MaxNarrowed = 256;
    private readonly FrozenDictionary<string, IReadOnlySet<string>> _volatileNames;
    private readonly bool _scoped; // some names were learned (else every path has the configured names)
    private readonly FrozenDictionary<string, MockEntry[]> _buckets;
    private readonly FrozenSet<string> _authorities;
    private readonly MockEntry[] _entries;
    private readonly VolatileFormats _formats = VolatileFormats.Default;

    private readonly MockRules _rules;
    private readonly bool _ruleWildcards;
    private readonly FrozenDictionary<string, string> _tokenLeaves;
    private readonly FrozenSet<string> _redactedLeaves;
    private readonly FrozenDictionary<string, FrozenSet<string>> _echoedOrigins;
    private readonly FrozenDictionary<string, int> _streamedRequests;

    private MockIndex(MockIndexOptions options, MockEntry[] entries, DateTimeOffset recordingStart, MockRules rules)
    {
        var configured = EveryDocument(rules.VolatileNames, entries);
        _rules = rules;
        _ruleWildcards = rules.HasWildcards;
        Options = options;
        _entries = entries;
        RecordingStart = recordingStart;
        var authorities = new HashSet<string>(StringComparer.Ordinal);
        var groups = new Dictionary<string, List<RequestShape>>(StringComparer.Ordinal);
        var buckets = new Dictionary<string, List<MockEntry>>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var shape = entry.Shape;
            if (shape.Authority.Length > 0)
            {
                authorities.Add(shape.Authority);
            }

            foreach (var group in (string[])[GroupKey(shape.Method, shape.Authority, true), GroupKey(shape.Method, shape.Authority, false)])
            {
                if (!groups.TryGetValue(group, out var shapes))
                {
                    groups[group] = shapes = [];
                    buckets[group] = [];
                }

                shapes.Add(shape);
                buckets[group].Add(entry);
            }
        }

        // Per group, the configured names; per group and path scope, those plus the names learned on that path.
        var names = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var configuredSet = configured.ToFrozenSet(StringComparer.Ordinal);
        Learned = configuredSet.Count;
        foreach (var group in groups.Keys)
        {
            names[group] = configuredSet;
            if (!options.LearnVolatile)
            {
                continue;
            }

            foreach (var (scope, set) in VolatileLearner.Learn(buckets[group]))
            {
                if (group.EndsWith('\n'))
                {
                    Learned += set.Count; // counted once, from the host-less group
                }

                set.UnionWith(configured);
                names[ScopedKey(group, scope)] = set.ToFrozenSet(StringComparer.Ordinal);
            }
        }

        _volatileNames = names.ToFrozenDictionary(StringComparer.Ordinal);
        _scoped = names.Count > groups.Count;
        _authorities = authorities.ToFrozenSet(StringComparer.Ordinal);
        _buckets = buckets.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        var exact = new Dictionary<string, List<MockEntry>>(StringComparer.Ordinal);
        var loose = new Dictionary<string, List<MockEntry>>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            foreach (var withHost in (bool[])[true, false])
            {
                Add(exact, entry.Shape.Key(withHost, null, null), entry);
                var volatileNames = VolatileNames(GroupKey(entry.Shape.Method, entry.Shape.Authority, withHost), entry.Shape);
                Add(loose, entry.Shape.Key(withHost, volatileNames, _formats, entry.Rule.WildcardNames), entry);
            }
        }

        _exact = exact.ToFrozenDictionary(p => p.Key, p => new Route(p.Value), StringComparer.Ordinal);
        _volatile = loose.ToFrozenDictionary(p => p.Key, p => new Route(p.Value), StringComparer.Ordinal);
        _tokenLeaves = TokenLeaves(entries);
        _redactedLeaves = RedactedLeaves(entries);
        _echoedOrigins = EchoedOrigins(entries);
        _streamedRequests = StreamedRequests(entries);
    }

    /// <summary>
    /// For a gRPC method with a recorded stream its client kept open and then cancelled (etcd's bidirectional Watch):
    /// how many request messages to read before matching, the fewest any such recording of the path holds. Null for
    /// other paths, and for a path that also has recorded calls that ended: their whole requests tell the calls apart, so
    /// such a path is read to the request's end (an open stream there is not served; record it on its own to mock it).
    /// </summary>
    /// <remarks>
    /// The client of such a stream never ends its side, so waiting for the whole request body waits forever; the
    /// recorded request holds what the client sent before it cancelled, and a live call sends the same first messages.
    /// </remarks>
    public int? StreamedRequestMessages(string path) => _streamedRequests.TryGetValue(path, out var messages) ? messages : null;

    private static FrozenDictionary<string, int> StreamedRequests(MockEntry[] entries)
    {
        var streamed = new Dictionary<string, int>(StringComparer.Ordinal);
        var completed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!entry.Response.IsGrpc)
            {
                continue;
            }

            if (!entry.Response.OpenUntilClientCancels)
            {
                // A call of the path that ended: its client ends its side too, and the whole request tells it apart from
                // the cancelled streams (a completed stream of two messages shares its first with a cancelled one).
                completed.Add(UrlParts.Path(entry.Exchange.Request.Url).ToString());
                continue;
            }

            var path = UrlParts.Path(entry.Exchange.Request.Url).ToString();
            var body = entry.Exchange.Request.Body is { } recorded ? recorded.Content.Span : default;
            var messages = Reprise.Core.Protocols.GrpcFraming.CountFrames(body);

            streamed[path] = streamed.TryGetValue(path, out var known) ? Math.Min(known, messages) : messages;
        }

        foreach (var path in completed)
        {
            streamed.Remove(path);
        }

        return streamed.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static readonly FrozenSet<string> NoOrigins = FrozenSet<string>.Empty;

    /// <summary>
    /// Per recorded host, the request <c>Origin</c>s its <c>Access-Control-Allow-Origin</c> echoed (named that same origin).
    /// A host allowing one fixed origin, recorded from that origin's app, echoes a single one.
    /// </summary>
    private static FrozenDictionary<string, FrozenSet<string>> EchoedOrigins(MockEntry[] entries)
    {
        var echoed = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.Exchange.Request.Headers.Get("origin") is { Length: > 0 } origin
                && entry.Exchange.Response?.Headers.Get("access-control-allow-origin") is { } allowed
                && string.Equals(allowed.Trim(), origin.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                if (!echoed.TryGetValue(entry.Shape.Authority, out var set))
                {
                    echoed[entry.Shape.Authority] = set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                }

                set.Add(origin.Trim());
            }
        }

        return echoed.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenSet(StringComparer.OrdinalIgnoreCase), StringComparer.Ordinal);
    }

    /// <summary>The origins the recorded host <paramref name="authority"/> echoed in Access-Control-Allow-Origin (see <see cref="EchoedOrigins(MockEntry[])"/>).</summary>
    public IReadOnlySet<string> OriginsEchoedBy(string authority) => _echoedOrigins.TryGetValue(authority, out var set) ? set : NoOrigins;

    /// <summary>
    /// A live path and query as shown in a miss or the journal, each query value at a leaf some recorded request holds
    /// redacted replaced by <c>(withheld)</c>: the difference lines withhold it, and the URL beside them must not name it.
    /// </summary>
    public string WithholdQuery(string pathAndQuery)
    {
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        if (q < 0 || _redactedLeaves.Count == 0)
        {
            return pathAndQuery;
        }

        var query = pathAndQuery.AsSpan(q + 1);
        var builder = new System.Text.StringBuilder(pathAndQuery.Length).Append(pathAndQuery, 0, q + 1);
        var first = true;
        foreach (var range in query.Split('&'))
        {
            var part = query[range];
            builder.Append(first ? string.Empty : "&");
            first = false;
            var eq = part.IndexOf('=');
            if (eq > 0 && _redactedLeaves.Contains("query." + QueryString.Decode(part[..eq]))
                && !RedactedValue.IsRedactionOutput(QueryString.Decode(part[(eq + 1)..])))
            {
                builder.Append(part[..(eq + 1)]).Append("(withheld)");
                continue;
            }

            builder.Append(part);
        }

        return builder.ToString();
    }

    /// <summary>Leaves where some recorded request holds a mask or token (<see cref="RecordedRedaction.Holds"/>): a live value there is never shown in a miss.</summary>
    private static FrozenSet<string> RedactedLeaves(MockEntry[] entries)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var requestRedacted = RecordedRedaction.RequestRedacted(entry.Exchange);
            foreach (var (name, value) in entry.Shape.Leaves)
            {
                if (RecordedRedaction.Holds(value, requestRedacted))
                {
                    names.Add(name);
                }
            }
        }

        return names.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The configured volatile names, where a name of a JSON body's leaf (<c>body.$.ts</c>) also names that leaf in every
    /// later document of a body holding several (NDJSON: <c>body[1].$.ts</c>, <c>body[2].$.ts</c>), as the recording has them.
    /// </summary>
    private static IReadOnlySet<string> EveryDocument(IReadOnlySet<string> configured, MockEntry[] entries)
    {
        if (!configured.Any(name => name.StartsWith("body.$", StringComparison.Ordinal)))
        {
            return configured;
        }

        HashSet<string>? expanded = null;
        foreach (var entry in entries)
        {
            foreach (var (name, _) in entry.Shape.Leaves)
            {
                // body[N].$rest → body.$rest
                var close = name.StartsWith("body[", StringComparison.Ordinal) ? name.IndexOf("].$", StringComparison.Ordinal) : -1;
                if (close > 5 && configured.Contains(string.Concat("body.", name.AsSpan(close + 2))) && !configured.Contains(name))
                {
                    (expanded ??= new HashSet<string>(configured, StringComparer.Ordinal)).Add(name);
                }
            }
        }

        return expanded ?? configured;
    }

    /// <summary>Leaves whose every recorded value is a <c>tok_…</c> token (with one of them as a sample of the kind).</summary>
    private static FrozenDictionary<string, string> TokenLeaves(MockEntry[] entries)
    {
        var samples = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            foreach (var (name, value) in entry.Shape.Leaves)
            {
                var token = RedactedValue.IsKeyedToken(value);
                if (!samples.TryGetValue(name, out var sample))
                {
                    samples[name] = token ? value : null;
                }
                else if (sample is not null && (!token || RedactedValue.TokenKind(sample) != RedactedValue.TokenKind(value)))
                {
                    samples[name] = null; // a raw value (or another kind) was recorded here too
                }
            }
        }

        return samples.Where(p => p.Value is not null).ToFrozenDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);
    }

    /// <summary>
    /// The live shape with each raw value at a leaf where the recording holds only tokens replaced by its token (with
    /// the recording's key): a request value that was tokenized only because the recorded response echoed it (a
    /// created user's name) meets its token, as redacting the live request alone cannot do.
    /// </summary>
    public RequestShape AlignTokens(RequestShape live, IRedactionTokens? tokens)
    {
        if (tokens is null || _tokenLeaves.Count == 0)
        {
            return live;
        }

        KeyValuePair<string, string>[]? leaves = null;
        for (var i = 0; i < live.Leaves.Length; i++)
        {
            var (name, value) = live.Leaves[i];
            if (value.Length > 0 && !value.StartsWith("tok_", StringComparison.Ordinal) && _tokenLeaves.TryGetValue(name, out var sample)
                && tokens.TokenLike(sample, value) is { } token)
            {
                leaves ??= (KeyValuePair<string, string>[])live.Leaves.Clone();
                leaves[i] = new(name, token);
            }
        }

        return leaves is null ? live : new RequestShape(live.Method, live.Authority, live.Path, live.SoapAction, live.TraceId, leaves);
    }

    public MockIndexOptions Options { get; }

    /// <summary>The earliest recorded start (date shifting moves it to "now").</summary>
    public DateTimeOffset RecordingStart { get; }

    public IReadOnlyList<MockEntry> Entries => _entries;

    /// <summary>Recorded hosts (canonical authority, see <see cref="UrlParts.CanonicalAuthority(string, bool)"/>).</summary>
    public IReadOnlySet<string> Authorities => _authorities;

    /// <summary>Number of volatile names in effect (configured, plus those learned per method and path).</summary>
    public int Learned { get; }

    /// <summary>
    /// True when the recording holds redacted requests (its header names a policy, or an exchange lists
    /// redactions): live requests must then go through the same policy before matching, so that a value
    /// meets the token it was recorded as.
    /// </summary>
    public bool Redacted { get; private init; }

    /// <summary>
    /// True when <paramref name="exchange"/> is an answer the mock can serve: of the served direction, with a
    /// response, and not an upstream failure (could not connect, no answer in time) whose response the recorder
    /// wrote itself: that 502/504 is Reprise's, not the recorded service's.
    /// </summary>
    public static bool Serves(Exchange exchange, Direction direction) =>
        exchange.Direction == direction && exchange.Response is not null && !AnsweredByRecorder(exchange);

    /// <summary>
    /// True when the response is the recorder's own: the upstream never answered (connect failure or timeout), or
    /// failed before its headers and the recorder wrote its 502/504 (<c>reprise: upstream … failed</c>), or for a gRPC
    /// call its trailers-only <c>grpc-status</c> with that <c>grpc-message</c>.
    /// </summary>
    public static bool AnsweredByRecorder(Exchange exchange) =>
        exchange.Error is { } error && error.Kind != ExchangeErrorKind.Canceled
        && (error.Kind is ExchangeErrorKind.Connect or ExchangeErrorKind.Timeout
            || exchange.Response is { Status: 502 or 504, Body: { } body } && body.Content.Span.StartsWith("reprise: upstream "u8)
            || exchange.Response is { Body: null } response && response.Headers.Get("grpc-message") is { } grpcMessage && grpcMessage.StartsWith("reprise: upstream ", StringComparison.Ordinal));

    /// <summary>Builds the index from the exchanges of the served direction (others, and upstream failures, are skipped).</summary>
    /// <param name="exchanges">The recording.</param>
    /// <param name="options">Matching policies.</param>
    /// <param name="rules">Per-route rules.</param>
    /// <param name="redactedHeader">The recording's header names a redaction policy.</param>
    public static MockIndex Build(IEnumerable<Exchange> exchanges, MockIndexOptions options, MockRules rules, bool redactedHeader = false)
    {
        var entries = new List<MockEntry>();
        var start = DateTimeOffset.MaxValue;
        var redacted = redactedHeader;
        foreach (var exchange in exchanges)
        {
            redacted |= !exchange.Redactions.IsDefaultOrEmpty;
            if (!Serves(exchange, options.Direction))
            {
                continue;
            }

            var shape = ShapeOf(exchange);
            entries.Add(new MockEntry(exchange, shape, new RecordedResponse(exchange), rules.Resolve(exchange.Request.Method, shape.Authority, UrlParts.Path(exchange.Request.Url)), entries.Count));
            if (exchange.StartedAt < start)
            {
                start = exchange.StartedAt;
            }
        }

        return new MockIndex(options, [.. entries], start == DateTimeOffset.MaxValue ? DateTimeOffset.UnixEpoch : start, rules) { Redacted = redacted };
    }

    /// <summary>The canonical shape of a recorded request.</summary>
    public static RequestShape ShapeOf(Exchange exchange)
    {
        var request = exchange.Request;
        var url = request.Url;
        var authority = UrlParts.Authority(url).ToString();
        if (authority.Length == 0)
        {
            authority = request.Headers.Get("host") ?? request.Headers.Get(":authority") ?? string.Empty;
        }

        return RequestShaper.Shape(
            request.Method,
            UrlParts.CanonicalAuthority(authority, url.StartsWith("https", StringComparison.OrdinalIgnoreCase)),
            UrlParts.Path(url),
            UrlParts.Query(url),
            request.Body?.MediaType ?? request.Headers.Get("content-type"),
            request.Headers.Get("soapaction"),
            request.Headers.Get("traceparent"),
            request.Body is { } body && !IsUpgradedBytes(exchange, body) ? RequestBodyCoding.Decoded(body.Content, request.Headers.Get("content-encoding")).Span : default);
    }

    // A recorded upgrade (WebSocket or any other 101 tunnel) stores the client's bytes after the switch as
    // the request body: not part of the handshake to match.
    private static bool IsUpgradedBytes(Exchange exchange, ExchangeBody body) =>
        exchange.Protocol == Protocol.WebSocket || exchange.Response?.Status == 101 || (body.Note?.StartsWith("websocket frames", StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>True when the live request names a recorded host (else host-less keys are used); <paramref name="authority"/> is canonical.</summary>
    public bool KnowsAuthority(string authority) => _authorities.Contains(authority);

    /// <summary>Finds the entry to serve, trying exact, volatile and nearest tiers in order.</summary>
    public MatchResult Match(RequestShape shape) => Find(shape, advance: true);

    /// <summary>What <see cref="Match"/> would serve, without advancing any sequence (a HEAD answered from a recorded GET).</summary>
    public MatchResult Peek(RequestShape shape) => Find(shape, advance: false);

    private MatchResult Find(RequestShape shape, bool advance)
    {
        var withHost = shape.Authority.Length > 0 && _authorities.Contains(shape.Authority);
        if (_exact.TryGetValue(shape.Key(withHost, null, null), out var route))
        {
            return Serve(route, shape, MatchTier.Exact, 1, advance);
        }

        if (Options.Key == KeyPolicy.Exact)
        {
            return default;
        }

        var group = GroupKey(shape.Method, shape.Authority, withHost);
        var names = VolatileNames(group, shape);
        // A live host that is not recorded (the client calls the mock itself) stands for any recorded host, as in the keys.
        var ruleNames = _ruleWildcards ? _rules.Resolve(shape.Method, withHost ? shape.Authority : null, shape.Path).WildcardNames : null;
        var looseKey = shape.Key(withHost, names, _formats, ruleNames);
        if (_volatile.TryGetValue(looseKey, out route))
        {
            return Serve(Narrow(looseKey, route, shape), shape, MatchTier.Volatile, 1, advance);
        }

        if (Options.Key == KeyPolicy.Volatile || !_buckets.TryGetValue(group, out var bucket))
        {
            return default;
        }

        MockEntry? best = null;
        var bestScore = 0.0;
        foreach (var candidate in bucket)
        {
            var score = Similarity.Score(shape, candidate.Shape, names, _formats, ruleNames);
            if (score > bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }

        if (best is null || bestScore < Options.Similarity)
        {
            return new MatchResult(null, MatchTier.None, bestScore);
        }

        // Serve the nearest candidate's own sequence, so repeated near-misses still advance in order.
        return _exact.TryGetValue(best.Shape.Key(withHost, null, null), out route)
            ? Serve(route, shape, MatchTier.Nearest, bestScore, advance)
            : new MatchResult(best, MatchTier.Nearest, bestScore);
    }

    /// <summary>Ranks the nearest candidates of a missed request (any host, same method first) with the fields that differ.</summary>
    public IReadOnlyList<NearMiss> Explain(RequestShape shape, int max = 3)
    {
        // Ties (another SOAP action or GraphQL operation scores 0 against every call) are broken by the leaves alone, so
        // the recorded calls of the same endpoint are named, not the first recorded calls of unrelated ones.
        var ranked = new List<(double Score, double Leaves, MockEntry Entry)>(_entries.Length);
        foreach (var entry in _entries)
        {
            var score = Similarity.Score(shape, entry.Shape, null, _formats);
            var leaves = Similarity.Score(shape, entry.Shape, null, _formats, operations: false);
            if (!string.Equals(entry.Shape.Method, shape.Method, StringComparison.Ordinal))
            {
                score *= 0.5;
                leaves *= 0.5;
            }

            ranked.Add((Math.Round(score, 3), leaves, entry));
        }

        ranked.Sort(static (a, b) => b.Score.CompareTo(a.Score) is var c && c != 0 ? c
            : b.Leaves.CompareTo(a.Leaves) is var l && l != 0 ? l : a.Entry.Order.CompareTo(b.Entry.Order));
        // A request recorded several times (a poll, a retried call) is named once: its repeats are the same near miss.
        var result = new List<NearMiss>(Math.Min(max, ranked.Count));
        var named = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ranked.Count && result.Count < max; i++)
        {
            var recorded = ranked[i].Entry.Shape;
            if (!named.Add(recorded.Key(withAuthority: true, null, null)))
            {
                continue;
            }

            var names = VolatileNames(GroupKey(recorded.Method, recorded.Authority, true), recorded);
            result.Add(new NearMiss(ranked[i].Entry, ranked[i].Score, Similarity.Differences(shape, recorded, names, _formats, _redactedLeaves, RecordedRedaction.RequestRedacted(ranked[i].Entry.Exchange))));
        }

        return result;
    }

    /// <summary>Rewinds all sequences.</summary>
    public void ResetSequences()
    {
        foreach (var route in _exact.Values)
        {
            route.Reset();
        }

        foreach (var route in _volatile.Values)
        {
            route.Reset();
        }

        _narrowed.Clear();
    }

    private MatchResult Serve(Route route, RequestShape shape, MatchTier tier, double score, bool advance) =>
        (advance ? route.Next(shape.TraceId, Options.Reuse) : route.Peek(shape.TraceId, Options.Reuse)) is { } entry ? new MatchResult(entry, tier, score) : new MatchResult(null, MatchTier.None, 0);

    /// <summary>The volatile names in effect for <paramref name="shape"/>'s path in <paramref name="group"/> (null for an unknown group).</summary>
    private IReadOnlySet<string>? VolatileNames(string group, RequestShape shape)
    {
        if (!_volatileNames.TryGetValue(group, out var names))
        {
            return null;
        }

        return _scoped && _volatileNames.TryGetValue(ScopedKey(group, VolatileLearner.Scope(shape)), out var learned) ? learned : names;
    }

    private static string ScopedKey(string group, string scope) => group + "\u0002" + scope;

    private static string GroupKey(string method, string authority, bool withHost) => withHost ? method + "\n" + authority : method + "\n";

    /// <summary>
    /// The entries of a volatile key that agree with the live request on the most values the key masked by their format
    /// (an id in the path, read with a cache-buster; a Relay page cursor, base64 of "arrayconnection:9", sent with a new
    /// request id): a recorded value sent again selects its own answer, not another id's or page's. The whole route when
    /// none agree (a new id, a timestamp) or all do.
    /// </summary>
    private Route Narrow(string looseKey, Route route, RequestShape shape)
    {
        var entries = route.Entries;
        if (entries.Count < 2 || entries.Count > MaxNarrowed)
        {
            return route;
        }

        // The live values of a per-call format, found once (not once per recorded entry).
        List<KeyValuePair<string, string>>? perCall = null;
        foreach (var leaf in shape.Leaves)
        {
            if (RequestShape.IsVolatile(leaf, null, _formats))
            {
                (perCall ??= []).Add(leaf);
            }
        }

        if (perCall is null)
        {
            return route;
        }

        var best = 0;
        List<MockEntry>? chosen = null;
        foreach (var entry in entries)
        {
            var agree = 0;
            foreach (var leaf in perCall)
            {
                if (Holds(entry.Shape, leaf))
                {
                    agree++;
                }
            }

            if (agree > best)
            {
                best = agree;
                chosen = [entry];
            }
            else if (agree == best && agree > 0)
            {
                chosen!.Add(entry);
            }
        }

        if (chosen is null || chosen.Count == entries.Count)
        {
            return route;
        }

        var key = new System.Text.StringBuilder(looseKey);
        foreach (var entry in chosen)
        {
            key.Append('\u0003').Append(entry.Order);
        }

        return _narrowed.GetOrAdd(key.ToString(), static (_, list) => new Route(list), chosen);
    }

    private static bool Holds(RequestShape shape, KeyValuePair<string, string> leaf)
    {
        foreach (var other in shape.Leaves)
        {
            if (string.Equals(other.Key, leaf.Key, StringComparison.Ordinal) && string.Equals(other.Value, leaf.Value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static void Add(Dictionary<string, List<MockEntry>> map, string key, MockEntry entry)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        if (!list.Contains(entry))
        {
            list.Add(entry);
        }
    }
}
