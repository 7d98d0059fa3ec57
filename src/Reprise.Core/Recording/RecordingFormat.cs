namespace Reprise.Core.Recording;

/// <summary>Constants of the <c>*.reprise.jsonl</c> format (see docs/format.md).</summary>
public static class RecordingFormat
{
    /// <summary>The value of the header's <c>format</c> field.</summary>
    public const string FormatName = "reprise-recording";

    /// <summary>The newest format version this build reads and the one it writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The tool string written into new headers.</summary>
    public static readonly string ToolName = "reprise/" + (typeof(RecordingFormat).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
}
