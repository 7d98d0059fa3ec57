using System.Globalization;
using Reprise.Core.Model;

namespace Reprise.Replay.Sessions;

/// <summary>
/// The default session key, chosen from the start of the recording. Trace ids group a session only
/// when they actually group requests: a client instrumented with OpenTelemetry starts a new trace per
/// call, so keying by trace would make every request its own session (nothing to correlate, and a
/// create-read-delete would read and delete the recorded id). When most traced requests in the window
/// are alone in their trace, the trace is dropped from the keys and Authorization, cookies and the
/// client identity group the session instead. Deterministic for a given recording, so shards agree.
/// </summary>
public static class SessionKeyChooser
{
    /// <summary>Inbound exchanges looked at (the window is buffered, so it is bounded in count and body bytes).</summary>
    public const int Window = 1000;

    /// <summary>Body bytes the window may hold before the choice is made with what was read.</summary>
    public const long WindowBytes = 32L * 1024 * 1024;

    /// <summary>The keys to use for the default; <paramref name="note"/> explains a fallback (null when the default stands).</summary>
    public static IReadOnlyList<SessionKeyKind> Choose(IReadOnlyList<Exchange> window, out string? note)
    {
        note = null;
        var perTrace = new Dictionary<string, int>(StringComparer.Ordinal);
        var traced = 0;
        foreach (var exchange in window)
        {
            if (exchange.Direction == Direction.Inbound && !string.IsNullOrEmpty(exchange.TraceId) && !exchange.Tags.ContainsKey(WellKnownTags.TraceInjected))
            {
                traced++;
                perTrace[exchange.TraceId] = perTrace.GetValueOrDefault(exchange.TraceId) + 1;
            }
        }

        var alone = 0;
        foreach (var (_, count) in perTrace)
        {
            alone += count == 1 ? 1 : 0;
        }

        // Half or more of the traced requests alone in their trace: traces are per request here.
        if (traced < 2 || alone * 2 < traced)
        {
            return SessionKeyKinds.Default;
        }

        note = string.Create(CultureInfo.InvariantCulture, $"sessions: {alone:N0} of {traced:N0} traced requests are alone in their trace (the client starts a trace per call), so sessions are keyed by authorization, cookie, client instead (--session-key trace,authorization,cookie,client keeps trace ids)");
        return SessionKeyKinds.WithoutTrace;
    }
}
