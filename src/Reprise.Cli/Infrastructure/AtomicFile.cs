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

        if (Directory.Exists(path))
        {
            throw new UsageException($"{path}: is a directory (give a file name)");
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
            FileStream created;
            try
            {
                created = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The temporary sibling is an implementation detail: name the user's path instead.
                var reason = ex is UnauthorizedAccessException ? $"permission denied in '{directory}'" : ex.Message.Replace(temp, full, StringComparison.Ordinal);
                throw new RuntimeFailureException($"{path}: cannot create: {reason}");
            }

            await using (var stream = created)
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
