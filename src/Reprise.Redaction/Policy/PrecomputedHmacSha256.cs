using System.Security.Cryptography;

namespace Reprise.Redaction.Policy;

/// <summary>
/// HMAC-SHA256 (RFC 2104) for one key from the SHA-256 states after its inner and outer padded key blocks, computed
/// once: a MAC copies each state and finishes it (<see cref="LibCryptoSha256"/>), with no allocation and no OpenSSL
/// error-queue or context bookkeeping (~0.1 µs against ~0.45 µs through <see cref="IncrementalHash"/> for a 30-byte
/// value). <see cref="TryCreate"/> checks the result against <see cref="HMACSHA256.HashData(byte[], byte[])"/> on
/// inputs around the block boundaries before it is used, and returns null when libcrypto is missing or any answer
/// differs, so a caller's tokens never depend on which way they were computed.
/// </summary>
internal sealed class PrecomputedHmacSha256
{
    private const int BlockSize = 64;

    // Lengths around SHA-256's padding edges (55/56 bytes fit one block or not; 64 fills it) and past one block.
    private static readonly int[] SelfTestLengths = [0, 1, 31, 55, 56, 63, 64, 65, 119, 120, 200];

    private readonly byte[] _inner = new byte[LibCryptoSha256.ContextSize];
    private readonly byte[] _outer = new byte[LibCryptoSha256.ContextSize];

    private PrecomputedHmacSha256()
    {
    }

    /// <summary>The MAC for <paramref name="key"/>, or null when libcrypto's SHA-256 is not usable here.</summary>
    public static PrecomputedHmacSha256? TryCreate(ReadOnlySpan<byte> key)
    {
        if (!LibCryptoSha256.IsAvailable)
        {
            return null;
        }

        Span<byte> pad = stackalloc byte[BlockSize];
        pad.Clear();
        if (key.Length > BlockSize)
        {
            SHA256.HashData(key, pad);
        }
        else
        {
            key.CopyTo(pad);
        }

        var mac = new PrecomputedHmacSha256();
        var ok = Keyed(mac._inner, pad, 0x36) && Keyed(mac._outer, pad, 0x5c);
        CryptographicOperations.ZeroMemory(pad);
        return ok && mac.PassesSelfTest(key) ? mac : null;
    }

    /// <summary>HMAC-SHA256 of <paramref name="data"/> into the first 32 bytes of <paramref name="destination"/>.</summary>
    public void Compute(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (!TryCompute(data, destination))
        {
            throw new CryptographicException("libcrypto SHA-256 failed");
        }
    }

    private static bool Keyed(byte[] state, ReadOnlySpan<byte> pad, byte xor)
    {
        Span<byte> block = stackalloc byte[BlockSize];
        for (var i = 0; i < BlockSize; i++)
        {
            block[i] = (byte)(pad[i] ^ xor);
        }

        var ok = LibCryptoSha256.Init(state) && LibCryptoSha256.Update(state, block);
        CryptographicOperations.ZeroMemory(block);
        return ok;
    }

    private bool TryCompute(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Span<byte> context = stackalloc byte[LibCryptoSha256.ContextSize];
        Span<byte> innerHash = stackalloc byte[32];
        _inner.CopyTo(context);
        var ok = LibCryptoSha256.Update(context, data) && LibCryptoSha256.Final(context, innerHash);
        _outer.CopyTo(context);
        ok = ok && LibCryptoSha256.Update(context, innerHash) && LibCryptoSha256.Final(context, destination);
        context.Clear();
        return ok;
    }

    private bool PassesSelfTest(ReadOnlySpan<byte> key)
    {
        Span<byte> expected = stackalloc byte[32];
        Span<byte> actual = stackalloc byte[32];
        Span<byte> data = stackalloc byte[SelfTestLengths[^1]];
        foreach (var length in SelfTestLengths)
        {
            for (var i = 0; i < length; i++)
            {
                data[i] = (byte)((i * 131) + length);
            }

            HMACSHA256.HashData(key, data[..length], expected);
            if (!TryCompute(data[..length], actual) || !actual.SequenceEqual(expected))
            {
                return false;
            }
        }

        return true;
    }
}
