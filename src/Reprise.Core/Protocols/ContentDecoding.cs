using System.IO.Compression;

namespace Reprise.Core.Protocols;

/// <summary>
/// Undoes <c>Content-Encoding</c> (gzip, x-gzip, deflate, br, zstd; several, in reverse order) so
/// detectors and comparers see the real bytes (redaction stores bodies decoded; diff compares them decoded). A body cut at the capture cap decodes as far as it goes.
/// </summary>
public static class ContentDecoding
{
    private const int MaxDecoded = 256 * 1024 * 1024;

    /// <summary>Not a coding on the wire: a deflate body whose start looked like zlib but was not (see <see cref="DeflateFraming"/>).</summary>
    private const string RawDeflate = "deflate; raw";

    /// <summary>The outcome of decoding.</summary>
    public enum Outcome
    {
        /// <summary>Decoded (possibly partially, when the input was truncated).</summary>
        Decoded,

        /// <summary>The bytes are not in that encoding but are already plain text (HAR exports store bodies decoded).</summary>
        AlreadyDecoded,

        /// <summary>Unknown encoding or corrupt data: cannot be inspected.</summary>
        Failed,
    }

    public static Outcome TryDecode(byte[] content, string encodingHeader, out byte[] decoded, out string note) =>
        TryDecode(content, encodingHeader, MaxDecoded, out decoded, out note);

    /// <summary>
    /// <see cref="TryDecode(byte[], string, out byte[], out string)"/> with a smaller cap on the decoded size: a body that
    /// decodes past <paramref name="maxDecoded"/> bytes (a decompression bomb) is <see cref="Outcome.Failed"/>.
    /// </summary>
    public static Outcome TryDecode(byte[] content, string encodingHeader, int maxDecoded, out byte[] decoded, out string note)
    {
        var codings = encodingHeader.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        decoded = content;
        note = string.Empty;
        var applied = new List<string>();
        for (var i = codings.Length - 1; i >= 0; i--)
        {
            var coding = codings[i].ToLowerInvariant();
            if (coding is "identity" or "")
            {
                continue;
            }

            if (!TryDecodeOne(decoded, coding, maxDecoded, out var next, out var partial)
                && !(coding == "deflate" && DeflateFraming.IsZlib(decoded) && TryDecodeOne(decoded, RawDeflate, maxDecoded, out next, out partial)))
            {
                if (applied.Count == 0 && System.Text.Unicode.Utf8.IsValid(content) && LooksLikeText(content))
                {
                    note = $"content-encoding '{encodingHeader}' removed: the body was already decoded";
                    return Outcome.AlreadyDecoded;
                }

                return Outcome.Failed;
            }

            decoded = next;
            applied.Add(partial ? coding + " (truncated input, decoded as far as it went)" : coding);
        }

        note = applied.Count == 0 ? string.Empty : "decoded from " + string.Join(", ", applied);
        return Outcome.Decoded;
    }

    private static bool TryDecodeOne(byte[] input, string coding, int maxDecoded, out byte[] output, out bool partial)
    {
        output = [];
        partial = false;
        if (coding is "gzip" or "x-gzip" && (input.Length < 2 || input[0] != 0x1f || input[1] != 0x8b))
        {
            return false;
        }

        using var source = new MemoryStream(input, writable: false);
        Stream? decoder = coding switch
        {
            "gzip" or "x-gzip" => new GZipStream(source, CompressionMode.Decompress),
            "deflate" => DeflateFraming.Decompress(source, input),
            RawDeflate => new DeflateStream(source, CompressionMode.Decompress),
            "br" => new BrotliStream(source, CompressionMode.Decompress),
            "zstd" => new ZstdSharp.DecompressionStream(source),
            _ => null,
        };
        if (decoder is null)
        {
            return false;
        }

        using (decoder)
        {
            using var result = new MemoryStream();
            var buffer = new byte[81920];
            try
            {
                int read;
                while ((read = decoder.Read(buffer, 0, buffer.Length)) > 0)
                {
                    result.Write(buffer, 0, read);
                    if (result.Length > maxDecoded)
                    {
                        return false;
                    }
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or InvalidOperationException or ZstdSharp.ZstdException)
            {
                if (result.Length == 0)
                {
                    return false;
                }

                partial = true;
            }

            output = result.ToArray();
            return output.Length > 0 || input.Length == 0 || IsCompleteEmptyStream(coding, input);
        }
    }

    /// <summary>
    /// A complete stream of an empty body, which decodes to nothing and is no failure (PHP's <c>ob_gzhandler</c> writes a
    /// gzip member of nothing for a redirect's empty body; zlib writes <c>78 9c 03 00 00 00 00 01</c> for a deflate one).
    /// The gzip and deflate decoders end a cut stream without a word, so theirs must end in a final empty block (fixed
    /// <c>03 00</c> or stored <c>01 00 00 ff ff</c>) and a trailer of an empty body (gzip: CRC-32 and size zero; zlib:
    /// Adler-32 one); the brotli and zstd decoders throw at a cut or corrupt stream, so one that read to its end without
    /// output was empty (brotli's empty stream is the single byte <c>3b</c>). A header alone or garbage after it fails.
    /// </summary>
    private static bool IsCompleteEmptyStream(string coding, ReadOnlySpan<byte> input) => coding switch
    {
        "gzip" or "x-gzip" => input.Length >= 20 && EndsInEmptyFinalBlock(input[..^8]) && !input[^8..].ContainsAnyExcept((byte)0),
        "deflate" when DeflateFraming.IsZlib(input) => input.Length >= 8 && EndsInEmptyFinalBlock(input[..^4]) && input[^4..] is [0, 0, 0, 1],
        "deflate" or RawDeflate => input is [0x03, 0x00] or [0x01, 0x00, 0x00, 0xff, 0xff],
        _ => true,
    };

    private static bool EndsInEmptyFinalBlock(ReadOnlySpan<byte> deflate) =>
        deflate.EndsWith((ReadOnlySpan<byte>)[0x03, 0x00]) || deflate.EndsWith((ReadOnlySpan<byte>)[0x01, 0x00, 0x00, 0xff, 0xff]);

    private static bool LooksLikeText(ReadOnlySpan<byte> content)
    {
        var control = 0;
        foreach (var b in content[..Math.Min(content.Length, 512)])
        {
            if (b < 0x09 || (b > 0x0d && b < 0x20))
            {
                control++;
            }
        }

        return control == 0;
    }
}
