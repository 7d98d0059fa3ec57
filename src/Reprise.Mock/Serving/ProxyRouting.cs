using System.Net;
using Microsoft.AspNetCore.Http;
using Reprise.Proxy.Forwarding;
using Yarp.ReverseProxy.Forwarder;

namespace Reprise.Mock.Serving;

/// <summary>
/// Proxy mode: a request that arrived through the forward-proxy listener names its origin; recorded
/// origins are served from the index, others are refused (502 with a JSON reason) or, with
/// <c>--passthrough</c>, forwarded to the real host with YARP's forwarder.
/// </summary>
internal sealed class ProxyRouting(IHttpForwarder? forwarder) : IDisposable
{
    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    });


    /// <summary>Forwards (passthrough) or refuses a request for an unrecorded origin.</summary>
    public async Task UnrecordedAsync(HttpContext context, ProxyTarget target)
    {
        if (forwarder is not null)
        {
            await forwarder.SendAsync(context, target.Origin, _client, ForwarderRequestConfig.Empty, HttpTransformer.Default).ConfigureAwait(false);
            return;
        }

        if (GrpcErrorAnswer.IsGrpc(context.Request.ContentType))
        {
            await GrpcErrorAnswer.WriteAsync(context, GrpcErrorAnswer.Unavailable, $"reprise mock: host '{target.Authority}' is not in the recording (start with --passthrough to forward unrecorded hosts)").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status502BadGateway;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"error":"reprise mock: host '{{target.Authority}}' is not in the recording (start with --passthrough to forward unrecorded hosts)"}""", context.RequestAborted).ConfigureAwait(false);
    }

    public void Dispose() => _client.Dispose();
}
