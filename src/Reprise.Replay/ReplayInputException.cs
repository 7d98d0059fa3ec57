namespace Reprise.Replay;

/// <summary>The input cannot be replayed (e.g. it holds no inbound exchanges).</summary>
public sealed class ReplayInputException : Exception
{
    public ReplayInputException(string message) : base(message) { }

    public ReplayInputException() { }

    public ReplayInputException(string message, Exception inner) : base(message, inner) { }
}
