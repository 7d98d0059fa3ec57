using Reprise.Core.Model;

namespace Reprise.Replay.Sessions;

/// <summary>
/// Computes the session of a recorded exchange: trace id, else the Authorization value, else the
/// session cookies, else the client identity, else the exchange alone. Requests of one session are
/// replayed in recorded order and share correlated values; shards split by session.
/// </summary>
internal static class SessionKeys
{
    /// <summary>Tags the recorders store for the client identity.</summary>
    private static readonly string[] ClientTags = ["client.ip", "client.address", "client"];

    /// <summary>The session key, and whether it groups (false: the exchange is its own session).</summary>
    public static (string Key, bool Grouped) Of(Exchange exchange, IReadOnlyList<SessionKeyKind> kinds)
    {
        foreach (var kind in kinds)
        {
            switch (kind)
            {
                case SessionKeyKind.Trace when !string.IsNullOrEmpty(exchange.TraceId):
                    return ("t:" + exchange.TraceId, true);
                case SessionKeyKind.Authorization when exchange.Request.Headers.Get("Authorization") is { Length: > 0 } auth:
                    return ("a:" + auth, true);
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

    /// <summary>A stable 64-bit hash (FNV-1a with a finaliser) so shards agree across processes and machines.</summary>
    public static ulong StableHash(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        return hash ^ (hash >> 31);
    }
}
