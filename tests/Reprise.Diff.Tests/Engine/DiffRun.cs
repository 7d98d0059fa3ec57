using Reprise.Core.Model;
using Reprise.Diff.Engine;
using Reprise.Diff.Model;
using Reprise.Testing;

namespace Reprise.Diff.Tests.Engine;

/// <summary>Diffs in-memory recordings through files, as the command does, and builds replay results.</summary>
internal static class DiffRun
{
    /// <summary>Writes both sides to a temporary directory and runs the diff engine with default options.</summary>
    public static async Task<DiffReport> RunAsync(Exchange[] recorded, Exchange[] results)
    {
        using var dir = new TempDir();
        await Exchanges.WriteRecordingAsync(dir.File("rec.reprise.jsonl"), recorded);
        await Exchanges.WriteRecordingAsync(dir.File("cand.reprise.jsonl"), results);
        return await new DiffEngine(new DiffOptions { Recorded = dir.File("rec.reprise.jsonl"), Results = dir.File("cand.reprise.jsonl") }).RunAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The replay tags of a result of recorded exchange <paramref name="id"/> (with the session's correlated ids, if any).</summary>
    public static System.Collections.Immutable.ImmutableSortedDictionary<string, string> ResultTags(string id, string? correlated)
    {
        var tags = Exchange.EmptyTags.Add(WellKnownTags.ReplayOf, id).Add(WellKnownTags.ReplayRun, "cand");
        return correlated is null ? tags : tags.Add(WellKnownTags.ReplayCorrelated, correlated);
    }
}
