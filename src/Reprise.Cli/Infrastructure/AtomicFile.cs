namespace Reprise.Cli.Infrastructure;

/// <summary>Writes an output file through a temporary sibling, moved into place only on success.</summary>
internal static class AtomicFile
{
    public static async Task<T> WriteAsync<T>(string path, bool overwrite, Func<Stream, Task<T>> write, CancellationToken cancellationToken)
    {
        if (!overwrite && File.Exists(path))
        {
            throw new UsageException($"{path}: already exists (use --force to overwrite)");
        }

        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new UsageException($"{path}: directory '{directory}' does not exist");
        }

        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            T result;
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                result = await write(stream).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, full, overwrite);
            return result;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
