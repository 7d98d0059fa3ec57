namespace Reprise.Core.Recording;

/// <summary>How a recording is read.</summary>
public sealed record RecordingReadOptions
{
    /// <summary>Skip (with a warning) lines that are not valid exchanges instead of failing.</summary>
    public bool SkipInvalid { get; init; }

    /// <summary>Receives warnings (torn last line, skipped lines). Null drops them.</summary>
    public Action<RecordingWarning>? OnWarning { get; init; }
}
