using System.Security.Cryptography;
using CsCheck;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Policy;
using Xunit;

namespace Reprise.Redaction.Tests.Policy;

/// <summary>
/// On Linux a key hashes values from precomputed inner/outer SHA-256 states through libcrypto's <c>SHA256_*</c>
/// functions instead of the runtime's HMAC (<see cref="PrecomputedHmacSha256"/>); where that is not available it uses
/// the runtime's keyed <see cref="IncrementalHash"/>. Both ways must give HMAC-SHA256 exactly, for any key and input.
/// </summary>
public sealed class PrecomputedHmacTests
{
    // Keys of the accepted lengths: 16 (the minimum), around the 64-byte block (a longer key is hashed first), long ones.
    private static readonly Gen<byte[]> Keys = Gen.OneOf(
        Gen.Byte.Array[16, 80],
        Gen.Byte.Array[63, 65],
        Gen.Byte.Array[100, 300]);

    // Inputs around SHA-256's padding edges (55/56, 64, 119/120 bytes) and longer ones.
    private static readonly Gen<byte[]> Inputs = Gen.OneOf(
        Gen.Byte.Array[0, 70],
        Gen.Byte.Array[110, 130],
        Gen.Byte.Array[0, 2_000]);

    [Fact]
    public void Precomputed_IsUsedOnLinux()
    {
        var key = RedactionKey.FromText("precomputed-hmac-test-key-0123");
        Assert.Equal(OperatingSystem.IsLinux(), key.UsesPrecomputedHmac);
        Assert.False(RedactionKey.FromBytesWithoutPrecomputedHmac(new byte[32]).UsesPrecomputedHmac);
    }

    [Fact]
    public void Hash_AnyKeyAndInput_SameAsHmacSha256()
    {
        var precomputed = 0;
        Gen.Select(Keys, Gen.Select(Inputs, Inputs, Inputs)).Sample((keyBytes, inputs) =>
        {
            var key = RedactionKey.FromBytes(keyBytes);
            var fallback = RedactionKey.FromBytesWithoutPrecomputedHmac(keyBytes);
            if (key.UsesPrecomputedHmac)
            {
                Interlocked.Increment(ref precomputed);
            }

            Span<byte> actual = stackalloc byte[32];
            Span<byte> viaFallback = stackalloc byte[32];
            foreach (var input in new[] { inputs.Item1, inputs.Item2, inputs.Item3, inputs.Item1 })
            {
                var expected = HMACSHA256.HashData(keyBytes, input);
                key.Hash(input, actual);
                fallback.Hash(input, viaFallback);
                Assert.Equal(expected, actual.ToArray());
                Assert.Equal(expected, viaFallback.ToArray());
            }
        }, iter: 3_000);
        Assert.True(!OperatingSystem.IsLinux() || precomputed == 3_000, $"{precomputed} keys used the precomputed HMAC");
    }

    [Fact]
    public void Hash_ManyInputsOneKey_SameAsHmacSha256()
    {
        var keyBytes = "precomputed-hmac-test-key-0123"u8.ToArray();
        var key = RedactionKey.FromBytes(keyBytes);
        Gen.Byte.Array[0, 300].Sample(input =>
        {
            Span<byte> actual = stackalloc byte[32];
            key.Hash(input, actual);
            Assert.Equal(HMACSHA256.HashData(keyBytes, input), actual.ToArray());
        }, iter: 50_000);
    }

    [Fact]
    public void Tokens_PrecomputedAndFallback_Identical()
    {
        var keyBytes = "precomputed-hmac-token-key-0123"u8.ToArray();
        var withPrecomputed = new ValueRewriter(RedactionKey.FromBytes(keyBytes));
        var withFallback = new ValueRewriter(RedactionKey.FromBytesWithoutPrecomputedHmac(keyBytes));
        var kinds = Enum.GetValues<DataKind>();
        Gen.Select(Gen.OneOf(Gen.String, Gen.String[Gen.Char["abcXYZ0189@.-_+ "], 1, 60]), Gen.Int[0, kinds.Length - 1]).Sample((value, k) =>
        {
            Assert.Equal(withFallback.Tokenize(value, kinds[k]), withPrecomputed.Tokenize(value, kinds[k]));
        }, iter: 20_000);
    }
}
