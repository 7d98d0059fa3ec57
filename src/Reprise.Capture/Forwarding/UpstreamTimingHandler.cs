namespace Reprise.Capture.Forwarding;

/// <summary>Times each upstream call (request sent to response head), so the status can show the latency the proxy adds.</summary>
internal sealed class UpstreamTimingHandler(HttpMessageHandler inner, TimeProvider timeProvider) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.TryGetValue(UpstreamTiming.Key, out var timing);
        if (timing is not null)
        {
            timing.Sent = timeProvider.GetTimestamp();
        }

        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (timing is not null)
            {
                timing.Answered = timeProvider.GetTimestamp();
            }
        }
    }
}
