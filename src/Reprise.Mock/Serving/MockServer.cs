using Reprise.Proxy.Connections;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reprise.Mock.Config;
using Reprise.Mock.Matching;
using Reprise.Proxy.Certificates;
using Reprise.Proxy.Forwarding;
using Yarp.ReverseProxy.Forwarder;

namespace Reprise.Mock.Serving;

/// <summary>
/// The mock server: Kestrel with an HTTP/1.1 endpoint and, optionally, an HTTP/2 cleartext endpoint
/// (prior knowledge, so gRPC clients work without TLS), serving the index built from the recording; reloads on change.
/// </summary>
public sealed class MockServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly MockServerState _state;
    private readonly MockServerOptions _options;
    private readonly MockRules _rules;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private RecordingWatcher? _watcher;
    private int _reloads;

    private MockServer(WebApplication app, MockServerState state, MockServerOptions options, MockRules rules, ILogger logger)
    {
        _app = app;
        _state = state;
        _options = options;
        _rules = rules;
        _logger = logger;
    }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The bound HTTP/2 cleartext address when <see cref="MockServerOptions.H2cListen"/> was set.</summary>
    public Uri? H2cAddress { get; private set; }

    /// <summary>The bound forward-proxy address when <see cref="MockServerOptions.ProxyListen"/> was set.</summary>
    public Uri? ProxyAddress { get; private set; }

    /// <summary>Served requests and misses.</summary>
    public MockJournal Journal => _state.Journal;

    /// <summary>The chaos seed in use.</summary>
    public ulong Seed => _state.Seed;

    /// <summary>Exchanges currently served.</summary>
    public int ExchangeCount => _state.Index.Entries.Count;

    /// <summary>Recorded hosts currently served.</summary>
    public int HostCount => _state.Index.Authorities.Count;

    /// <summary>Completed reloads.</summary>
    public int Reloads => Volatile.Read(ref _reloads);

    /// <summary>Every problem with the options (flags, YAML config, recording path), one line each; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(MockServerOptions options)
    {
        try
        {
            MockSetup.BuildRules(options);
            return [];
        }
        catch (MockSetupException ex)
        {
            return ex.Errors;
        }
    }

    /// <summary>Validates, loads and starts listening. Throws <see cref="MockSetupException"/> for bad input (before binding) and for an address that cannot be listened on.</summary>
    public static async Task<MockServer> StartAsync(MockServerOptions options, ILoggerFactory? loggerFactory = null, Action<string>? onWarning = null, CancellationToken cancellationToken = default)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        var rules = MockSetup.BuildRules(options);
        var index = await MockSetup.LoadAsync(options, rules, onWarning, cancellationToken).ConfigureAwait(false);
        var seed = options.Seed ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        var state = new MockServerState(index, options, seed);
        var logger = loggerFactory.CreateLogger("Reprise.Mock");
        LeafCertificateCache? leaves = null;
        if (options.ProxyListen is not null)
        {
            try
            {
                var ca = CertificateAuthority.LoadOrCreate(CaPaths.ForHome(options.RepriseHome), options.Time, out _);
                leaves = new LeafCertificateCache(ca, options.Time);
            }
            catch (CertificateAuthorityException ex)
            {
                throw new MockSetupException([$"--proxy-listen: {ex.Message}"]);
            }
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        if (options.Passthrough)
        {
            builder.Services.AddHttpForwarder();
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
            // HTTP/1.1 and h2c prior knowledge (gRPC without TLS) on the same port.
            k.Listen(options.Listen, o =>
            {
                o.Protocols = HttpProtocols.Http1AndHttp2;
                o.UseCleartextHttp2Detection();
            });
            if (options.H2cListen is { } h2c)
            {
                k.Listen(h2c, o => o.Protocols = HttpProtocols.Http2);
            }

            if (options.ProxyListen is { } proxy)
            {
                k.Listen(proxy, o =>
                {
                    o.Protocols = HttpProtocols.Http1AndHttp2;
                    o.UseForwardProxy(new ForwardProxyOptions { Certificates = leaves, TimeProvider = options.Time });
                });
            }
        });
        var app = builder.Build();
        if (options.ProxyListen is not null)
        {
            state.Proxy = new ProxyRouting(options.Passthrough ? app.Services.GetRequiredService<IHttpForwarder>() : null);
        }

        var handler = new MockRequestHandler(state, logger);
        app.Run(handler.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
        {
            // Port in use, or an address not on this host: one line naming the flag, like record.
            await app.DisposeAsync().ConfigureAwait(false);
            state.Proxy?.Dispose();
            throw new MockSetupException([ListenFailure.Describe(Listeners(options), ex)]);
        }

        var server = new MockServer(app, state, options, rules, logger);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        server.Address = new Uri(addresses[0].Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        var next = 1;
        if (options.H2cListen is not null)
        {
            server.H2cAddress = new Uri(addresses[next++].Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        }

        if (options.ProxyListen is not null)
        {
            server.ProxyAddress = new Uri(addresses[next].Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        }
        MockLog.Loaded(logger, index.Entries.Count, options.RecordingPath, index.Authorities.Count, index.Learned);
        if (options.Watch)
        {
            server._watcher = new RecordingWatcher(options.RecordingPath, options.ReloadDebounce, options.Time, server.ReloadAsync);
        }

        return server;
    }

    /// <summary>Rebuilds the index from the file and swaps it in atomically; on failure keeps serving the old one.</summary>
    public async Task ReloadAsync()
    {
        await _reloadGate.WaitAsync().ConfigureAwait(false);
        try
        {
            var index = await MockSetup.LoadAsync(_options, _rules, null, CancellationToken.None).ConfigureAwait(false);
            _state.Swap(index);
            Interlocked.Increment(ref _reloads);
            MockLog.Reloaded(_logger, _options.RecordingPath, index.Entries.Count);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Any failure (bad file, a request the index cannot shape, ...) keeps the old index:
            // the watcher's callback has no one to report to, so an escaped exception would be lost.
            MockLog.ReloadFailed(_logger, _options.RecordingPath, ex.Message);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>Stops accepting, drains in-flight requests (bounded) and stops.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _watcher?.Dispose();
        _watcher = null;
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        drain.CancelAfter(TimeSpan.FromSeconds(5));
        await _app.StopAsync(drain.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _watcher?.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _reloadGate.Dispose();
        _state.Proxy?.Dispose();
    }

    private static List<KeyValuePair<string, IPEndPoint>> Listeners(MockServerOptions options)
    {
        var listeners = new List<KeyValuePair<string, IPEndPoint>> { new("--listen", options.Listen) };
        if (options.H2cListen is { } h2c)
        {
            listeners.Add(new("--h2c-listen", h2c));
        }

        if (options.ProxyListen is { } proxy)
        {
            listeners.Add(new("--proxy-listen", proxy));
        }

        return listeners;
    }

    internal static IPEndPoint Loopback(int port) => new(IPAddress.Loopback, port);
}
