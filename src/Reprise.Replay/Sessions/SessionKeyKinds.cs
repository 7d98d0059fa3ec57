namespace Reprise.Replay.Sessions;

/// <summary>Parsing and defaults for <see cref="SessionKeyKind"/> lists.</summary>
public static class SessionKeyKinds
{
    /// <summary>trace, authorization, cookie, client: the first present wins; none means one session per exchange.</summary>
    public static readonly IReadOnlyList<SessionKeyKind> Default = [SessionKeyKind.Trace, SessionKeyKind.Authorization, SessionKeyKind.Cookie, SessionKeyKind.Client];

    /// <summary>authorization, cookie, client: the default when the recording's trace ids cover one request each.</summary>
    public static readonly IReadOnlyList<SessionKeyKind> WithoutTrace = [SessionKeyKind.Authorization, SessionKeyKind.Cookie, SessionKeyKind.Client];

    /// <summary>Parses a comma-separated list (<c>none</c> = every exchange alone).</summary>
    public static IReadOnlyList<SessionKeyKind>? TryParse(string text, out string? error)
    {
        error = null;
        var list = new List<SessionKeyKind>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (part.ToLowerInvariant())
            {
                case "none": break;
                case "trace": list.Add(SessionKeyKind.Trace); break;
                case "authorization" or "auth": list.Add(SessionKeyKind.Authorization); break;
                case "cookie": list.Add(SessionKeyKind.Cookie); break;
                case "client": list.Add(SessionKeyKind.Client); break;
                default:
                    error = $"'{part}' is not a session key (trace, authorization, cookie, client or none)";
                    return null;
            }
        }

        return list;
    }
}
