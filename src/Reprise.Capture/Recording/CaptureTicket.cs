namespace Reprise.Capture.Recording;

/// <summary>
/// One captured request from <see cref="ExchangeRecorder.Begin"/> to its exchange: its place in the recording's start
/// order, which earlier exchanges' redactions its own waits for, and whether it was answered.
/// </summary>
public sealed class CaptureTicket
{
    internal CaptureTicket(long order, long snapshot)
    {
        Order = order;
        Snapshot = snapshot;
    }

    /// <summary>Its place in the start order (0: written when ready).</summary>
    internal long Order { get; }

    /// <summary>Exchanges answered before this request began (see <see cref="RedactionOrder"/>).</summary>
    internal long Snapshot { get; }

    /// <summary>This exchange's answered sequence once answered (0 before).</summary>
    internal long Sequence { get; set; }
}
