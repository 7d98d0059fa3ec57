using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Reprise.Redaction.Engine;

/// <summary>
/// UTF-16 bodies (by <c>charset=utf-16*</c> or a UTF-16 byte order mark): the detectors work on UTF-8,
/// so such bodies are decoded and stored as UTF-8, with the media type's charset changed to match.
/// </summary>
internal static partial class Utf16Text
{
    /// <summary>Decodes <paramref name="content"/> when it is UTF-16; returns false for anything else.</summary>
    public static bool TryDecode(byte[] content, string mediaType, out string text, out string encodingName)
    {
        text = string.Empty;
        encodingName = string.Empty;
        var hasLeBom = content.Length >= 2 && content[0] == 0xFF && content[1] == 0xFE && !(content.Length >= 4 && content[2] == 0 && content[3] == 0);
        var hasBeBom = content.Length >= 2 && content[0] == 0xFE && content[1] == 0xFF;
        if (!hasLeBom && !hasBeBom && !MayDeclareUtf16(mediaType))
        {
            // Neither a byte order mark nor a UTF-16 charset name in the media type (every body but a few): no regex.
            return false;
        }

        var charset = Charset(mediaType);
        var declared = charset is "utf-16" or "utf-16le" or "utf-16be" or "unicode" or "ucs-2" or "unicodefffe";
        if (!declared && !(hasLeBom || hasBeBom) || !declared && charset is not null || IsMedia(mediaType))
        {
            // Another declared charset wins over a BOM-looking start; images and the like are binary.
            return false;
        }

        if (!hasLeBom && !hasBeBom && Array.IndexOf(content, (byte)0) < 0 && System.Text.Unicode.Utf8.IsValid(content))
        {
            // Labelled UTF-16 but really UTF-8/ASCII (no zero byte, valid UTF-8): decoding it as UTF-16 would corrupt it.
            return false;
        }

        bool bigEndian;
        if (hasLeBom || hasBeBom)
        {
            bigEndian = hasBeBom;
        }
        else if (charset is "utf-16le" or "unicode" or "ucs-2")
        {
            bigEndian = false;
        }
        else if (charset is "utf-16be" or "unicodefffe")
        {
            bigEndian = true;
        }
        else
        {
            // "utf-16" without a BOM: ASCII-range text has its zero byte first in big endian.
            bigEndian = content.Length >= 2 && content[0] == 0 && content[1] != 0;
        }

        var bomLength = hasLeBom || hasBeBom ? 2 : 0;
        var encoding = bigEndian ? Encoding.BigEndianUnicode : Encoding.Unicode;
        text = encoding.GetString(content, bomLength, content.Length - bomLength);
        encodingName = bigEndian ? "utf-16be" : "utf-16le";
        return true;
    }

    /// <summary>The media type with its charset set to utf-8 (added when it had none).</summary>
    public static string WithUtf8Charset(string mediaType)
    {
        if (mediaType.Length == 0)
        {
            return mediaType;
        }

        return CharsetParameter().IsMatch(mediaType)
            ? CharsetParameter().Replace(mediaType, "charset=utf-8", 1)
            : mediaType + "; charset=utf-8";
    }

    internal static string? Charset(string mediaType)
    {
        var match = CharsetParameter().Match(mediaType);
        return match.Success ? match.Groups["value"].Value.Trim().ToLowerInvariant() : null;
    }

    /// <summary>False when no charset parameter of the media type can name UTF-16 (every accepted name contains one of these).</summary>
    // One vectorized search for the three names (string.Contains with OrdinalIgnoreCase is a scalar loop in the
    // invariant-globalization mode the tool runs in, and this runs for every body).
    private static readonly SearchValues<string> Utf16Names = SearchValues.Create(["utf-16", "unicode", "ucs-2"], StringComparison.OrdinalIgnoreCase);

    // A charset is declared as "charset=...": without '=' (application/json, most media types) nothing is declared.
    private static bool MayDeclareUtf16(string mediaType) => mediaType.Contains('=', StringComparison.Ordinal) && mediaType.AsSpan().ContainsAny(Utf16Names);

    private static bool IsMedia(string mediaType) =>
        mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || mediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)
        || mediaType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) || mediaType.StartsWith("font/", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"charset\s*=\s*""?(?<value>[^;""\s]*)""?", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture)]
    private static partial Regex CharsetParameter();
}
