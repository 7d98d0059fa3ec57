using Reprise.Testing;

namespace Reprise.Diff.Tests.Sample;

/// <summary>One recording of the unchanged sample service, shared by the regression tests.</summary>
public sealed class RecordingFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();

    public string Recording => _dir.File("recorded.reprise.jsonl");

    public string Directory => _dir.Path;

    public async ValueTask InitializeAsync()
    {
        await using var service = await SampleService.StartAsync(Regression.None);
        await ReplayHelper.RecordAsync(service.Address, SampleService.Workload(), Recording);
    }

    /// <summary>Replays the recording against the service started with <paramref name="regressions"/>; returns the results path.</summary>
    public async Task<string> ReplayAgainstAsync(Regression regressions, string name, string? recording = null, bool perProcessField = false, int copies = 1)
    {
        var results = _dir.File(name + ".reprise.jsonl");
        await using var service = await SampleService.StartAsync(regressions, perProcessField);
        await ReplayHelper.ReplayAsync(recording ?? Recording, service.Address, results, copies, name);
        return results;
    }

    /// <summary>Records the workload against a fresh service with a per-process field; returns the path.</summary>
    public async Task<string> RecordPerProcessAsync(string name)
    {
        var path = _dir.File(name + ".reprise.jsonl");
        await using var service = await SampleService.StartAsync(Regression.None, perProcessField: true);
        await ReplayHelper.RecordAsync(service.Address, SampleService.Workload(), path);
        return path;
    }

    public ValueTask DisposeAsync()
    {
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }
}
