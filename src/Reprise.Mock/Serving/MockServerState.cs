using Reprise.Mock.Matching;

namespace Reprise.Mock.Serving;

/// <summary>Runtime state shared by the handler: the current index (swapped whole on reload), journal and chaos seed.</summary>
internal sealed class MockServerState(MockIndex index, MockServerOptions options, ulong seed)
{
    private MockIndex _index = index;

    /// <summary>Incremented per request: the chaos dice roll on it.</summary>
#pragma warning disable CA1051 // Interlocked needs a field.
    public long RequestNumber;
#pragma warning restore CA1051

    public MockIndex Index => Volatile.Read(ref _index);

    public MockJournal Journal { get; } = new();

    public ulong Seed { get; } = seed;

    public int MissStatus { get; } = options.MissStatus;

    public TimeSpan TimeoutCap { get; } = options.TimeoutCap;

    public TimeProvider Time { get; } = options.Time;

    /// <summary>Send the recorded Date header instead of the current date.</summary>
    public bool RecordedDate { get; } = options.RecordedDate;

    /// <summary>The recording's redaction policy, applied to live requests when the current index is <see cref="MockIndex.Redacted"/>.</summary>
    // Each live request on its own: what one client sent must not change how another client's request is redacted and matched.
    public Core.Pipeline.IExchangeRedactor? Redactor { get; } = options.Redactor?.ForSingleExchanges();

    /// <summary>Set in proxy mode: what to do with origins the recording does not have.</summary>
    public ProxyRouting? Proxy { get; set; }

    public void Swap(MockIndex index) => Volatile.Write(ref _index, index);
}
