using System.Security.Cryptography;
using System.Text;

namespace Reprise.Redaction.Policy;

/// <summary>
/// The project key for <c>tokenize</c> and <c>fake</c>. Tokens are HMAC-SHA256(key, kind|value): the
/// same key gives the same tokens across recordings (so mocks and diffs still correlate), another key
/// gives unrelated ones, and without the key a token cannot be tested against guesses.
/// Only <see cref="Id"/> (an HMAC of a constant) is ever written out, never the key.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A key lives as long as the policy that uses it (the process); per-thread HMAC states are released with it.")]
public sealed class RedactionKey
{
    /// <summary>The environment variable read by default.</summary>
    public const string EnvironmentVariable = "REPRISE_REDACTION_KEY";

    /// <summary>Shortest accepted key material, in bytes.</summary>
    public const int MinimumLength = 16;

    private readonly byte[] _key;
    private readonly ThreadLocal<IncrementalHash> _hmac;

    // The same MAC from precomputed SHA-256 states through libcrypto (Linux), checked against HMACSHA256 when made;
    // null where unavailable, and then every value goes through the runtime's HMAC.
    private readonly PrecomputedHmacSha256? _precomputed;

    private RedactionKey(byte[] key, string source, bool ephemeral, bool precompute = true)
    {
        _key = key;
        // One keyed HMAC per thread: re-keying on every value costs more than hashing it.
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key));
        _precomputed = precompute ? PrecomputedHmacSha256.TryCreate(key) : null;
        Source = source;
        IsEphemeral = ephemeral;
        Id = ephemeral ? "ephemeral" : "hmac-sha256:" + Convert.ToHexStringLower(HMACSHA256.HashData(key, "reprise-redaction-key-id"u8))[..16];
    }

    /// <summary>A public identifier of the key (for the policy digest); "ephemeral" for a random per-run key.</summary>
    public string Id { get; }

    /// <summary>Where the key came from (e.g. <c>env REPRISE_REDACTION_KEY</c>, a file path).</summary>
    public string Source { get; }

    /// <summary>True for a random key made for this run: tokens correlate within the run only.</summary>
    public bool IsEphemeral { get; }

    /// <summary>A key from raw bytes (at least <see cref="MinimumLength"/>).</summary>
    public static RedactionKey FromBytes(ReadOnlySpan<byte> key, string source = "bytes")
    {
        if (key.Length < MinimumLength)
        {
            throw new ArgumentException($"a redaction key needs at least {MinimumLength} bytes", nameof(key));
        }

        return new RedactionKey(key.ToArray(), source, ephemeral: false);
    }

    /// <summary>True when values are hashed from precomputed SHA-256 states through libcrypto (the same MACs).</summary>
    internal bool UsesPrecomputedHmac => _precomputed is not null;

    /// <summary>A key that always hashes through the runtime's HMAC (tests compare both ways).</summary>
    internal static RedactionKey FromBytesWithoutPrecomputedHmac(ReadOnlySpan<byte> key) =>
        new(key.ToArray(), "bytes", ephemeral: false, precompute: false);

    /// <summary>A key from text (its UTF-8 bytes, surrounding whitespace trimmed).</summary>
    public static RedactionKey FromText(string text, string source = "text") => FromBytes(Encoding.UTF8.GetBytes(text.Trim()), source);

    /// <summary>A random key for this process only.</summary>
    public static RedactionKey Ephemeral() => new(RandomNumberGenerator.GetBytes(32), "ephemeral", ephemeral: true);

    /// <summary>Reads a key file; returns an error message instead of throwing.</summary>
    public static RedactionKey? TryFromFile(string path, out string? error)
    {
        error = null;
        try
        {
            var text = File.ReadAllText(path).Trim();
            if (Encoding.UTF8.GetByteCount(text) < MinimumLength)
            {
                error = $"{path}: redaction key is shorter than {MinimumLength} bytes";
                return null;
            }

            return FromText(text, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"{path}: cannot read redaction key: {ex.Message}";
            return null;
        }
    }

    /// <summary>The default key file under the Reprise home directory.</summary>
    public static string DefaultPath(string? repriseHome = null) => Path.Combine(Reprise.Core.RepriseHome.Resolve(repriseHome), "redaction.key");

    /// <summary>
    /// Reads the default key file, creating it (32 random bytes, base64, owner-only permissions) on
    /// first use, so tokens stay consistent across runs on this machine without any set-up.
    /// </summary>
    public static RedactionKey? TryLoadOrCreateDefault(string path, out bool created, out string? error)
    {
        created = false;
        if (!File.Exists(path))
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using (var writer = new StreamWriter(path, Encoding.ASCII, options))
                {
                    writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
                }

                created = true;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error = $"{path}: cannot create the redaction key: {ex.Message}";
                return null;
            }
        }

        return TryFromFile(path, out error);
    }

    /// <summary>Reads the key from an environment variable; null when unset, an error when too short.</summary>
    public static RedactionKey? TryFromEnvironment(string variable, out string? error)
    {
        error = null;
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (Encoding.UTF8.GetByteCount(text.Trim()) < MinimumLength)
        {
            error = $"{variable}: redaction key is shorter than {MinimumLength} bytes";
            return null;
        }

        return FromText(text, "env " + variable);
    }

    /// <summary>HMAC-SHA256 of <paramref name="data"/> into <paramref name="destination"/> (32 bytes).</summary>
    public void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (_precomputed is not null)
        {
            _precomputed.Compute(data, destination);
            return;
        }

        var hmac = _hmac.Value!;
        hmac.AppendData(data);
        hmac.GetHashAndReset(destination);
    }
}
