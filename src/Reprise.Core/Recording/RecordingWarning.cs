namespace Reprise.Core.Recording;

/// <summary>A problem that was survived while reading (torn last line, skipped invalid line).</summary>
/// <param name="File">The file being read.</param>
/// <param name="Line">The 1-based line number; 0 when the warning is about the whole file.</param>
/// <param name="Message">What was wrong and what was done about it.</param>
public sealed record RecordingWarning(string File, long Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}
