using Microsoft.AspNetCore.Http;
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
        proxyRequest.Headers.Host = null;
        if (timeProvider is not null)
        {
            Sent = timeProvider.GetTimestamp();
        }
    }

    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (timeProvider is not null && proxyResponse is not null)
        {
            Answered = timeProvider.GetTimestamp();
        }

        return base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
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
