namespace Reprise.Mock.Matching;

/// <summary>What a route answers once its recorded responses are used up (mitmproxy's <c>server_replay_reuse</c>, named).</summary>
public enum ReusePolicy
{
    /// <summary>Serve recorded responses in order, then keep repeating the last one (default).</summary>
    RepeatLast,

    /// <summary>Serve recorded responses in order, then start again from the first.</summary>
    Cycle,

    /// <summary>Serve each recorded response once; afterwards the request is a miss.</summary>
    Once,
}
