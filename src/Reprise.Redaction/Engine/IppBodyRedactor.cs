using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Reprise.Core.Protocols;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Engine;

/// <summary>
/// IPP (<c>application/ipp</c>, RFC 8010: CUPS, every network printer): the binary message is read as its attributes,
/// each text, name or URI value redacted as a field named by its attribute (<c>requesting-user-name</c>,
/// <c>job-originating-user-name</c> are account ids, <c>job-password</c> a password; emails and secrets anywhere) and
/// written back with its new length; the document a Print-Job or Send-Document carries after the attributes is redacted as
/// a body of its <c>document-format</c>, inside its <c>compression</c> (gzip, deflate) when it has one. A message cut by the
/// capture cap keeps the attributes read whole and loses the one it was cut in; a value whose redaction outgrows its 16-bit
/// length is cut to fit (never written back raw). Any other message that does not parse is left to the binary redactor
/// (printable runs masked in place).
/// </summary>
/// <remarks>
/// Found by QA round 11b: CUPS's <c>lp -U maria.gonzalez</c> and the job lists answered afterwards kept the user name raw
/// (21 times) and a gzip-compressed document (<c>ipptool print-job-gzip.test</c>) kept its email, card and password; the
/// printable-run scan saw neither a name (its attribute is a separate run) nor inside the compressed bytes.
/// </remarks>
internal static class IppBodyRedactor
{
    private const byte EndOfAttributes = 0x03;
    private const byte MemberAttrName = 0x4A;

    public static bool IsIpp(string lowerMediaType) => lowerMediaType.StartsWith("application/ipp", StringComparison.Ordinal);

    /// <summary>The redacted message, null when nothing changed, or the binary redactor's answer when it does not parse.</summary>
    public static byte[]? Redact(byte[] content, bool truncated, RedactionSession session, string location)
    {
        if (!TryRedact(content, truncated, session, location, out var redacted))
        {
            return BinaryRedactor.Redact(content, session, location);
        }

        return redacted;
    }

    private static bool TryRedact(byte[] content, bool truncated, RedactionSession session, string location, out byte[]? redacted)
    {
        redacted = null;
        if (content.Length < 9 || content[0] is 0 or > 9)
        {
            return false; // not version 1.x or 2.x
        }

        using var output = new MemoryStream(content.Length + 64);
        output.Write(content, 0, 8);
        var changed = false;
        var i = 8;
        var name = string.Empty;
        string? format = null;
        string? compression = null;
        var where = location + ":ipp";
        while (true)
        {
            if (i >= content.Length)
            {
                if (!truncated)
                {
                    return false; // no end-of-attributes tag
                }

                break;
            }

            var tag = content[i];
            if (tag <= 0x0F)
            {
                output.WriteByte(tag);
                i++;
                if (tag == EndOfAttributes)
                {
                    changed |= RedactDocument(content.AsSpan(i), format, compression, truncated, session, where, output);
                    break;
                }

                continue;
            }

            if (tag == 0x7F)
            {
                return false; // extended value tags are not read
            }

            var nameLength = i + 3 > content.Length ? -1 : BinaryPrimitives.ReadUInt16BigEndian(content.AsSpan(i + 1));
            var valueAt = i + 3 + nameLength + 2;
            var valueLength = nameLength < 0 || valueAt > content.Length ? -1 : BinaryPrimitives.ReadUInt16BigEndian(content.AsSpan(valueAt - 2));
            if (valueLength < 0 || valueAt + valueLength > content.Length)
            {
                if (!truncated)
                {
                    return false;
                }

                // Cut by the capture cap inside this attribute: what was read whole is kept, the cut attribute is not
                // (its value, cut, is no longer the value its name describes, and the binary scan would keep it raw).
                session.Record(where, "truncated-attribute", ActionSpec.Drop, DataKind.Generic, string.Empty);
                changed = true;
                break;
            }

            if (nameLength > 0)
            {
                name = Encoding.ASCII.GetString(content, i + 3, nameLength);
            }

            var value = content.AsSpan(valueAt, valueLength);
            var newValue = tag == MemberAttrName ? null : RedactValue(tag, name, value, session, where);
            if (tag == MemberAttrName)
            {
                name = Encoding.ASCII.GetString(value); // a collection member: its values follow with an empty name
            }
            else if (nameLength > 0 && tag is 0x49 or 0x44 && Encoding.ASCII.GetString(value) is var text)
            {
                format = name == "document-format" ? text : format;
                compression = name == "compression" ? text : compression;
            }

            output.Write(content, i, 3 + nameLength);
            if (newValue is null)
            {
                output.Write(content, valueAt - 2, 2 + valueLength);
            }
            else
            {
                output.WriteByte((byte)(newValue.Length >> 8));
                output.WriteByte((byte)newValue.Length);
                output.Write(newValue);
                changed = true;
            }

            i = valueAt + valueLength;
        }

        redacted = changed ? output.ToArray() : null;
        return true;
    }

