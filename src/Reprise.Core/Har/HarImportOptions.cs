using Reprise.Core.Model;

namespace Reprise.Core.Har;

/// <summary>How HAR entries become exchanges.</summary>
public sealed record HarImportOptions
{
    /// <summary>Direction given to imported exchanges (a browser's HAR is traffic into the services it called).</summary>
    public Direction Direction { get; init; } = Direction.Inbound;

    /// <summary>Service name for every exchange; null uses each request's host.</summary>
    public string? Service { get; init; }

    /// <summary>
    /// Where bodies an exporter stored beside the HAR (<c>"_file"</c>, Playwright's <c>content: 'attach'</c>) are read
    /// from; <see cref="HarReader"/> uses the HAR's directory when this is null.
    /// </summary>
    public string? AttachmentDirectory { get; init; }

    /// <summary>Told about entries that were skipped (not HTTP requests: <c>data:</c>, <c>blob:</c>, extension URLs).</summary>
    public Action<Recording.RecordingWarning>? OnWarning { get; init; }
}
