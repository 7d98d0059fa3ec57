namespace Reprise.Replay.Http;

/// <summary>
/// Requests that never overlap (one closed-model virtual user's): <see cref="RawHttpTransport"/> keeps the
/// lane's keep-alive connection here between its requests instead of in the shared idle pool, so the next
/// request neither goes through the pool's shared queue nor picks up a connection last used (and cached) by
/// another thread. Give it back with <see cref="RawHttpTransport.EndLane"/> when the lane ends.
/// </summary>
internal sealed class TransportLane
{
    /// <summary>The lane's idle connection (owned by <see cref="RawHttpTransport"/>); null when none.</summary>
    internal RawConnection? Connection { get; set; }
}
