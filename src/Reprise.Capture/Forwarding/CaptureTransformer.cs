using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Reprise.Capture.Forwarding;

/// <summary>
/// Forwards the request as the client sent it (no X-Forwarded-* added: the upstream should see what it
/// would see without Reprise), with Host set to the destination, and hands the per-request timing object
/// to the <see cref="UpstreamTimingHandler"/>.
/// </summary>
internal sealed class CaptureTransformer : HttpTransformer
{
    public static readonly CaptureTransformer Instance = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        proxyRequest.Headers.Host = null;
        if (httpContext.Features.Get<UpstreamTiming>() is { } timing)
        {
            proxyRequest.Options.Set(UpstreamTiming.Key, timing);
        }
    }
}
