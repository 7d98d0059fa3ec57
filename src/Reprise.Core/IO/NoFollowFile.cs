using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Reprise.Core.IO;

/// <summary>
/// Opens a file for reading only if its last path component is not a symbolic link, checked by the kernel at the
/// moment of opening (<c>O_NOFOLLOW</c>), and without waiting on a FIFO (<c>O_NONBLOCK</c>: one with no writer reads as
/// empty). A check of the path before opening it (<c>FileInfo.LinkTarget</c>) cannot rule out a link put in
/// its place in between; this can. Elsewhere than Linux on x64/x86/Arm the file is opened normally.
/// </summary>
internal static partial class NoFollowFile
{
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;

    /// <summary>True when <see cref="OpenRead"/> refuses symbolic links atomically on this platform.</summary>
    public static bool IsAtomic => NoFollowFlag != 0;

    // O_NOFOLLOW differs by architecture (asm-generic 0400000; Arm 0100000).
    private static int NoFollowFlag => !OperatingSystem.IsLinux() ? 0 : RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x20000,
        Architecture.Arm64 or Architecture.Arm => 0x8000,
        _ => 0,
    };

    /// <summary>The file opened for reading (the caller disposes it); null when it is a symbolic link or cannot be opened.</summary>
    public static FileStream? OpenRead(string path)
    {
        var noFollow = NoFollowFlag;
        if (noFollow == 0)
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }

        var fd = Open(path, ReadOnly | NonBlocking | CloseOnExec | noFollow);
        if (fd < 0)
        {
            return null; // ELOOP (a link), ENOENT, EACCES...: not a file this reader may use
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            return new FileStream(handle, FileAccess.Read, 1);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
}
