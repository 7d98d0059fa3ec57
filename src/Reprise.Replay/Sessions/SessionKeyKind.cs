namespace Reprise.Replay.Sessions;

/// <summary>What groups recorded exchanges into one session (requests within a session go in order).</summary>
public enum SessionKeyKind
{
    /// <summary>The W3C trace id.</summary>
    Trace,

    /// <summary>The Authorization header value.</summary>
    Authorization,

    /// <summary>Session-like cookies (the Cookie header without volatile analytics cookies).</summary>
    Cookie,

    /// <summary>The client identity tag (client address) the recorder stored.</summary>
    Client,
}
