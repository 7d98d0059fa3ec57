using System.Runtime.InteropServices;

namespace Reprise.Benchmarks.Redaction;

/// <summary>The process CPU clock (Linux): read around each batch of redactions, to the nanosecond.</summary>
internal static class NativeMethods
{
    public const int ClockProcessCpuTimeId = 2;

    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
