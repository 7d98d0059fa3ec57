namespace Reprise.Core.Recording;

/// <summary>How a recording file is created.</summary>
public sealed record RecordingWriterOptions
{
    /// <summary>Replace an existing file. Off by default: nothing recorded is overwritten by accident.</summary>
    public bool Overwrite { get; init; }

    /// <summary>
    /// Write to a temporary file beside the target and move it into place on <see cref="RecordingWriter.CompleteAsync"/>,
    /// so a failed batch command never leaves a half-written output. Live recorders leave this off.
    /// </summary>
    public bool Atomic { get; init; }

    /// <summary>Longest time written exchanges may sit in buffers before they are flushed to the OS.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock used for the flush interval.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
