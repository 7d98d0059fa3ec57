using BenchmarkDotNet.Running;
using Reprise.Benchmarks.Recording;

// `memory-check FILE_GB` is not a BenchmarkDotNet run: it writes a large recording and reports peak
// working set while reading it, to show memory does not grow with file size.
if (args is ["memory-check", ..])
{
    return await RecordingMemoryCheck.RunAsync(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1.0);
}

// `replay-memory-check GB`: replays a large recording and reports peak working set (docs/performance.md).
if (args is ["replay-memory-check", ..])
{
    return await Reprise.Benchmarks.Replay.ReplayMemoryCheck.RunAsync(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1.0);
}

// `format-read-throughput [passes]`: small-exchange read rate per wall and per CPU second (one thread).
if (args is ["format-read-throughput", ..])
{
    return await RecordingReadThroughput.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10);
}

// `redaction-profile`: splits redaction cost by stage; `redaction-throughput`: MB per CPU-second.
if (args is ["redaction-profile-small", ..])
{
    return Reprise.Benchmarks.Redaction.RedactionProfile.RunSmall();
}

if (args is ["redaction-profile", ..])
{
    return Reprise.Benchmarks.Redaction.RedactionProfile.Run();
}

if (args is ["redaction-sample", var sampleBody, ..])
{
    return Reprise.Benchmarks.Redaction.RedactionThroughput.Sample(sampleBody);
}

if (args is ["redaction-throughput", ..])
{
    return Reprise.Benchmarks.Redaction.RedactionThroughput.Run();
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
