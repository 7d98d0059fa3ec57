using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Engine;
using Reprise.Redaction.Rules;

namespace Reprise.Redaction.Policy;

/// <summary>
/// A built redaction policy: detectors, rules, header lists and the tokenization key. Thread-safe; the
/// record pipeline calls <see cref="Redact"/> on every exchange before the writer. Its rules are immutable;
/// it carries one piece of state: the values it redacted so far (bounded, in memory only), which
/// <see cref="Redact"/> also replaces in later exchanges (see <see cref="CarriedValues"/>). So one instance
/// serves one stream (a recording, a <c>redact</c> run, one results file). Build one with
/// <see cref="RedactionPolicyBuilder"/> or <see cref="LoadAsync"/>.
/// </summary>
public sealed class RedactionPolicy : IExchangeRedactor, IRedactionTokens
{
    private readonly RedactionModel _model;
    private readonly CarriedValues? _carried;
    private readonly NameSearchTerms? _nameTerms;
    private readonly TokenCache? _tokens;

    internal RedactionPolicy(RedactionModel model, string description)
        : this(model, description, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(description))))
    {
    }

    private RedactionPolicy(RedactionModel model, string description, string digest, bool carry = true)
    {
        _model = model;
        Description = description;
        PolicyDigest = digest;
        _carried = carry ? new CarriedValues() : null;
        _nameTerms = carry ? new NameSearchTerms() : null;
        // A stream already keeps its redacted values (carried); its keyed replacements are kept beside them.
        _tokens = carry ? new TokenCache() : null;
    }

    /// <summary>
    /// The same policy (rules, key, digest) for another stream: it carries nothing yet. Cheap (the built rules are
    /// shared); use one per recording, <c>redact</c> run or results file.
    /// </summary>
    public RedactionPolicy NewStream() => new(_model, Description, PolicyDigest);

    /// <inheritdoc />
    public IExchangeRedactor ForStream() => NewStream();

    /// <inheritdoc />
    public IExchangeRedactor ForSingleExchanges() => new RedactionPolicy(_model, Description, PolicyDigest, carry: false);

    /// <inheritdoc />
    public string PolicyName => _model.Name;

    /// <inheritdoc />
    public string PolicyDigest { get; }

    /// <summary>The canonical text the digest is computed from (detectors, actions, rules, header lists, key id; never the key).</summary>
    public string Description { get; }

    /// <summary>The key used by tokenize and fake.</summary>
    public RedactionKey Key => _model.Key;

    /// <inheritdoc />
    public string? TokenLike(string token, string value)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0 || TokenFormat.KindOf(token) is not { } kind)
        {
            return null;
        }

        // Like it, domain included: a recording made before email tokens moved to @redacted.example.com holds
        // @redacted.invalid ones, and a token in the new domain never met them (replay correlation, mock matching).
        var made = _model.Rewriter.Tokenize(value, kind);
        return token.EndsWith(LegacyEmailDomain, StringComparison.Ordinal) && made.EndsWith(EmailDomain, StringComparison.Ordinal)
            ? string.Concat(made.AsSpan(0, made.Length - EmailDomain.Length), LegacyEmailDomain)
            : made;
    }

    private const string EmailDomain = "@redacted.example.com";

    private const string LegacyEmailDomain = "@redacted.invalid";

    /// <summary>The default policy with the given key (see <see cref="RedactionPolicyBuilder.CreateDefault"/>).</summary>
    public static RedactionPolicy CreateDefault(RedactionKey key) => RedactionPolicyBuilder.CreateDefault().WithKey(key).Build();

    /// <summary>
    /// Loads a rules file (YAML) on top of the defaults. Every problem is collected as one line
    /// <c>FILE:LINE: where: what</c>; the policy is null when there is any.
    /// </summary>
    /// <param name="path">The rules file.</param>
    /// <param name="key">The key when the file names none (else REPRISE_REDACTION_KEY, else an ephemeral key).</param>
    /// <param name="cancellationToken">Cancels reading the file.</param>
    public static async Task<PolicyLoadResult> LoadAsync(string path, RedactionKey? key = null, CancellationToken cancellationToken = default)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new PolicyLoadResult(null, [$"{path}: cannot read rules file: {ex.Message}"]);
        }

        return RulesFileParser.Parse(text, path, key);
    }

    /// <inheritdoc />
    public Exchange Redact(Exchange exchange) => Run(exchange, findings: null, _carried);

    /// <summary>The values this policy carries from one exchange to the next (tests, benchmarks).</summary>
    internal CarriedValues Carried => _carried ?? throw new InvalidOperationException("this policy redacts each exchange on its own");

    /// <summary>The stream's cache of keyed replacements (tests); null when this policy redacts each exchange on its own.</summary>
    internal TokenCache? Tokens => _tokens;

    /// <summary>Finds what <see cref="Redact"/> would redact, with masked previews (for <c>reprise scan</c>).</summary>
    public IReadOnlyList<Finding> Scan(Exchange exchange)
    {
        var findings = new List<Finding>();
        // Locations an earlier pass tokenized or faked hold redacted values: a redacted recording scans clean.
        // Scanning reports each exchange on its own: nothing is carried from one to the next.
        Run(exchange, findings, carried: null);
        return findings;
    }

    private Exchange Run(Exchange exchange, List<Finding>? findings, CarriedValues? carried)
    {
        var session = new RedactionSession(_model, exchange.Redactions, findings) { Tokens = _tokens };
        var request = exchange.Request;
        session.ResourceOf(request);
        session.Side = RuleScope.Request;
        var url = UrlRedactor.Redact(request.Url, session, "request.url") ?? request.Url;
        var requestHeaders = HeaderRedactor.Redact(request.Headers, session, "request.header");
        var (requestBody, requestHeaders2) = BodyRedactor.Redact(request.Body, requestHeaders, session, "request.body");
        if (!ReferenceEquals(url, request.Url) || requestHeaders2 != request.Headers || !ReferenceEquals(requestBody, request.Body))
        {
            request = request with { Url = url, Headers = requestHeaders2, Body = requestBody };
        }

        var response = exchange.Response;
        if (response is not null)
        {
            session.Side = RuleScope.Response;
            var headers = HeaderRedactor.Redact(response.Headers, session, "response.header");
            var (body, headers2) = BodyRedactor.Redact(response.Body, headers, session, "response.body");
            var trailers = HeaderRedactor.Redact(response.Trailers, session, "response.trailer");
            if (headers2 != response.Headers || !ReferenceEquals(body, response.Body) || trailers != response.Trailers)
            {
                response = response with { Headers = headers2, Body = body, Trailers = trailers };
            }
        }

        var messages = RedactMessages(exchange.Messages, session);

        var tags = exchange.Tags;
        if (!tags.IsEmpty)
        {
            // Enumerating an immutable sorted dictionary rents a stack from a shared pool: not for the usual no tags.
            foreach (var (name, value) in exchange.Tags)
            {
                if (session.RedactText(value, "tag:" + name) is { } redacted)
                {
                    tags = tags.SetItem(name, redacted);
                }
            }
        }

        tags = SessionFingerprint(tags, exchange.Request.Headers, request.Headers, "authorization", WellKnownTags.RedactedAuthorization);
        tags = SessionFingerprint(tags, exchange.Request.Headers, request.Headers, "cookie", WellKnownTags.RedactedCookie);
        tags = IssuedFingerprints(tags, session.Issued, WellKnownTags.RedactedIssued);
        tags = IssuedFingerprints(tags, session.Sent, WellKnownTags.RedactedSent);

        var error = exchange.Error;
        if (error is not null && session.RedactText(error.Message, "error") is { } message)
        {
            error = error with { Message = message };
        }

        // This exchange's values are carried onward (a value the stream redacted before keeps its first replacement).
        var covered = carried is not null && session.SpreadValues is { Count: > 0 } own && carried.Remember(own);

        // Values redacted above that still appear elsewhere in the exchange (an id echoed in a fault, a name in a
        // greeting, an email in a Location header) get the same replacement there too.
        Spread(session, ref request, ref response, ref messages, ref tags, ref error);

        // Values redacted in earlier exchanges of the stream that still appear here raw (a negotiate's connection
        // token sent back as ?id=) get their first replacement too.
        // Tags are searched when the exchange came with some (the session fingerprints added above are tokens; an
        // immutable sorted dictionary's enumerator rents from a shared pool: not for the usual exchange).
        if (carried is not null && !covered && carried.Collect(session, request, response, messages, exchange.Tags.IsEmpty ? exchange.Tags : tags, error))
        {
            Spread(session, ref request, ref response, ref messages, ref tags, ref error);
        }

        // A word of a redacted name typed alone in a search (?q=gonzalez, a form's q=gonzalez) gets that word's replacement.
        // Scanning carries nothing from one exchange to the next.
        var terms = carried is null ? null : _nameTerms;
        request = NameSearchTerms.Rewrite(request, session, session.Names, terms);
        if (session.SpreadValues is { Count: > 0 })
        {
            // The replaced words long enough to spread (a search echoed in its answer: "results for gonzalez").
            Spread(session, ref request, ref response, ref messages, ref tags, ref error);
        }

        if (terms is not null && session.Names is { } names)
        {
            terms.Remember(names);
        }

        if (session.Redactions.Count == 0 && ReferenceEquals(request, exchange.Request) && ReferenceEquals(response, exchange.Response) && messages == exchange.Messages)
        {
            return exchange;
        }

        return exchange with
        {
            Request = request,
            Response = response,
            Tags = tags,
            Error = error,
            Messages = messages,
            Redactions = Merge(exchange.Redactions, session.Redactions),
        };
    }

    /// <summary>
    /// Tags a masked session credential with its keyed token: masks of one length all read the same, and replay keys
    /// sessions by these headers (one user's requests in order, their own correlated values).
    /// </summary>
    private ImmutableSortedDictionary<string, string> SessionFingerprint(ImmutableSortedDictionary<string, string> tags, ImmutableArray<HeaderField> before, ImmutableArray<HeaderField> after, string header, string tag)
    {
        if (tags.ContainsKey(tag) || before.Get(header) is not { Length: > 0 } original || string.Equals(original, after.Get(header), StringComparison.Ordinal)
            || TokenFormat.IsRedactedOutput(original))
        {
            return tags;
        }

        // An Authorization credential is keyed without its scheme (Bearer X → X): the token a login issued is the same
        // (WellKnownTags.RedactedIssued), so replay can tell which login's new token this request sends.
        var credential = header == "authorization" ? CredentialOf(original) : original;
        return tags.SetItem(tag, _model.Rewriter.Tokenize(credential, Detection.DataKind.Secret, _tokens));
    }

    /// <summary>The credential after an Authorization header's scheme (<c>Bearer X</c> → <c>X</c>); the whole value when it has no scheme.</summary>
    private static string CredentialOf(string value)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        var credential = space > 0 ? value.AsSpan(space + 1).Trim() : value.AsSpan();
        return credential.Length > 0 && credential.Length < value.Length ? credential.ToString() : value;
    }

    /// <summary>
    /// Tags the credentials the response issued masked with their keyed tokens and locations (see
    /// <see cref="WellKnownTags.RedactedIssued"/>): the same token <see cref="SessionFingerprint"/> gives the request that
    /// sends one back as its <c>Authorization</c> credential. The credentials a request body sent masked are tagged the
    /// same way (<see cref="WellKnownTags.RedactedSent"/>).
    /// </summary>
    private ImmutableSortedDictionary<string, string> IssuedFingerprints(ImmutableSortedDictionary<string, string> tags, List<(string Location, string Original)>? credentials, string tag)
    {
        if (credentials is not { Count: > 0 } issued || tags.ContainsKey(tag))
        {
            return tags;
        }

        var lines = new System.Text.StringBuilder();
        foreach (var (location, original) in issued)
        {
            if (TokenFormat.IsRedactedOutput(original) || location.Contains('\n', StringComparison.Ordinal))
            {
                continue;
            }

            lines.Append(lines.Length > 0 ? "\n" : string.Empty)
                .Append(_model.Rewriter.Tokenize(original, Detection.DataKind.Secret, _tokens)).Append('@').Append(location);
        }

        return lines.Length > 0 ? tags.SetItem(tag, lines.ToString()) : tags;
    }

    /// <summary>The same-value pass over the session's values to spread (none: nothing to do); the values are cleared after.</summary>
    private static void Spread(RedactionSession session, ref ExchangeRequest request, ref ExchangeResponse? response, ref ImmutableArray<WebSocketMessage> messages, ref ImmutableSortedDictionary<string, string> tags, ref ExchangeError? error)
    {
        if (session.SpreadValues is not { Count: > 0 } || ValueSpread.Create(session, BodyBytes(request, response, messages)) is not { } spread)
        {
            return;
        }

        try
        {
            spread.Apply(ref request, ref response, ref messages, ref tags, ref error);
            for (var i = 0; spread.ReplacedAny && i < session.Redactions.Count; i++)
            {
                if (spread.Sanitize(session.Redactions[i].Location) is var location && !ReferenceEquals(location, session.Redactions[i].Location))
                {
                    session.Redactions[i] = session.Redactions[i] with { Location = location };
                }
            }
        }
        finally
        {
            spread.Clear();
            session.SpreadValues?.Clear();
        }
    }

    private static long BodyBytes(ExchangeRequest request, ExchangeResponse? response, ImmutableArray<WebSocketMessage> messages)
    {
        long bytes = (request.Body?.Content.Length ?? 0) + (response?.Body?.Content.Length ?? 0);
        if (!messages.IsDefaultOrEmpty)
        {
            foreach (var message in messages)
            {
                bytes += message.Payload?.Content.Length ?? 0;
            }
        }

        return bytes;
    }

    /// <summary>
    /// WebSocket message payloads get the body treatment (JSON as JSON, text scanned, binary masked in
    /// place) with the side of their sender, at <c>messages[N].payload</c>; close reasons are scanned as text.
    /// </summary>
    private static ImmutableArray<WebSocketMessage> RedactMessages(ImmutableArray<WebSocketMessage> messages, RedactionSession session)
    {
        if (messages.IsDefaultOrEmpty)
        {
            return messages;
        }

        ImmutableArray<WebSocketMessage>.Builder? changed = null;
        var side = session.Side; // what follows (tags, error) keeps the scope it had before the messages
        for (var i = 0; i < messages.Length; i++)
        {
            var message = messages[i];
            session.Side = message.From == WebSocketPeer.Client ? RuleScope.Request : RuleScope.Response;
            var location = "messages[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
            var (payload, _) = BodyRedactor.Redact(message.Payload, [], session, location + ".payload");
            var reason = message.CloseReason is { } text ? session.RedactText(text, location + ".reason") ?? text : null;
            if (!ReferenceEquals(payload, message.Payload) || !ReferenceEquals(reason, message.CloseReason))
            {
                changed ??= messages.ToBuilder();
                changed[i] = message with { Payload = payload, CloseReason = reason };
            }
        }

        session.Side = side;
        return changed is null ? messages : changed.ToImmutable();
    }

    private static ImmutableArray<Core.Model.Redaction> Merge(ImmutableArray<Core.Model.Redaction> previous, List<Core.Model.Redaction> added)
    {
        if (previous.IsDefaultOrEmpty)
        {
            return [.. added];
        }

        var builder = previous.ToBuilder();
        var seen = new HashSet<(string, string)>();
        foreach (var redaction in previous)
        {
            seen.Add((redaction.Location, redaction.Rule));
        }

        foreach (var redaction in added)
        {
            if (seen.Add((redaction.Location, redaction.Rule)))
            {
                builder.Add(redaction);
            }
        }

        return builder.ToImmutable();
    }
}
