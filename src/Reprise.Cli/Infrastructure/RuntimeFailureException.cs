namespace Reprise.Cli.Infrastructure;

/// <summary>A failure of the environment (unreachable target, full disk): one line, exit code 3.</summary>
internal sealed class RuntimeFailureException : Exception
{
    public RuntimeFailureException()
    {
    }

    public RuntimeFailureException(string message)
        : base(message)
    {
    }

    public RuntimeFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
