using System.Runtime.InteropServices;

namespace Reprise.Redaction.Policy;

/// <summary>
/// libcrypto's low-level SHA-256 (<c>SHA256_Init/Update/Final</c>) on Linux, for <see cref="PrecomputedHmacSha256"/>.
/// The runtime's HMAC goes through OpenSSL's EVP layer, which per call clears the error queue three times, frees and
/// allocates digest contexts and looks up thread-local state (~0.4 µs for a 30-byte value, of which ~25 ns is SHA-256
/// work); these three functions work on a caller-owned <c>SHA256_CTX</c>, a plain struct (eight state words, two length
/// words, a 64-byte block, two counters: 112 bytes, part of libcrypto's ABI since 0.9.8), so a precomputed state can be
/// copied and finished without any allocation. Null exports when the library or a symbol is missing: callers fall back.
/// </summary>
internal static unsafe class LibCryptoSha256
{
    /// <summary>Bytes reserved for one <c>SHA256_CTX</c> (112 in libcrypto 1.1 and 3), rounded up.</summary>
    public const int ContextSize = 128;

    private static readonly delegate* unmanaged<byte*, int> InitFn;
    private static readonly delegate* unmanaged<byte*, byte*, nuint, int> UpdateFn;
    private static readonly delegate* unmanaged<byte*, byte*, int> FinalFn;

#pragma warning disable CA1810 // the exports are looked up once, together, only on Linux
    static LibCryptoSha256()
#pragma warning restore CA1810
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // The sonames whose SHA256_CTX layout is the one above; the runtime loads one of them for its own crypto.
        foreach (var name in (ReadOnlySpan<string>)["libcrypto.so.3", "libcrypto.so.1.1"])
        {
            if (NativeLibrary.TryLoad(name, out var handle)
                && NativeLibrary.TryGetExport(handle, "SHA256_Init", out var init)
                && NativeLibrary.TryGetExport(handle, "SHA256_Update", out var update)
                && NativeLibrary.TryGetExport(handle, "SHA256_Final", out var final))
            {
                InitFn = (delegate* unmanaged<byte*, int>)init;
                UpdateFn = (delegate* unmanaged<byte*, byte*, nuint, int>)update;
                FinalFn = (delegate* unmanaged<byte*, byte*, int>)final;
                return;
            }
        }
    }

    /// <summary>True when the three functions were found.</summary>
    public static bool IsAvailable => InitFn != null;

    /// <summary><c>SHA256_Init</c> on a context of <see cref="ContextSize"/> bytes.</summary>
    public static bool Init(Span<byte> context)
    {
        if (context.Length < ContextSize)
        {
            throw new ArgumentException("a SHA-256 context needs " + ContextSize + " bytes", nameof(context));
        }

        fixed (byte* c = context)
        {
            return InitFn(c) == 1;
        }
    }

    /// <summary><c>SHA256_Update</c> on a context of <see cref="ContextSize"/> bytes.</summary>
    public static bool Update(Span<byte> context, ReadOnlySpan<byte> data)
    {
        if (context.Length < ContextSize)
        {
            throw new ArgumentException("a SHA-256 context needs " + ContextSize + " bytes", nameof(context));
        }

        fixed (byte* c = context)
        fixed (byte* d = data)
        {
            return UpdateFn(c, d, (nuint)data.Length) == 1;
        }
    }

    /// <summary><c>SHA256_Final</c>: the 32-byte digest into <paramref name="digest"/>.</summary>
    public static bool Final(Span<byte> context, Span<byte> digest)
    {
        if (context.Length < ContextSize || digest.Length < 32)
        {
            throw new ArgumentException("a SHA-256 context needs " + ContextSize + " bytes and a digest 32");
        }

        fixed (byte* c = context)
        fixed (byte* d = digest)
        {
            return FinalFn(d, c) == 1;
        }
    }
}
