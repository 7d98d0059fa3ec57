using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Reprise.Capture.Forwarding;

/// <summary>
/// Forwards the request as the client sent it (no X-Forwarded-* added: the upstream should see what it
/// would see without Reprise), with Host set to the destination. One instance per recorded request also
/// times the upstream: <see cref="Sent"/> when the request is handed to the client, <see cref="Answered"/>
/// when the response head arrived (timestamps of the capture clock), so the status can show the latency
/// the proxy adds, and <see cref="Completed"/> once the whole response body reached the client. <see cref="Plain"/> does the same without timing, for requests that are not recorded.
/// </summary>
internal sealed class CaptureTransformer(TimeProvider? timeProvider) : HttpTransformer
{
    public static readonly CaptureTransformer Plain = new(null);

    /// <summary>When the request was handed to the HTTP client (0 if not yet).</summary>
    public long Sent { get; private set; }

    /// <summary>When the upstream's response head arrived (0 if it never did).</summary>
    public long Answered { get; set; }

    /// <summary>
    /// Whether the response was relayed in full: YARP's forwarder calls <see cref="TransformResponseTrailersAsync"/> only
    /// after the response body copied without error (a body that failed partway goes to its error handling instead).
    /// </summary>
    public bool Completed { get; private set; }

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        var rawTarget = httpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (ExactDestination(destinationPrefix, rawTarget) is { } exact)
        {
            proxyRequest.RequestUri = exact;
        }

        proxyRequest.Headers.Host = null;
        if (DestinationUri(destinationPrefix) is { } upstream)
        {
            PointOriginAtTheUpstream(httpContext, proxyRequest, upstream);
        }

