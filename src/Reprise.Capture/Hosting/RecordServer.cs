using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Reprise.Capture.Forwarding;
using Reprise.Capture.Recording;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Recording;
using Reprise.Proxy.Certificates;
using Reprise.Proxy.Connections;
using Reprise.Proxy.Forwarding;
using Yarp.ReverseProxy.Forwarder;

namespace Reprise.Capture.Hosting;

/// <summary>
/// One recording process: a reverse proxy in front of <see cref="RecordServerOptions.Upstream"/> and/or a
/// forward proxy for the service's outbound calls, both feeding one recording through one redactor.
/// </summary>
public sealed class RecordServer : IAsyncDisposable
{
    /// <summary>The path answered locally on both listeners.</summary>
    public const string HealthPath = "/_reprise/health";

    /// <summary>
    /// How long the recording loop lets exchanges gather between writes: at 30k exchanges/s one wake-up and
    /// one write per millisecond instead of one per exchange; a killed recorder loses at most this much more.
    /// </summary>
    internal static readonly TimeSpan RecordBatchWindow = TimeSpan.FromMilliseconds(1);

    private readonly WebApplication _app;
    private readonly BackgroundRecordingSink _sink;
    private readonly ExchangeRecorder _recorder;
    private readonly HttpMessageInvoker _invoker;
    private readonly RecordServerOptions _options;
    private bool _stopped;

    private RecordServer(WebApplication app, BackgroundRecordingSink sink, ExchangeRecorder recorder, HttpMessageInvoker invoker, RecordServerOptions options, CaptureStats stats)
    {
        _app = app;
        _sink = sink;
        _recorder = recorder;
        _invoker = invoker;
        _options = options;
        Stats = stats;
    }

    /// <summary>The reverse proxy's bound address (null without an upstream).</summary>
    public Uri? ReverseAddress { get; private set; }

    /// <summary>The forward proxy's bound address (null without --proxy-listen).</summary>
    public Uri? ProxyAddress { get; private set; }

    /// <summary>Live counters.</summary>
    public CaptureStats Stats { get; }

    /// <summary>Exchanges written to the file so far.</summary>
    public long Written => _sink.Written;

    /// <summary>Why writing the recording stopped (e.g. disk full), or null.</summary>
    public Exception? WriteFault => _sink.Fault;

    /// <summary>Exchanges that could not be written because writing had stopped.</summary>
    public long NotWritten => _sink.Dropped;

