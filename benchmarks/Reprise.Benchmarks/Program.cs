using BenchmarkDotNet.Running;
using Reprise.Benchmarks.Recording;

// `memory-check FILE_GB` is not a BenchmarkDotNet run: it writes a large recording and reports peak
// working set while reading it, to show memory does not grow with file size.
if (args is ["memory-check", ..])
{
    return await RecordingMemoryCheck.RunAsync(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1.0);
}

if (args is ["redaction-profile", ..])
{
    return Reprise.Benchmarks.Redaction.RedactionProfile.Run();
}

if (args is ["redaction-throughput", ..])
{
    return Reprise.Benchmarks.Redaction.RedactionThroughput.Run();
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
