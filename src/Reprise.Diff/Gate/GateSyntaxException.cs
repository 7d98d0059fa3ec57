namespace Reprise.Diff.Gate;

/// <summary>A malformed gate expression: the 1-based column and what was expected.</summary>
public sealed class GateSyntaxException : Exception
{
    public GateSyntaxException()
    {
    }

    public GateSyntaxException(string message)
        : base(message)
    {
    }

    public GateSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GateSyntaxException(int column, string message)
        : base($"column {column}: {message}")
    {
        Column = column;
    }

    /// <summary>The 1-based column of the problem.</summary>
    public int Column { get; }
}
