using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using Reprise.Core.Analysis;
using Reprise.Core.Model;
using Reprise.Core.Text;
using Reprise.Replay.Results;
using Reprise.Replay.Variation;

namespace Reprise.Replay.Http;

/// <summary>Turns recorded exchanges into <see cref="RequestTemplate"/>s for one run's options.</summary>
internal sealed class TemplateBuilder
{
    private readonly ReplayOptions _options;
    private readonly string _origin;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<EndpointKey, EndpointStats> _endpoints;
    private readonly ConcurrentDictionary<string, HttpMethod> _methods = new(StringComparer.Ordinal);

    public TemplateBuilder(ReplayOptions options, ConcurrentDictionary<EndpointKey, EndpointStats> endpoints)
    {
        _options = options;
        _endpoints = endpoints;
        _origin = options.Target.GetLeftPart(UriPartial.Authority);
        var targetPath = options.Target.AbsolutePath.TrimEnd('/');
        _prefix = targetPath + (options.AddPathPrefix is { Length: > 0 } add ? "/" + add.Trim('/') : string.Empty);
    }

    /// <summary>Set once the recording start is known (null: no shifting).</summary>
    public TimeShifter? Shifter { get; set; }

    /// <summary>
    /// A same-origin <c>Origin</c> or <c>Referer</c> (its authority is the recorded Host, or the recorded URL's) with the
    /// target's origin in place of the recorded one: replay sends the target's Host, and an app that checks the two agree
    /// (a same-origin or CSRF origin check) would reject every replayed write. Cross-origin values are left as recorded.
    /// </summary>
    private string SameOriginToTarget(string value, ExchangeRequest request)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return value;
        }

        var authority = uri.Authority;
        var recordedHost = request.Headers.Get("Host") ?? request.Headers.Get(":authority");
        var same = (recordedHost is not null && string.Equals(StripDefaultPort(recordedHost, uri.Scheme), authority, StringComparison.OrdinalIgnoreCase))
            || (Uri.TryCreate(request.Url, UriKind.Absolute, out var recordedUrl) && string.Equals(recordedUrl.Authority, authority, StringComparison.OrdinalIgnoreCase));
        if (!same)
        {
            return value;
        }

        // The origin is scheme://authority with nothing after it in an Origin header; a Referer keeps its path and query.
        var originEnd = value.IndexOf('/', uri.Scheme.Length + 3);
        return originEnd < 0 ? _origin : _origin + value[originEnd..];
    }

    /// <summary>A Host value as <see cref="Uri.Authority"/> writes it (no default port for the scheme).</summary>
    private static string StripDefaultPort(string host, string scheme)
    {
        var suffix = scheme == "https" ? ":443" : ":80";
        return host.EndsWith(suffix, StringComparison.Ordinal) ? host[..^suffix.Length] : host;
    }

    public RequestTemplate Build(Exchange recorded)
    {
        var request = recorded.Request;
        var pathAndQuery = UrlParts.PathAndQuery(request.Url);
        if (_options.StripPathPrefix is { Length: > 0 } strip)
        {
            var s = "/" + strip.Trim('/');
            if (pathAndQuery.StartsWith(s, StringComparison.Ordinal) && (pathAndQuery.Length == s.Length || pathAndQuery[s.Length] is '/' or '?'))
            {
                pathAndQuery = pathAndQuery[s.Length..];
                if (pathAndQuery.Length == 0 || pathAndQuery[0] == '?')
                {
                    pathAndQuery = "/" + pathAndQuery;
                }
            }
        }

        var url = _origin + _prefix + pathAndQuery;
        if (Shifter is { } shifter)
        {
            url = shifter.Shift(url);
        }

        var headers = new List<HeaderField>(request.Headers.Length);
        var hasUnique = false;
        foreach (var header in request.Headers)
        {
            // TE is hop-by-hop, but "TE: trailers" is the one value HTTP/2 carries, and gRPC servers require it.
            if ((HopByHop.IsDropped(header.Name) && !IsTeTrailers(header)) || IsOverridden(header.Name))
            {
                continue;
            }

            var value = Shifter is { } sh && !header.Name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && !header.Name.Equals("Cookie", StringComparison.OrdinalIgnoreCase)
                && !IsEntityTags(header)
                ? sh.Shift(header.Value)
                : header.Value;
            if (!_options.PreserveHost && (header.Name.Equals("Origin", StringComparison.OrdinalIgnoreCase) || header.Name.Equals("Referer", StringComparison.OrdinalIgnoreCase)))
            {
                value = SameOriginToTarget(value, request);
            }

            hasUnique |= CopyVarier.IsUniqueHeader(header.Name);
            headers.Add(new HeaderField(header.Name, value));
        }

        foreach (var header in _options.HeaderOverrides)
        {
            headers.Add(header);
        }

        ReadOnlyMemory<byte> body = request.Body?.Content ?? ReadOnlyMemory<byte>.Empty;
        var bodyChanged = false;
        if (Shifter is { } bodyShifter)
        {
            var shifted = bodyShifter.Shift(body);
            bodyChanged = !shifted.Equals(body);
            body = shifted;
        }

        if (_options.Multiplier > 1)
        {
            hasUnique |= !ReferenceEquals(CopyVarier.Vary(url, 1, null), url);
            if (!hasUnique && !body.IsEmpty && Core.Protocols.BinaryBodies.IsBinary(request.Headers.Get("Content-Type") ?? request.Body?.MediaType, body.Span))
            {
                hasUnique = !CopyVarier.VaryBinary(body, 1, null).Equals(body);
            }
            else if (!hasUnique && !body.IsEmpty && System.Text.Unicode.Utf8.IsValid(body.Span))
            {
                var text = Encoding.UTF8.GetString(body.Span);
                hasUnique = !ReferenceEquals(CopyVarier.Vary(text, 1, null), text);
            }
        }

        var uri = new Uri(url);
        var h2 = request.Version.StartsWith("HTTP/2", StringComparison.OrdinalIgnoreCase) || recorded.Protocol is Protocol.Http2 or Protocol.Grpc;
        var (version, policy) = uri.Scheme == Uri.UriSchemeHttps
            ? (h2 ? System.Net.HttpVersion.Version20 : System.Net.HttpVersion.Version11, HttpVersionPolicy.RequestVersionOrLower)
            : h2 && (_options.H2c || IsHttp2OnlyGrpc(recorded)) ? (System.Net.HttpVersion.Version20, HttpVersionPolicy.RequestVersionExact) : (System.Net.HttpVersion.Version11, HttpVersionPolicy.RequestVersionOrLower);

        var host = _options.PreserveHost && request.Headers.Get("Host") is { } recordedHost ? recordedHost
            : _options.PreserveHost && request.Headers.Get(":authority") is { } authority ? authority
            : uri.Authority;
        var sentHeaders = ImmutableArray.CreateBuilder<HeaderField>(headers.Count + 1);
        sentHeaders.Add(new HeaderField("Host", host));
        sentHeaders.AddRange(headers);

        // The recorded exchange's endpoint, as inspect and diff group it (not the target's host or a
        // rewritten path), so per-endpoint histograms line up across the three.
        var clientEnd = ClientEndedStream.Of(recorded);
        var endpoint = EndpointKey.Of(recorded);
        var stats = _endpoints.GetOrAdd(endpoint, static key => new EndpointStats(key));
        return new RequestTemplate
        {
            Recorded = recorded,
            Method = _methods.GetOrAdd(request.Method, static m => HttpMethod.Parse(m)),
            Url = url,
            Uri = uri,
            Headers = [.. headers],
            Body = body,
            BodyMediaType = request.Body?.MediaType,
            Version = version,
            VersionPolicy = policy,
            Endpoint = endpoint,
            EndpointText = endpoint.ToString(),
            Stats = stats,
            HasUniqueValues = hasUnique,
            // A call the recorded client ended itself (a gRPC-Web stream over HTTP/1.1) is ended the same way by the
            // HttpClient transport, which the raw one does not do.
            RawEligible = uri.Scheme == Uri.UriSchemeHttp && !h2 && clientEnd is null,
            IsGraphQl = Core.Protocols.GraphQlErrors.IsGraphQl(recorded),
            IsWebSocket = IsWebSocketSession(recorded),
            ClientEnd = clientEnd,
            SentRequest = new ExchangeRequest
            {
                Method = request.Method,
                Url = url,
                Version = version == System.Net.HttpVersion.Version20 ? "HTTP/2" : "HTTP/1.1",
                Headers = sentHeaders.ToImmutable(),
                Body = body.IsEmpty ? null : !bodyChanged ? request.Body : ExchangeBody.FromBytes(body, request.Body?.MediaType),
            },
        };
    }

    /// <summary>
    /// gRPC proper (not gRPC-Web, which runs over HTTP/1.1) exists only over HTTP/2: against a plain-http target it goes
    /// out with prior knowledge (h2c) without <c>--h2c</c>, as HTTP/1.1 could never get an answer.
    /// </summary>
    private static bool IsHttp2OnlyGrpc(Exchange recorded) =>
        recorded.Protocol == Protocol.Grpc
        && !(recorded.Request.Headers.Get("Content-Type") ?? recorded.Request.Body?.MediaType ?? string.Empty).StartsWith("application/grpc-web", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True for a conditional header holding entity tags (<c>If-None-Match</c>, <c>If-Match</c>, an <c>If-Range</c> that is
    /// no date): an entity tag is opaque (RFC 9110 8.8.3), never a time to shift. kiwix-serve's ETags hold a nanosecond
    /// clock (<c>"1795800551790465937/cz"</c>): shifted, the recorded tag was no longer the one the target's new tag
    /// replaces, and the revalidation answered 200 where the recording had 304 (QA round 15b).
    /// </summary>
    private static bool IsEntityTags(HeaderField header)
    {
        if (!Correlation.Correlator.IsConditional(header.Name))
        {
            return false;
        }

        var value = header.Value.AsSpan().TrimStart();
        return value.StartsWith("\"") || value.StartsWith("W/") || value.StartsWith("*");
    }

    private static bool IsTeTrailers(HeaderField header) =>
        header.Name.Equals("TE", StringComparison.OrdinalIgnoreCase) && header.Value.Trim().Equals("trailers", StringComparison.OrdinalIgnoreCase);

    /// <summary>A WebSocket session (a 101 to <c>Upgrade: websocket</c>, or a ws:// or wss:// URL as browsers' HARs give it).</summary>
    internal static bool IsWebSocketSession(Exchange exchange) =>
        exchange.Protocol == Protocol.WebSocket
        || Core.Protocols.ProtocolClassifier.IsWebSocketSession(exchange.Request, exchange.Response)
        || exchange.Request.Url.StartsWith("ws://", StringComparison.OrdinalIgnoreCase)
        || exchange.Request.Url.StartsWith("wss://", StringComparison.OrdinalIgnoreCase);

    private bool IsOverridden(string name)
    {
        foreach (var header in _options.HeaderOverrides)
        {
            if (header.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return _options.Token is not null && name.Equals("Authorization", StringComparison.OrdinalIgnoreCase);
    }
}
