using Reprise.Core.IO;

namespace Reprise.Core.Har;

/// <summary>
/// Bodies an exporter stored beside the HAR (<c>"_file": "b754f0….json"</c>, Playwright's <c>content: 'attach'</c>),
/// read for one import. A HAR (a bug-report tarball) must not make the importer read anything else: only a plain
/// file name in the HAR's directory (its real path), only a regular file that is not a symbolic link (a link to
/// <c>~/.aws/credentials</c> would become a body), never an empty entry (a FIFO or device reports length 0 and opening
/// one could block forever), and at most <see cref="MaxBytes"/> of it (the rest is marked truncated with the real
/// size). Reads of one file are shared while an earlier body still holds them, so a huge file named by many entries
/// is in memory once. Anything rejected is treated as a missing attachment. The file is opened with <c>O_NOFOLLOW</c>, so a
/// link swapped in after the checks is refused too.
/// </summary>
internal sealed class HarAttachments
{
    /// <summary>Most bytes kept of one attachment: the cap import applies to a body it decodes (Core ContentDecoding).</summary>
    public const int MaxBytes = 256 * 1024 * 1024;

    private const int MaxCached = 1024;

    private readonly string? _directory;
    private readonly int _maxBytes;
    private readonly Dictionary<string, WeakReference<byte[]>> _read = new(StringComparer.Ordinal);

    public HarAttachments(string? directory, int maxBytes = MaxBytes)
    {
        _directory = directory is null ? null : RealPath(directory);
        _maxBytes = maxBytes;
    }

    private readonly List<string> _missingNames = [];
    private readonly HashSet<string> _missingDistinct = new(StringComparer.Ordinal);

    /// <summary>How many reads named an attachment that could not be used (missing, or refused by the checks above).</summary>
    public int MissingCount { get; private set; }

    /// <summary>The first few distinct attachment names that could not be used, in the order met.</summary>
    public IReadOnlyList<string> MissingNames => _missingNames;

    /// <summary>How many distinct attachment names could not be used (counted up to <see cref="MaxCached"/>).</summary>
    public int MissingDistinctCount => _missingDistinct.Count;

    /// <summary>The stored bytes of the attachment <paramref name="name"/> and the file's real size; null when it cannot be used.</summary>
    public (ReadOnlyMemory<byte> Content, long Size)? Read(string? name)
    {
        var read = name is { Length: > 0 } ? ReadNamed(name) : null;
        if (read is null && name is { Length: > 0 })
        {
            MissingCount++;
            if (_missingDistinct.Count < MaxCached && _missingDistinct.Add(name) && _missingNames.Count < 3)
            {
                _missingNames.Add(name);
            }
        }

        return read;
    }

    private (ReadOnlyMemory<byte> Content, long Size)? ReadNamed(string? name)
    {
        if (_directory is null || name is not { Length: > 0 } || name.IndexOfAny(['/', '\\', '\0']) >= 0 || name is "." or ".."
            || Path.GetFileName(name) != name)
        {
            return null;
        }

        var path = Path.Combine(_directory, name);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.LinkTarget is not null || (info.Attributes & (FileAttributes.ReparsePoint | FileAttributes.Device | FileAttributes.Directory)) != 0
                || info.Length <= 0 || !string.Equals(Path.GetDirectoryName(info.FullName), _directory, StringComparison.Ordinal))
            {
                return null;
            }

            var length = info.Length;
            var keep = (int)Math.Min(length, _maxBytes);
            if (_read.TryGetValue(name, out var weak) && weak.TryGetTarget(out var shared) && shared.Length == keep)
            {
                return (shared, length);
            }

            var bytes = new byte[keep];
            // The checks above name what was there a moment ago; opening refuses a link swapped in since (and never waits on a FIFO).
            using (var stream = NoFollowFile.OpenRead(path))
            {
                if (stream is null || stream.ReadAtLeast(bytes, keep, throwOnEndOfStream: false) < keep)
                {
                    return null; // shrank while read: not the file the HAR named
                }
            }

            if (_read.Count < MaxCached || _read.ContainsKey(name))
            {
                _read[name] = new WeakReference<byte[]>(bytes);
            }

            return (bytes, length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return null;
        }
    }

    /// <summary>The path with every symbolic link along it resolved (the directory a plain name must be directly inside).</summary>
    private static string RealPath(string directory)
    {
        var full = Path.GetFullPath(directory);
        var root = Path.GetPathRoot(full) ?? "/";
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            try
            {
                if (new DirectoryInfo(current).ResolveLinkTarget(returnFinalTarget: true) is { } target)
                {
                    current = Path.GetFullPath(target.FullName);
                }
            }
            catch (IOException)
            {
                // a broken link or loop: no attachment can be inside it; FileInfo checks below find nothing
            }
        }

        return Path.TrimEndingDirectorySeparator(current);
    }
}
