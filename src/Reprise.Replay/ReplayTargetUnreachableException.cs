namespace Reprise.Replay;

/// <summary>The target could not be reached before the run started (the message says which address and why).</summary>
public sealed class ReplayTargetUnreachableException : Exception
{
    public ReplayTargetUnreachableException(string message) : base(message) { }

    public ReplayTargetUnreachableException() { }

    public ReplayTargetUnreachableException(string message, Exception inner) : base(message, inner) { }
}
