using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Recording;

namespace Reprise.Cli.Infrastructure;

/// <summary>
/// The header of a recording derived from an input (filter, redact...): the input recording's header
/// with a new creation time and a note of where it came from, or a fresh header for a HAR input.
/// </summary>
internal static class DerivedHeader
{
    /// <param name="source">The opened input.</param>
    /// <param name="inputPath">The input's path (only its file name is recorded).</param>
    /// <param name="derivation">The capture-settings key naming the step, e.g. <c>filteredFrom</c>.</param>
    /// <param name="cancellationToken">Cancels reading the input header.</param>
    public static async Task<RecordingHeader> CreateAsync(IExchangeSource source, string inputPath, string derivation, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow();
        var name = Path.GetFileName(inputPath);
        if (source is RecordingReader recording)
        {
            var original = await recording.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            return original with { CreatedAt = now, Capture = original.Capture.SetItem(derivation, name) };
        }

        return new RecordingHeader { CreatedAt = now, Capture = Exchange.EmptyTags.Add("source", "har").Add("file", name) };
    }
}
