using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Recording;
using Reprise.Testing;
using Xunit;

namespace Reprise.Core.Tests.Recording;

public sealed class RecordingWriterTests : IDisposable
{
    private static readonly RecordingHeader Header = new() { CreatedAt = DateTimeOffset.UnixEpoch };
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Create_ExistingFile_RefusesWithoutOverwriteAndLeavesItIntact()
    {
        var path = _dir.File("keep.reprise.jsonl");
        await File.WriteAllTextAsync(path, "precious", TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => RecordingWriter.CreateAsync(path, Header));

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal("precious", await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Create_PathIsADirectory_RefusedBeforeAnythingIsWritten(bool atomic)
    {
        // docs walk: `reprise filter IN -o somedir` filtered the whole input into a temporary sibling, then failed at
        // the final move with "Is a directory : '/…/somedir'" (exit 3, no flag named).
        var path = _dir.File("out");
        Directory.CreateDirectory(path);

        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => RecordingWriter.CreateAsync(path, Header, new RecordingWriterOptions { Atomic = atomic, Overwrite = true }));

        Assert.Equal($"{path}: is a directory (give a file name)", error.Message);
        Assert.Empty(Directory.GetFiles(_dir.Path));
        Assert.Empty(Directory.GetFileSystemEntries(path));
    }

    [Fact]
    public async Task Atomic_NotCompleted_LeavesNoFileBehind()
    {
        var path = _dir.File("atomic.reprise.jsonl");
        await using (var writer = await RecordingWriter.CreateAsync(path, Header, new RecordingWriterOptions { Atomic = true }))
        {
            await writer.WriteAsync(Exchanges.Get("http://a.test/"));
        }

        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public async Task Atomic_Completed_MovesIntoPlace()
    {
        var path = _dir.File("atomic.reprise.jsonl");
        await using (var writer = await RecordingWriter.CreateAsync(path, Header, new RecordingWriterOptions { Atomic = true }))
        {
            await writer.WriteAsync(Exchanges.Get("http://a.test/"));
            await writer.CompleteAsync();
        }

        Assert.Equal([path], Directory.GetFiles(_dir.Path));
        Assert.Single(await Exchanges.ReadAllAsync(path));
    }

    [Fact]
    public async Task Write_AfterFlushInterval_ReachesTheFileWithoutDispose()
    {
        var time = new FakeTimeProvider();
        var path = _dir.File("flush.reprise.jsonl");
        await using var writer = await RecordingWriter.CreateAsync(path, Header, new RecordingWriterOptions { FlushInterval = TimeSpan.FromSeconds(1), TimeProvider = time });

        await writer.WriteAsync(Exchanges.Get("http://a.test/1"));
        var before = File.ReadAllLines(path).Length;
        time.Advance(TimeSpan.FromSeconds(1));
        await writer.WriteAsync(Exchanges.Get("http://a.test/2"));
        var after = File.ReadAllLines(path).Length;

        Assert.Equal(1, before); // header only: the first exchange is still buffered
        Assert.Equal(3, after);
    }

    [Fact]
    public async Task BackgroundSink_ManyConcurrentProducers_WritesEveryExchange()
    {
        var path = _dir.File("concurrent.reprise.jsonl");
        var sink = new BackgroundRecordingSink(await RecordingWriter.CreateAsync(path, Header), capacity: 64);
        await Parallel.ForEachAsync(Enumerable.Range(0, 5000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await sink.EnqueueAsync(Exchanges.Get($"http://a.test/{i}", id: i.ToString(System.Globalization.CultureInfo.InvariantCulture)), ct));
        await sink.DisposeAsync();

        var ids = (await Exchanges.ReadAllAsync(path)).Select(e => int.Parse(e.Id, System.Globalization.CultureInfo.InvariantCulture)).Order();
        Assert.Equal(Enumerable.Range(0, 5000), ids);
    }

    [Fact]
    public async Task BackgroundSink_WithBatchWindow_WritesEveryExchangeAndStillReachesTheOsWithoutClosing()
    {
        var path = _dir.File("batched.reprise.jsonl");
        var sink = new BackgroundRecordingSink(await RecordingWriter.CreateAsync(path, Header), capacity: 64, batchWindow: TimeSpan.FromMilliseconds(5));
        await Parallel.ForEachAsync(Enumerable.Range(0, 3000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await sink.EnqueueAsync(Exchanges.Get($"http://a.test/{i}", id: i.ToString(System.Globalization.CultureInfo.InvariantCulture)), ct));

        // Open: everything queued is written within a few windows, without waiting for DisposeAsync.
        // Polled up to 30 s: a loaded machine may need a few seconds for 3,000 exchanges (200 x 25 ms was 5 s).
        var lines = 0;
        for (var deadline = Stopwatch.StartNew(); deadline.Elapsed < TimeSpan.FromSeconds(30) && lines < 3001;)
        {
            await Task.Delay(25, TestContext.Current.CancellationToken);
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            lines = (await reader.ReadToEndAsync(TestContext.Current.CancellationToken)).Count(c => c == '\n');
        }

        Assert.Equal(3001, lines); // header + every exchange
        await sink.DisposeAsync();
        var ids = (await Exchanges.ReadAllAsync(path)).Select(e => int.Parse(e.Id, System.Globalization.CultureInfo.InvariantCulture)).Order();
        Assert.Equal(Enumerable.Range(0, 3000), ids);
    }

    [Fact]
    public async Task BackgroundSink_ReorderWindow_ConcurrentProducersCompletingInAnyOrder_WrittenInTicketOrder()
    {
        var path = _dir.File("ordered.reprise.jsonl");
        var sink = new BackgroundRecordingSink(await RecordingWriter.CreateAsync(path, Header), capacity: 64, reorderWindow: TimeSpan.FromMinutes(5));
        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var ticket = sink.BeginExchange();
            await Task.Yield(); // producers finish in another order than they started
            if (ticket % 7 == 0)
            {
                sink.Skip(ticket); // sampled out
                return;
            }

            await sink.EnqueueAsync(Exchanges.Get("http://a.test/", id: ticket.ToString(System.Globalization.CultureInfo.InvariantCulture)), ticket, ct);
        });
        await sink.DisposeAsync();

        var ids = (await Exchanges.ReadAllAsync(path)).Select(e => long.Parse(e.Id, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, 2000).Where(t => t % 7 != 0).Select(t => (long)t), ids);
    }

    [Fact]
    public async Task BackgroundSink_ReorderWindow_HeldExchangeWrittenOnceTheWindowPassesWithoutMoreTraffic()
    {
        var path = _dir.File("window.reprise.jsonl");
        var time = new FakeTimeProvider();
        var sink = new BackgroundRecordingSink(await RecordingWriter.CreateAsync(path, Header), timeProvider: time, reorderWindow: TimeSpan.FromSeconds(2));
        var first = sink.BeginExchange(); // a long request, still in flight
        var second = sink.BeginExchange();
        await sink.EnqueueAsync(Exchanges.Get("http://a.test/second", id: "second"), second, TestContext.Current.CancellationToken);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(0, sink.Written); // held for the earlier request

        for (var deadline = Stopwatch.StartNew(); deadline.Elapsed < TimeSpan.FromSeconds(30) && sink.Written == 0;)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, sink.Written);
        await sink.EnqueueAsync(Exchanges.Get("http://a.test/first", id: "first"), first, TestContext.Current.CancellationToken);
        await sink.DisposeAsync();
        Assert.Equal(["second", "first"], (await Exchanges.ReadAllAsync(path)).Select(e => e.Id));
    }

    [Fact]
    public async Task BackgroundSink_ReorderWindow_ReleasedDuringBatchWindowThenIdle_ReachesTheFile()
    {
        var path = _dir.File("idle.reprise.jsonl");
        var batchWindow = TimeSpan.FromSeconds(1);
        var time = new TimerWatchingTimeProvider();
        var options = new RecordingWriterOptions { FlushInterval = TimeSpan.FromHours(1), TimeProvider = time };
        var sink = new BackgroundRecordingSink(await RecordingWriter.CreateAsync(path, Header, options), batchWindow: batchWindow, timeProvider: time, reorderWindow: TimeSpan.FromSeconds(2));
        _ = sink.BeginExchange(); // a request that never completes
        var second = sink.BeginExchange();
        await sink.EnqueueAsync(Exchanges.Get("http://a.test/second", id: "second"), second, TestContext.Current.CancellationToken);

        // The loop holds it and sleeps out its batch window: waited for, not assumed (a fixed 200 ms was not always
        // enough on a loaded machine, and a clock advanced before that sleep began left it waiting forever).
        Assert.True(SpinWait.SpinUntil(() => time.Created.Contains(batchWindow), TimeSpan.FromSeconds(30)), "the loop never slept out its batch window");
        time.Advance(TimeSpan.FromSeconds(5)); // past the batch window and the reorder window at once; then no more traffic
        var lines = 0;
        for (var deadline = Stopwatch.StartNew(); deadline.Elapsed < TimeSpan.FromSeconds(30) && lines < 2;)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            lines = (await reader.ReadToEndAsync(TestContext.Current.CancellationToken)).Count(c => c == '\n');
        }

        Assert.Equal(2, lines); // header + the released exchange, visible while the sink is still open
        await sink.DisposeAsync();
    }