        if (timeProvider is not null)
        {
            Sent = timeProvider.GetTimestamp();
        }
    }

    private static Uri? s_lastDestination;

    /// <summary>The destination prefix as a URI, parsed once per prefix (a recorder forwards to one upstream).</summary>
    private static Uri? DestinationUri(string destinationPrefix)
    {
        var last = s_lastDestination;
        if (last is not null && string.Equals(last.OriginalString, destinationPrefix, StringComparison.Ordinal))
        {
            return last;
        }

        if (!Uri.TryCreate(destinationPrefix, UriKind.Absolute, out var uri))
        {
            return null;
        }

        s_lastDestination = uri;
        return uri;
    }

    /// <summary>
    /// The destination with the path and query exactly as the client sent them (its request target), not as the server
    /// decoded them: an encoded slash inside a segment (an npm scoped package <c>/@scope%2fname</c>, a GitLab project
    /// <c>group%2Fapp</c>) otherwise reached the upstream as <c>%252f</c> (reverse proxy) or as a real <c>/</c> (forward
    /// proxy, absolute-form target). Null when the target is neither origin- nor absolute-form (<c>*</c>) or no URI.
    /// </summary>
    internal static Uri? ExactDestination(string destinationPrefix, string? rawTarget) =>
        RawPathAndQuery(rawTarget) is { } pathAndQuery && Uri.TryCreate(Join(destinationPrefix, pathAndQuery), UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>
    /// A backslash in the path written <c>%5C</c>: <see cref="Uri"/> reads it as a '/' in an http URL, which split the
    /// segment the server read (<c>/files/a\b</c> went out as <c>/files/a/b</c>, and a recorded URL replayed so); the
    /// query keeps its own.
    /// </summary>
    private static string EscapeBackslashes(string pathAndQuery)
    {
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? pathAndQuery : pathAndQuery[..query];
        return path.Contains('\\', StringComparison.Ordinal)
            ? string.Concat(path.Replace("\\", "%5C", StringComparison.Ordinal), query < 0 ? string.Empty : pathAndQuery[query..])
            : pathAndQuery;
    }

    /// <summary>A prefix and a path as YARP joins them: a prefix ending in '/' and a path starting with one share it.</summary>
    internal static string Join(string prefix, string pathAndQuery) =>
        prefix.EndsWith('/') ? string.Concat(prefix.AsSpan(0, prefix.Length - 1), pathAndQuery) : prefix + pathAndQuery;

    /// <summary>
    /// The path and query of a request target as sent (origin- or absolute-form, without a fragment), else null. Null too
    /// when the path holds a dot segment (<c>/../</c>, <c>/%2e%2e/</c>, <c>/./</c>): the server resolved it (Kestrel's
    /// path has none), and joined to an upstream with a path (<c>--upstream http://host/app</c>) the raw one climbed
    /// out of that path (<c>/app/../secret</c> went out as <c>/secret</c>); such a request goes as the server read it.
    /// </summary>
    internal static string? RawPathAndQuery(string? rawTarget) =>
        RawPathAndQueryAsSent(rawTarget) is { } pathAndQuery && !HasDotSegment(pathAndQuery) ? EscapeBackslashes(pathAndQuery) : null;

    /// <summary>True when the path (before any '?') has a <c>.</c> or <c>..</c> segment, its dots written or percent-encoded.</summary>
    internal static bool HasDotSegment(string pathAndQuery)
    {
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? pathAndQuery.AsSpan() : pathAndQuery.AsSpan(0, query);
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            var dots = 0;
            var i = 0;
            while (i < segment.Length && dots <= 2)
            {
                if (segment[i] == '.')
                {
                    i++;
                }
                else if (segment[i] == '%' && i + 2 < segment.Length && segment[i + 1] == '2' && segment[i + 2] is 'e' or 'E')
                {
                    i += 3;
                }
                else
                {
                    break;
                }

                dots++;
            }

            if (i == segment.Length && dots is 1 or 2)
            {
                return true;
            }
        }

        return false;
    }

    private static string? RawPathAndQueryAsSent(string? rawTarget)
    {
        if (string.IsNullOrEmpty(rawTarget))
        {
            return null;
        }

        string pathAndQuery;
        if (rawTarget[0] == '/')
        {
            pathAndQuery = rawTarget;
        }
        else if (rawTarget.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || rawTarget.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            // Absolute-form (a forward proxy's request): what follows the authority.
            var authority = rawTarget.IndexOf("://", StringComparison.Ordinal) + 3;
            var end = rawTarget.IndexOfAny(['/', '?', '#'], authority);
            pathAndQuery = end < 0 ? "/" : rawTarget[end] == '/' ? rawTarget[end..] : "/" + rawTarget[end..];
        }
        else
        {
            return null;
        }

        var fragment = pathAndQuery.IndexOf('#', StringComparison.Ordinal);
        return fragment >= 0 ? pathAndQuery[..fragment] : pathAndQuery;
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (timeProvider is not null && proxyResponse is not null)
        {
            Answered = timeProvider.GetTimestamp();
        }

        var copy = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        if (proxyResponse?.RequestMessage?.RequestUri is { IsAbsoluteUri: true } upstream)
        {
            PointBackAtTheProxy(httpContext, upstream);
        }

        return copy && !NoContent(httpContext.Response);
    }

    /// <summary>
    /// A 204, 205 or 304 has no body (RFC 9110 15.3.5, 15.3.6, 15.4.5), whatever the upstream wrote after it: nothing is
    /// copied, and a 204's or 205's <c>Content-Length</c> (rspamd's <c>/learnspam</c> sends 83 bytes of gzip after its 204) is
    /// dropped, or Kestrel fails the response for the bytes it never wrote (or refuses to write them on a 205) and the client
    /// gets a 500 or 502 (QA round 14a; review 14b for 205). A 304's length describes the representation it did not send and
    /// is kept.
    /// </summary>
    internal static bool NoContent(HttpResponse response)
    {
        if (response.StatusCode is StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent)
        {
            response.Headers.ContentLength = null;
            return true;
        }

        return response.StatusCode == StatusCodes.Status304NotModified;
    }

    /// <summary>
    /// A <c>Location</c> or <c>Content-Location</c> naming the upstream's own origin (the OCI registry's upload session
    /// URL, a 201's absolute Location built from the Host the upstream saw) is rewritten to the address the client used,
    /// as nginx's <c>proxy_redirect default</c> does: otherwise the client's next request goes around the recorder and is
    /// never recorded. The recording keeps what the client received. A forward proxy's client asked for that origin itself:
    /// nothing changes there.
    /// </summary>
    internal static void PointBackAtTheProxy(HttpContext httpContext, Uri upstream)
    {
        var request = httpContext.Request;
        var responseHeaders = httpContext.Response.Headers;
        if (!request.Host.HasValue || (!responseHeaders.ContainsKey("Location") && !responseHeaders.ContainsKey("Content-Location")))
        {
            return;
        }

        var upstreamOrigin = upstream.GetLeftPart(UriPartial.Authority);
        var clientOrigin = request.Scheme + "://" + request.Host.Value;
        if (Uri.TryCreate(clientOrigin, UriKind.Absolute, out var client))
        {
            clientOrigin = client.GetLeftPart(UriPartial.Authority); // Host: example.com:443 names https://example.com
        }

        if (string.Equals(upstreamOrigin, clientOrigin, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        // The upstream's origin as a URL may write it: a default port left out (what GetLeftPart gives) or written out.
        string[] origins = upstream.IsDefaultPort ? [upstreamOrigin, upstreamOrigin + ":" + upstream.Port.ToString(CultureInfo.InvariantCulture)] : [upstreamOrigin];
        var headers = responseHeaders;
        foreach (var name in (ReadOnlySpan<string>)["Location", "Content-Location"])
        {
            if (!headers.TryGetValue(name, out var values) || values.Count != 1 || values[0] is not { } value)
            {
                continue;
            }

            foreach (var origin in origins)
            {
                if (value.StartsWith(origin, StringComparison.OrdinalIgnoreCase) && (value.Length == origin.Length || value[origin.Length] is '/' or '?' or '#'))
                {
                    headers[name] = clientOrigin + value[origin.Length..];
                    break;
                }
            }
        }
    }

    /// <summary>
    /// A same-origin request's <c>Origin</c>, and the origin of its <c>Referer</c>, name the address the client used: sent as
    /// they are, the upstream (which sees its own Host) takes the request for a cross-origin one and refuses it (Jupyter's
    /// kernel WebSocket, Tornado's and Django's origin and CSRF Referer checks). They are sent naming the upstream's origin,
    /// the reverse of <see cref="PointBackAtTheProxy"/>, as nginx users set <c>proxy_set_header Origin</c>; the recording
    /// keeps what the client sent. A Referer's path goes under the upstream's own path, as the request's does. A
    /// cross-origin value, and any request of a forward proxy's client, go as written.
    /// </summary>
    private static void PointOriginAtTheUpstream(HttpContext httpContext, HttpRequestMessage proxyRequest, Uri upstream)
    {
        var request = httpContext.Request;
        if (!request.Host.HasValue || (!request.Headers.ContainsKey("Origin") && !request.Headers.ContainsKey("Referer")))
        {
            return;
        }

        var upstreamOrigin = upstream.GetLeftPart(UriPartial.Authority);
        if (!Uri.TryCreate(request.Scheme + "://" + request.Host.Value, UriKind.Absolute, out var client))
        {
            return;
        }

        var clientOrigin = client.GetLeftPart(UriPartial.Authority);
        if (string.Equals(upstreamOrigin, clientOrigin, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        foreach (var name in (ReadOnlySpan<string>)["Origin", "Referer"])
        {
            if (!proxyRequest.Headers.TryGetValues(name, out var values))
            {
                continue;
            }

            string? value = null;
            var count = 0;
            foreach (var v in values)
            {
                value = v;
                count++;
            }

            if (count == 1 && value is not null
                && value.StartsWith(clientOrigin, StringComparison.OrdinalIgnoreCase) && (value.Length == clientOrigin.Length || value[clientOrigin.Length] is '/' or '?' or '#'))
            {
                // A Referer's page sits under the upstream's path as the request's own path does (/tree at /app/tree).
                var rest = value[clientOrigin.Length..];
                var basePath = name == "Referer" && rest.StartsWith('/') ? upstream.AbsolutePath.TrimEnd('/') : string.Empty;
                proxyRequest.Headers.Remove(name);
                proxyRequest.Headers.TryAddWithoutValidation(name, upstreamOrigin + basePath + rest);
            }
        }
    }

    public override async ValueTask TransformResponseTrailersAsync(HttpContext httpContext, HttpResponseMessage proxyResponse, CancellationToken cancellationToken)
    {
        await base.TransformResponseTrailersAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        if (timeProvider is not null)
        {
            Completed = true;
        }
    }
}
