using Reprise.Core.Model;
using Reprise.Core.Recording;
using Reprise.Replay.Results;

namespace Reprise.Replay.Merge;

/// <summary>
/// Merges shard result files into one results recording, exactly: every exchange is copied as is,
/// and the summary is recomputed from the exchanges (histograms built from each latency, never averaged).
/// </summary>
public static class ResultMerger
{
    /// <summary>Merges <paramref name="inputs"/> into <paramref name="output"/> (written atomically); returns the recomputed summary.</summary>
    public static async Task<ReplaySummary> MergeAsync(IReadOnlyList<string> inputs, string output, bool overwrite, RecordingReadOptions? readOptions = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        time ??= TimeProvider.System;
        var headers = new List<RecordingHeader>(inputs.Count);
        foreach (var input in inputs)
        {
            headers.Add(await new RecordingReader(input, readOptions).ReadHeaderAsync(cancellationToken).ConfigureAwait(false));
        }

        var capture = headers[0].Capture.Remove("shard");
        var shards = new List<string>();
        var runs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var header in headers)
        {
            if (header.Capture.TryGetValue("shard", out var shard))
            {
                shards.Add(shard);
            }

            if (header.Capture.TryGetValue("run", out var run))
            {
                runs.Add(run);
            }
        }

        capture = capture.SetItem("mergedFrom", inputs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (shards.Count > 0)
        {
            capture = capture.SetItem("shards", string.Join(',', shards));
        }

        if (runs.Count > 1)
        {
            capture = capture.SetItem("run", string.Join(',', runs));
        }

        // The merged file is as redacted as its least redacted input: keep the policy only if every shard agrees
        // (a shard replayed with --no-redact must not be labelled redacted).
        var policy = headers[0].RedactionPolicy;
        var digest = headers[0].RedactionDigest;
        foreach (var header in headers)
        {
            if (!string.Equals(header.RedactionPolicy, policy, StringComparison.Ordinal) || !string.Equals(header.RedactionDigest, digest, StringComparison.Ordinal))
            {
                policy = null;
                digest = null;
                break;
            }
        }

        var summary = new SummaryAccumulator();
        long sent = 0;
        await using (var writer = await RecordingWriter.CreateAsync(output, headers[0] with { CreatedAt = time.GetUtcNow(), Capture = capture, RedactionPolicy = policy, RedactionDigest = digest }, new RecordingWriterOptions { Atomic = true, Overwrite = overwrite, TimeProvider = time }, cancellationToken).ConfigureAwait(false))
        {
            foreach (var input in inputs)
            {
                await foreach (var exchange in new RecordingReader(input, readOptions).ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (exchange.Tags.ContainsKey(WellKnownTags.ReplayOf))
                    {
                        summary.Record(exchange);
                        sent++;
                    }

                    await writer.WriteAsync(exchange, cancellationToken).ConfigureAwait(false);
                }
            }

            await writer.CompleteAsync().ConfigureAwait(false);
        }

        return summary.Build(runs.Count == 1 ? runs.Min! : string.Join(',', runs), summary.ObservedSpan, [], 0, 0, TimeSpan.Zero);
    }

    /// <summary>The summary of one results file, recomputed from its exchanges (as <see cref="MergeAsync"/> does).</summary>
    public static async Task<ReplaySummary> SummarizeAsync(string input, RecordingReadOptions? readOptions = null, CancellationToken cancellationToken = default)
    {
        var summary = new SummaryAccumulator();
        var reader = new RecordingReader(input, readOptions);
        await foreach (var exchange in reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (exchange.Tags.ContainsKey(WellKnownTags.ReplayOf))
            {
                summary.Record(exchange);
            }
        }

        reader.Header!.Capture.TryGetValue("run", out var run);
        return summary.Build(run ?? string.Empty, summary.ObservedSpan, [], 0, 0, TimeSpan.Zero);
    }
}
