using Reprise.Core.Har;
using Reprise.Core.Model;
using Reprise.Core.Recording;

namespace Reprise.Cli.Infrastructure;

/// <summary>
/// Where a command that derives exchanges from an input (<c>redact</c>, <c>filter</c>) writes them: a recording
/// (<c>*.reprise.jsonl</c>, <c>.gz</c> or <c>.zst</c> by extension), or a HAR 1.2 file when the name ends in <c>.har</c>
/// (a browser's HAR cleaned before it goes to a vendor or a ticket is handed back as a HAR, which every HAR viewer reads).
/// Either is written through a temporary sibling and moved into place only when complete.
/// </summary>
internal static class ExchangeOutput
{
    public static bool IsHar(string path) => path.EndsWith(".har", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Writes <paramref name="exchanges"/> to <paramref name="path"/> and returns how many were written. A recording gets
    /// <paramref name="header"/>; a HAR, which has no header, gets its redaction policy (name and digest) as the log's comment.
    /// </summary>
    public static Task<long> WriteAsync(string path, RecordingHeader header, bool overwrite, IAsyncEnumerable<Exchange> exchanges, CancellationToken cancellationToken)
    {
        if (!IsHar(path))
        {
            return new RecordingSink(path, header, new RecordingWriterOptions { Atomic = true, Overwrite = overwrite }).ConsumeAsync(exchanges, cancellationToken);
        }

        var comment = header.RedactionPolicy is { } policy
            ? $"redacted by {RecordingFormat.ToolName} (policy {policy}{(header.RedactionDigest is { } digest ? ", " + digest : string.Empty)})"
            : null;
        return WriteHarAsync(path, overwrite, exchanges, comment, cancellationToken);
    }

    /// <summary>Writes <paramref name="exchanges"/> as a HAR 1.2 file (<see cref="HarWriter"/>); how many were written.</summary>
    public static Task<long> WriteHarAsync(string path, bool overwrite, IAsyncEnumerable<Exchange> exchanges, string? comment, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(path, overwrite, stream => new HarWriter(stream, comment).ConsumeAsync(exchanges, cancellationToken), cancellationToken);
}