    /// <summary>The header written as line 1.</summary>
    public static RecordingHeader BuildHeader(RecordServerOptions options, IExchangeRedactor redactor)
    {
        var capture = options.HeaderSettings.SetItem("source", "record")
            .SetItem("maxBody", options.Capture.MaxBody.ToString(CultureInfo.InvariantCulture));
        if (options.Upstream is { } upstream)
        {
            capture = capture.SetItem("upstream", upstream.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        }

        if (options.ProxyListen is not null)
        {
            capture = capture.SetItem("forwardProxy", options.Authority is null ? "tunnel-only" : "intercept");
        }

        if (options.NoInterceptHosts.Count > 0)
        {
            capture = capture.SetItem("noIntercept", string.Join(',', options.NoInterceptHosts));
        }

        if (options.Capture.IncludePaths.Count > 0)
        {
            capture = capture.SetItem("includePath", string.Join(',', options.Capture.IncludePaths.Select(p => p.Pattern)));
        }

        if (options.Capture.ExcludePaths.Count > 0)
        {
            capture = capture.SetItem("excludePath", string.Join(',', options.Capture.ExcludePaths.Select(p => p.Pattern)));
        }

        if (options.Capture.SampleRate < 1)
        {
            capture = capture.SetItem("sample", options.Capture.SampleRate.ToString(CultureInfo.InvariantCulture))
                .SetItem("seed", options.Capture.SampleSeed.ToString(CultureInfo.InvariantCulture));
        }

        var unredacted = ReferenceEquals(redactor, NoRedaction.Instance);
        return new RecordingHeader
        {
            CreatedAt = options.TimeProvider.GetUtcNow(),
            Capture = unredacted ? capture.SetItem("redaction", "disabled") : capture,
            RedactionPolicy = unredacted ? null : redactor.PolicyName,
            RedactionDigest = unredacted ? null : redactor.PolicyDigest,
        };
    }

    /// <summary>Creates the recording, binds the listeners and starts serving. Throws <see cref="CaptureStartException"/> for user-fixable failures.</summary>
    public static async Task<RecordServer> StartAsync(RecordServerOptions options, IExchangeRedactor redactor, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Upstream is null && options.ProxyListen is null)
        {
            throw new CaptureStartException("give --upstream (reverse proxy), --proxy-listen (forward proxy) or both");
        }

        RecordingWriter writer;
        try
        {
            writer = await RecordingWriter.CreateAsync(options.OutputPath, BuildHeader(options, redactor), new RecordingWriterOptions
            {
                Overwrite = options.Overwrite,
                Atomic = true, // moved into place once the listeners are bound: a failed start never replaces an old recording
                FlushInterval = options.FlushInterval,
                TimeProvider = options.TimeProvider,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (RecordingFormatException ex)
        {
            throw new CaptureStartException("--out: " + ex.Message, ex);
        }

        var sink = new BackgroundRecordingSink(writer, batchWindow: RecordBatchWindow, timeProvider: options.TimeProvider, reorderWindow: options.ReorderWindow);
        var stats = new CaptureStats();
        var recorder = new ExchangeRecorder(sink, redactor, options.Capture, stats, loggerFactory.CreateLogger("Reprise.Capture"), options.TimeProvider);
        var invoker = UpstreamClient.Create(options.UpstreamRoots, options.ConnectTimeout);
        ListenOptions? reverseListen = null, proxyListen = null;
        // No appsettings reload: its file watcher would wake on every write below the working directory
        // (the recording itself, when written there) and costs CPU the proxy needs.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddHttpForwarder();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.DrainTimeout);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null; // a recorder never limits what it forwards
            k.Limits.MinRequestBodyDataRate = null; // long-lived streams (gRPC, SSE) are legitimate
            k.Limits.MinResponseDataRate = null;
            k.Limits.Http2.MaxStreamsPerConnection = 1000;
            if (options.Upstream is not null)
            {
                k.Listen(options.Listen, o =>
                {
                    o.Protocols = HttpProtocols.Http1AndHttp2;
                    o.UseCleartextHttp2Detection();
                    reverseListen = o;
                });
            }

            if (options.ProxyListen is { } proxyEndpoint)
            {
                k.Listen(proxyEndpoint, o =>
                {
                    o.Protocols = HttpProtocols.Http1AndHttp2;
                    o.Use(next => connection =>
                    {
                        connection.Features.Set(ProxyListenerMarker.Instance);
                        return next(connection);
                    });
                    o.UseForwardProxy(new ForwardProxyOptions
                    {
                        Certificates = options.Authority is null ? null : new LeafCertificateCache(options.Authority, options.TimeProvider),
                        NoInterceptHosts = options.NoInterceptHosts,
                        TimeProvider = options.TimeProvider,
                        ConnectTimeout = options.ConnectTimeout,
                        TunnelClosed = tunnel => recorder.RecordAsync(TunnelExchange(tunnel)),
                    });
                    proxyListen = o;
                });
            }
        });

        var app = builder.Build();
        var forwarder = new RecordingForwarder(app.Services.GetRequiredService<IHttpForwarder>(), invoker, recorder, options.TimeProvider, options.UpstreamTimeout, loggerFactory.CreateLogger("Reprise.Capture.Forwarder"));
        var upstreamBase = options.Upstream is { } u ? u.GetLeftPart(UriPartial.Path).TrimEnd('/') : null;
        app.Run(context => HandleAsync(context, forwarder, upstreamBase, options.Capture.Service));
        var server = new RecordServer(app, sink, recorder, invoker, options, stats);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
        {
            // Not started: abandon the (temporary) recording so an existing file is left as it was.
            await app.DisposeAsync().ConfigureAwait(false);
            await sink.AbandonAsync().ConfigureAwait(false);
            invoker.Dispose();

            var listeners = new List<KeyValuePair<string, IPEndPoint>>();
            if (options.Upstream is not null)
            {
                listeners.Add(new("--listen", options.Listen));
            }

            if (options.ProxyListen is { } proxy)
            {
                listeners.Add(new("--proxy-listen", proxy));
            }

            throw new CaptureStartException(ListenFailure.Describe(listeners, ex), ex);
        }

        writer.MoveIntoPlace();
        server.ReverseAddress = reverseListen is null ? null : ToUri(reverseListen.IPEndPoint!);
        server.ProxyAddress = proxyListen is null ? null : ToUri(proxyListen.IPEndPoint!);
        return server;
    }

    /// <summary>Stops accepting, lets in-flight exchanges finish (up to the drain timeout), writes and closes the recording.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var drain = new CancellationTokenSource(_options.DrainTimeout);
        try
        {
            await _app.StopAsync(drain.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Drain deadline passed: what is recorded so far is still written below.
        }

        await _recorder.DrainAsync().ConfigureAwait(false); // exchanges still waiting on earlier redactions (bounded)
        await _sink.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _invoker.Dispose();
    }

    private static Task HandleAsync(HttpContext context, RecordingForwarder forwarder, string? upstreamBase, string? service)
    {
        var viaProxy = context.Features.Get<ProxyListenerMarker>() is not null;
        if (viaProxy)
        {
            var target = context.GetProxyTarget();
            if (target is { } t)
            {
                return forwarder.ForwardAsync(context, t.Origin, Direction.Outbound, null);
            }
        }

        if (context.Request.Path.Equals(HealthPath, StringComparison.Ordinal))
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync("ok\n");
        }

        if (viaProxy || upstreamBase is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return context.Response.WriteAsync("reprise: this is a forward proxy: send absolute-form requests or CONNECT (set HTTP_PROXY/HTTPS_PROXY to this address)\n");
        }

        return forwarder.ForwardAsync(context, upstreamBase, Direction.Inbound, service);
    }

    /// <summary>A blind tunnel as a CONNECT exchange (sizes only: the bytes are encrypted).</summary>
    private static Exchange TunnelExchange(TunnelSummary tunnel) =>
        new()
        {
            Id = ExchangeIds.NewId(tunnel.StartedAt),
            Direction = Direction.Outbound,
            Service = tunnel.Target.Host,
            StartedAt = tunnel.StartedAt,
            Duration = tunnel.Duration,
            Request = new ExchangeRequest { Method = "CONNECT", Url = tunnel.Target.Origin },
            Response = tunnel.Error is null ? new ExchangeResponse { Status = 200, Reason = "Connection established" } : null,
            Error = tunnel.Error is null ? null : new ExchangeError(ExchangeErrorKind.Connect, tunnel.Error),
            Tags = Exchange.EmptyTags.Add("tunnel.bytesFromClient", tunnel.BytesFromClient.ToString(CultureInfo.InvariantCulture))
                .Add("tunnel.bytesFromTarget", tunnel.BytesFromTarget.ToString(CultureInfo.InvariantCulture))
                .Add("tunnel", "blind"),
        };

    private static Uri ToUri(IPEndPoint endpoint) => new($"http://{(endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + endpoint.Address + "]" : endpoint.Address.ToString())}:{endpoint.Port}");
}
