using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Reprise.Capture.Recording;
using Reprise.Core.Model;
using Reprise.Proxy.Certificates;

namespace Reprise.Capture.Hosting;

/// <summary>Validated settings of one <c>reprise record</c> process.</summary>
public sealed record RecordServerOptions
{
    /// <summary>The service to put the reverse proxy in front of; null for forward-proxy only.</summary>
    public Uri? Upstream { get; init; }

    /// <summary>Where the reverse proxy listens.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 9000);

    /// <summary>Where the forward proxy listens; null for none.</summary>
    public IPEndPoint? ProxyListen { get; init; }

    /// <summary>The recording to create.</summary>
    public required string OutputPath { get; init; }

    /// <summary>Replace an existing recording.</summary>
    public bool Overwrite { get; init; }

    /// <summary>What is stored.</summary>
    public CaptureOptions Capture { get; init; } = new();

    /// <summary>The CA for TLS interception (owned by the caller); null tunnels all CONNECTs blindly.</summary>
    public CertificateAuthority? Authority { get; init; }

    /// <summary>CONNECT hosts relayed blindly.</summary>
    public IReadOnlyList<string> NoInterceptHosts { get; init; } = [];

    /// <summary>Extra roots trusted for upstream TLS (besides the system store).</summary>
    public X509Certificate2Collection? UpstreamRoots { get; init; }

    /// <summary>Longest upstream silence before the client gets 504.</summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Longest wait for an upstream TCP connection.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long in-flight requests may finish on shutdown.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest time a written exchange may wait in buffers (what kill -9 can lose).</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Exchanges are written in the order their requests started: one that completes while an earlier-started
    /// request is still in flight waits for it at most this long (then is written anyway, so a long SSE or
    /// long-poll request never holds the recording back). Zero: write in completion order.
    /// </summary>
    public TimeSpan ReorderWindow { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Extra capture settings written to the header (the command line, as given).</summary>
    public ImmutableSortedDictionary<string, string> HeaderSettings { get; init; } = Exchange.EmptyTags;

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
