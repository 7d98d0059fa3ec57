using System.Collections.Immutable;
using Reprise.Core.Model;

namespace Reprise.Core.Recording;

/// <summary>Line 1 of every recording: what wrote it, when, and under which settings.</summary>
public sealed record RecordingHeader
{
    /// <summary>The format version this header declares.</summary>
    public int Version { get; init; } = RecordingFormat.CurrentVersion;

    /// <summary>The tool and version that wrote the file (e.g. <c>reprise/0.1.0</c>).</summary>
    public string Tool { get; init; } = RecordingFormat.ToolName;

    /// <summary>When the file was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Capture settings in force (source, upstream, filters, body cap...).</summary>
    public ImmutableSortedDictionary<string, string> Capture { get; init; } = Exchange.EmptyTags;

    /// <summary>The redaction policy name, or null when the file was written unredacted.</summary>
    public string? RedactionPolicy { get; init; }

    /// <summary>A digest of the redaction policy, so two recordings can be told to share one.</summary>
    public string? RedactionDigest { get; init; }
}
