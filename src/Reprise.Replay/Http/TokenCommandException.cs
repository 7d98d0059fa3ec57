namespace Reprise.Replay.Http;

/// <summary>The token command failed (the message names the flag and the cause; never the token).</summary>
public sealed class TokenCommandException : Exception
{
    public TokenCommandException(string message) : base(message) { }

    public TokenCommandException() { }

    public TokenCommandException(string message, Exception inner) : base(message, inner) { }
}
