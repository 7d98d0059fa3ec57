using System.IO.Compression;
using ZstdSharp;

namespace Reprise.Core.Recording;

/// <summary>Compression of a recording, chosen by file extension.</summary>
public enum RecordingCompression
{
    /// <summary>Plain <c>.jsonl</c>.</summary>
    None,

    /// <summary><c>.gz</c>.</summary>
    Gzip,

    /// <summary><c>.zst</c>.</summary>
    Zstd,
}

/// <summary>Maps paths to compression and wraps streams.</summary>
public static class RecordingCompressionExtensions
{
    /// <summary>The compression implied by a path's extension.</summary>
    public static RecordingCompression FromPath(string path) =>
        path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? RecordingCompression.Gzip
        : path.EndsWith(".zst", StringComparison.OrdinalIgnoreCase) ? RecordingCompression.Zstd
        : RecordingCompression.None;

    /// <summary>Wraps a file stream for reading.</summary>
    public static Stream WrapForRead(this RecordingCompression compression, Stream inner) => compression switch
    {
        RecordingCompression.Gzip => GzipSizeCheckStream.Open(inner),
        RecordingCompression.Zstd => new DecompressionStream(inner, leaveOpen: false),
        _ => inner,
    };

    /// <summary>Wraps a file stream for writing.</summary>
    public static Stream WrapForWrite(this RecordingCompression compression, Stream inner) => compression switch
    {
        RecordingCompression.Gzip => new GZipStream(inner, CompressionLevel.Fastest, leaveOpen: false),
        RecordingCompression.Zstd => new CompressionStream(inner, level: 3, leaveOpen: false),
        _ => inner,
    };
}
