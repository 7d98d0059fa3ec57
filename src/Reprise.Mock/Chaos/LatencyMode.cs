namespace Reprise.Mock.Chaos;

/// <summary>How long the mock waits before answering.</summary>
public enum LatencyMode
{
    /// <summary>Answer at once.</summary>
    None,

    /// <summary>Wait as long as the recorded exchange took.</summary>
    Recorded,

    /// <summary>Wait a fixed time.</summary>
    Fixed,
}
