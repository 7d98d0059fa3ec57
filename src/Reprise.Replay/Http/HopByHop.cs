namespace Reprise.Replay.Http;

/// <summary>
/// Headers never forwarded as recorded: hop-by-hop headers (RFC 9110 §7.6.1), HTTP/2 pseudo-headers
/// (HAR imports carry <c>:authority</c> etc.), and framing the client recomputes.
/// </summary>
internal static class HopByHop
{
    public static bool IsDropped(string name)
    {
        if (name.Length == 0 || name[0] == ':')
        {
            return true;
        }

        return name.Length switch
        {
            2 => name.Equals("te", StringComparison.OrdinalIgnoreCase),
            4 => name.Equals("host", StringComparison.OrdinalIgnoreCase),
            7 => name.Equals("upgrade", StringComparison.OrdinalIgnoreCase) || name.Equals("trailer", StringComparison.OrdinalIgnoreCase),
            10 => name.Equals("connection", StringComparison.OrdinalIgnoreCase) || name.Equals("keep-alive", StringComparison.OrdinalIgnoreCase),
            14 => name.Equals("content-length", StringComparison.OrdinalIgnoreCase),
            16 => name.Equals("proxy-connection", StringComparison.OrdinalIgnoreCase),
            17 => name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase),
            19 => name.Equals("proxy-authorization", StringComparison.OrdinalIgnoreCase) || name.Equals("proxy-authenticate", StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    /// <summary>Headers that belong on <see cref="HttpContent"/> rather than the request.</summary>
    public static bool IsContentHeader(string name) =>
        name.StartsWith("content-", StringComparison.OrdinalIgnoreCase)
        || name.Equals("expires", StringComparison.OrdinalIgnoreCase)
        || name.Equals("last-modified", StringComparison.OrdinalIgnoreCase)
        || name.Equals("allow", StringComparison.OrdinalIgnoreCase);
}
