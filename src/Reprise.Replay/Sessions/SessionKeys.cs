using Reprise.Core.Model;

namespace Reprise.Replay.Sessions;

/// <summary>
/// Computes the session of a recorded exchange: the client's own trace id (not one the recorder
/// injected), else the Authorization value, else the session cookies, else the client address, else
/// the exchange alone. Requests of one session are
/// replayed in recorded order and share correlated values; shards split by session.
/// </summary>
internal static class SessionKeys
{
    /// <summary>
    /// Tags the recorders store for the client identity; last, the page of a browser HAR entry (<c>pageref</c>): one
    /// tab's page load, so one user's requests even when they carry no cookie or token.
    /// </summary>
    private static readonly string[] ClientTags = [WellKnownTags.ClientAddress, "client.ip", "client", "har.pageref"];

    /// <summary>The session key, and whether it groups (false: the exchange is its own session).</summary>
    public static (string Key, bool Grouped) Of(Exchange exchange, IReadOnlyList<SessionKeyKind> kinds)
    {
        foreach (var kind in kinds)
        {
            switch (kind)
            {
                // A trace the recorder injected covers one request (and its dependency calls), not a session.
                case SessionKeyKind.Trace when !string.IsNullOrEmpty(exchange.TraceId) && !exchange.Tags.ContainsKey(WellKnownTags.TraceInjected):
                    return ("t:" + exchange.TraceId, true);
                // A redacted recording masks these headers alike: its keyed token of the original tells users apart.
                case SessionKeyKind.Authorization when exchange.Tags.TryGetValue(WellKnownTags.RedactedAuthorization, out var credential) && credential.Length > 0:
                    return ("a:" + credential, true);
                case SessionKeyKind.Authorization when exchange.Request.Headers.Get("Authorization") is { Length: > 0 } auth:
                    return ("a:" + auth, true);
                case SessionKeyKind.Cookie when exchange.Tags.TryGetValue(WellKnownTags.RedactedCookie, out var cookies) && cookies.Length > 0:
                    return ("c:" + cookies, true);
                case SessionKeyKind.Cookie when exchange.Request.Headers.Get("Cookie") is { Length: > 0 } cookie:
                    return ("c:" + cookie, true);
                case SessionKeyKind.Client:
                    foreach (var tag in ClientTags)
                    {
                        if (exchange.Tags.TryGetValue(tag, out var client) && client.Length > 0)
                        {
                            return ("i:" + client, true);
                        }
                    }

                    break;
            }
        }

        return ("x:" + exchange.Id, false);
    }

    /// <summary>The client identity the recorder tagged the exchange with (its address), if any.</summary>
    public static string? ClientOf(Exchange exchange)
    {
        foreach (var tag in ClientTags)
        {
            if (exchange.Tags.TryGetValue(tag, out var client) && client.Length > 0)
            {
                return client;
            }
        }

        return null;
    }

    /// <summary>A stable 64-bit hash so shards agree across processes and machines.</summary>
    public static ulong StableHash(string key) => Core.Text.StableHash.Of(key);
}
