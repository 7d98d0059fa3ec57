namespace Reprise.Mock.Serving;

/// <summary>
/// Watches one file and calls back once the changes settle (debounced on the injected clock), so a
/// recorder that appends in bursts or an editor that writes via rename triggers one reload.
/// </summary>
internal sealed class RecordingWatcher : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly ITimer _timer;
    private readonly TimeSpan _debounce;

    public RecordingWatcher(string path, TimeSpan debounce, TimeProvider time, Func<Task> onChange)
    {
        _debounce = debounce;
        _timer = time.CreateTimer(_ => _ = onChange(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var full = Path.GetFullPath(path);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Poke();
        _watcher.Created += (_, _) => Poke();
        _watcher.Renamed += (_, _) => Poke();
        _watcher.EnableRaisingEvents = true;
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _timer.Dispose();
    }

    private void Poke() => _timer.Change(_debounce, Timeout.InfiniteTimeSpan);
}
