using Reprise.Core.Har;
using Reprise.Core.Recording;

namespace Reprise.Core.Pipeline;

/// <summary>Opens a file as a source: HAR by extension (<c>.har</c>, <c>.har.gz</c>), else a recording.</summary>
public static class ExchangeSources
{
    /// <summary>True when the path names a HAR file.</summary>
    public static bool IsHar(string path) =>
        path.EndsWith(".har", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".har.gz", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".har.zst", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens the file as the matching source.</summary>
    public static IExchangeSource Open(string path, RecordingReadOptions? readOptions = null, HarImportOptions? harOptions = null) =>
        IsHar(path)
            ? new HarReader(path, harOptions is { OnWarning: not null } || readOptions?.OnWarning is null ? harOptions : (harOptions ?? new HarImportOptions()) with { OnWarning = readOptions.OnWarning })
            : new RecordingReader(path, readOptions);
}
