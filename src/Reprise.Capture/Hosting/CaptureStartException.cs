namespace Reprise.Capture.Hosting;

/// <summary>The recorder could not start for a reason the user can fix (port in use, file exists); the message names the flag.</summary>
public sealed class CaptureStartException : Exception
{
    public CaptureStartException(string message)
        : base(message)
    {
    }

    public CaptureStartException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public CaptureStartException()
    {
    }
}
