namespace Reprise.Core.Recording;

/// <summary>A problem that was survived while reading (torn last line, skipped invalid line).</summary>
/// <param name="File">The file being read.</param>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Message">What was wrong and what was done about it.</param>
public sealed record RecordingWarning(string File, long Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}: {Message}";
}