    [Fact]
    public async Task Writer_KilledWithSigkill_FileReadsBackEveryFlushedLine()
    {
        var path = _dir.File("crash.reprise.jsonl");
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name; // bin/<Configuration>/net10.0/
        var exe = Path.Combine(RepoRoot.Find(), "tests", "Reprise.Core.Tests.CrashWriter", "bin", configuration, "net10.0", "Reprise.Core.Tests.CrashWriter.dll");
        Assert.True(File.Exists(exe), "CrashWriter was not built beside the tests: " + exe);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(exe);
        info.ArgumentList.Add(path);
        using var process = Process.Start(info)!;
        var flushed = 0;
        try
        {
            // Each line bounded: a writer that stops reporting fails the test instead of hanging it.
            while (flushed < 2000 && await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken) is { } line)
            {
                flushed = int.Parse(line["flushed ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        finally
        {
            process.Kill(); // SIGKILL: no finally blocks, no flush on exit (and never a writer left behind)
        }

        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        var warnings = new List<RecordingWarning>();
        var read = new List<Exchange>();
        await foreach (var exchange in new RecordingReader(path, new RecordingReadOptions { OnWarning = warnings.Add }).ReadAsync(TestContext.Current.CancellationToken))
        {
            read.Add(exchange);
        }

        Assert.True(read.Count >= flushed, $"read {read.Count} exchanges, but {flushed} had been flushed before the kill");
        Assert.Equal(Enumerable.Range(0, read.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), read.Select(e => e.Id));
        Assert.True(warnings.Count <= 1, string.Join("; ", warnings));
    }

    /// <summary>A fake clock that notes the due time of every timer created on it (a Task.Delay, a timed cancellation).</summary>
    private sealed class TimerWatchingTimeProvider : FakeTimeProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<TimeSpan> Created { get; } = new();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Created.Enqueue(dueTime);
            return timer;
        }
    }
}
