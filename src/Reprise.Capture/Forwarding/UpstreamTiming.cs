namespace Reprise.Capture.Forwarding;

/// <summary>When the upstream was asked and when its response head arrived (timestamps of the capture clock).</summary>
internal sealed class UpstreamTiming
{
    public static readonly HttpRequestOptionsKey<UpstreamTiming> Key = new("reprise.upstreamTiming");

    public long Sent { get; set; }

    public long Answered { get; set; }
}
