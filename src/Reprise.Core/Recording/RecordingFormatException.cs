namespace Reprise.Core.Recording;

/// <summary>
/// A recording or HAR file that cannot be read: names the file and, when known, the line.
/// This is a user-input error (exit code 2), never a bug.
/// </summary>
public sealed class RecordingFormatException : Exception
{
    public RecordingFormatException()
    {
    }

    public RecordingFormatException(string message)
        : base(message)
    {
    }

    public RecordingFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RecordingFormatException(string file, long line, string message, Exception? innerException = null)
        : base(line > 0 ? $"{file}:{line}: {message}" : $"{file}: {message}", innerException)
    {
        File = file;
        Line = line;
    }

    /// <summary>The file that could not be read.</summary>
    public string? File { get; }

    /// <summary>The 1-based line, or 0 when the problem is not tied to one line.</summary>
    public long Line { get; }
}