    /// <summary>A text, name or URI value as the field its attribute names; null when unchanged or not text.</summary>
    private static byte[]? RedactValue(byte tag, string name, ReadOnlySpan<byte> value, RedactionSession session, string where)
    {
        switch (tag)
        {
            case 0x41 or 0x42 or 0x45 or 0x30 when !value.IsEmpty:
                // textWithoutLanguage, nameWithoutLanguage, uri, octetString. A text or name that is not UTF-8 is in the
                // charset the message names (attributes-charset iso-8859-1, windows-1252): read byte for byte, so it is
                // redacted too and what redaction leaves is written back as it came. An octetString that is not text (a
                // job-password hashed as job-password-encryption says) is masked whole when redaction takes it.
                var utf8 = System.Text.Unicode.Utf8.IsValid(value);
                var encoding = utf8 ? Encoding.UTF8 : Encoding.Latin1;
                var text = encoding.GetString(value);
                if (FormBodyRedactor.RedactPair(IsCredential(name) ? "password" : name, text, session, where, session.Model.FormRules, isQuery: false, out var drop) is not { } redacted)
                {
                    return drop ? [] : null;
                }

                return tag == 0x30 && !utf8 ? Encoding.ASCII.GetBytes(new string('*', value.Length)) : Fit(encoding.GetBytes(redacted), ushort.MaxValue);
            case 0x35 or 0x36 when value.Length >= 4:
                // textWithLanguage, nameWithLanguage: language length, language, text length, text
                var languageLength = BinaryPrimitives.ReadUInt16BigEndian(value);
                if (2 + languageLength + 2 > value.Length)
                {
                    return RedactValue(0x41, name, value, session, where); // the text cannot be found: the whole value is judged
                }

                var inner = value[(2 + languageLength + 2)..];
                if (RedactValue(0x41, name, inner, session, where) is not { } redactedText)
                {
                    return null;
                }

                redactedText = Fit(redactedText, ushort.MaxValue - (2 + languageLength + 2));

                var result = new byte[2 + languageLength + 2 + redactedText.Length];
                value[..(2 + languageLength)].CopyTo(result);
                BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(2 + languageLength), (ushort)redactedText.Length);
                redactedText.CopyTo(result, 2 + languageLength + 2);
                return result;
            default:
                return null;
        }
    }

    /// <summary>
    /// An attribute whose every value is a credential, though its name says no password: CUPS's <c>auth-info</c>
    /// (Print-Job, CUPS-Authenticate-Job to a queue with <c>auth-info-required</c>) holds the user name, password and
    /// domain as positional values (an SMB or username,password queue sent its password raw to the recording).
    /// </summary>
    private static bool IsCredential(string name) => name.Equals("auth-info", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A redacted value cut to what its 16-bit length can say, at a character boundary: tokens are longer than the
    /// addresses they replace, and a value written back unredacted because its redaction did not fit would fail open.
    /// </summary>
    private static byte[] Fit(byte[] value, int max)
    {
        if (value.Length <= max)
        {
            return value;
        }

        var cut = max;
        while (cut > 0 && (value[cut] & 0xC0) == 0x80)
        {
            cut--; // not inside a UTF-8 sequence
        }

        return value[..cut];
    }

    /// <summary>The document after the attributes, redacted as a body of its format (inside its compression); true when changed.</summary>
    private static bool RedactDocument(ReadOnlySpan<byte> document, string? format, string? compression, bool truncated, RedactionSession session, string where, MemoryStream output)
    {
        if (document.IsEmpty)
        {
            return false;
        }

        var bytes = document.ToArray();
        if (format is not null && IsIpp(format.ToLowerInvariant()))
        {
            // An IPP message carried as the document of another is scanned as bytes, not read as IPP again: crafted
            // nesting would otherwise recurse once per level, as deep as the body allows, until the stack overflows.
            format = "application/octet-stream";
        }

        var coding = compression is "gzip" or "deflate" ? compression : null;
        if (compression is { Length: > 0 } && compression != "none" && coding is null)
        {
            // compress (LZW) is not read: the document cannot be inspected, so it is not stored (fail closed).
            session.Record(where + ".document", "undecodable-body", ActionSpec.Drop, DataKind.Generic, string.Empty);
            return true;
        }

        if (coding is not null)
        {
            if (ContentDecoding.TryDecode(bytes, coding, out var plain, out _) != ContentDecoding.Outcome.Decoded)
            {
                session.Record(where + ".document", "undecodable-body", ActionSpec.Drop, DataKind.Generic, string.Empty);
                return true;
            }

            if (BodyRedactor.RedactContent(plain, format, truncated, session, where + ".document", fieldName: null) is not { } redactedPlain)
            {
                output.Write(document);
                return false;
            }

            output.Write(Compress(redactedPlain, coding));
            return true;
        }

        if (BodyRedactor.RedactContent(bytes, format, truncated, session, where + ".document", fieldName: null) is { } redacted)
        {
            output.Write(redacted);
            return true;
        }

        output.Write(document);
        return false;
    }

    private static byte[] Compress(byte[] plain, string coding)
    {
        using var buffer = new MemoryStream();
        using (Stream compressor = coding == "gzip" ? new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true) : new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            compressor.Write(plain);
        }

        return buffer.ToArray();
    }
}
