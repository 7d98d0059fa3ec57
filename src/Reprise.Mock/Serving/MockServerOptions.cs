using System.Net;
using Reprise.Mock.Chaos;
using Reprise.Mock.Matching;

namespace Reprise.Mock.Serving;

/// <summary>Everything <c>reprise mock</c> was asked for, validated by <see cref="MockSetup"/> before anything listens.</summary>
public sealed record MockServerOptions
{
    /// <summary>The recording (or HAR) to serve.</summary>
    public required string RecordingPath { get; init; }

    /// <summary>Where to listen (port 0 picks a free port).</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>
    /// An extra HTTP/2-only cleartext endpoint (prior knowledge: gRPC and h2c clients). Kestrel cannot
    /// offer HTTP/1.1 and h2c on one cleartext port, so <see cref="Listen"/> speaks HTTP/1.1.
    /// </summary>
    public IPEndPoint? H2cListen { get; init; }

    /// <summary>
    /// Forward-proxy endpoint answering for every recorded host at once: absolute-form HTTP and CONNECT
    /// (TLS intercepted with the Reprise CA from <see cref="RepriseHome"/>). Null: no proxy listener.
    /// </summary>
    public IPEndPoint? ProxyListen { get; init; }

    /// <summary>Proxy mode: forward requests for hosts not in the recording to the real host instead of refusing them.</summary>
    public bool Passthrough { get; init; }

    /// <summary>Where the CA lives (<c>$REPRISE_HOME</c>, default <c>~/.reprise</c>); created there on first use.</summary>
    public string? RepriseHome { get; init; }

    /// <summary>Index construction and matching policies.</summary>
    public MockIndexOptions Index { get; init; } = new();

    /// <summary>Global chaos (routes in the YAML file override it).</summary>
    public ChaosOptions Chaos { get; init; } = new();

    /// <summary>The per-route YAML file, if any.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Extra volatile leaf names from the command line.</summary>
    public IReadOnlyList<string> Volatile { get; init; } = [];

    /// <summary>Status returned on a miss.</summary>
    public int MissStatus { get; init; } = 404;

    /// <summary>Seed for chaos decisions; null picks a random one (printed at start).</summary>
    public ulong? Seed { get; init; }

    /// <summary>How long a <c>--timeout-rate</c> request is held at most before the connection is aborted.</summary>
    public TimeSpan TimeoutCap { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Watch the recording and reload on change.</summary>
    public bool Watch { get; init; } = true;

    /// <summary>Debounce between the last file change and the reload.</summary>
    public TimeSpan ReloadDebounce { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Skip (with a warning) recording lines that are not valid exchanges instead of failing.</summary>
    public bool SkipInvalid { get; init; }

    /// <summary>
    /// Send the recorded <c>Date</c> header unchanged. By default the mock answers with the current date,
    /// as a live server would (clients compare it with Expires, Last-Modified and their own clock).
    /// </summary>
    public bool RecordedDate { get; init; }

    /// <summary>
    /// The redaction policy the recording was made with. When the recording is redacted, every live request
    /// goes through it before it is matched, journaled, logged or reported: a value the client sends meets
    /// the token it was recorded as, and no raw value reaches the journal, a miss body or the miss report.
    /// The response served is still the recorded one (templates still see the live request). Null, or an
    /// unredacted recording: requests are matched as received.
    /// </summary>
    public Core.Pipeline.IExchangeRedactor? Redactor { get; init; }

    /// <summary>Clock for latency, timeouts, rate limits and date shifting.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
