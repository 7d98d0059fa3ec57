using Reprise.Core.Protocols;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Reprise.Core.Model;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Engine;

/// <summary>
/// Redacts a body by its media type (sniffed when missing): JSON/GraphQL, XML/SOAP, form, multipart,
/// text, or binary (printable runs masked in place, same length). Compressed bodies are decoded first
/// and stored decoded with a note, with Content-Encoding removed and Content-Length fixed; UTF-16 text
/// is stored as UTF-8 with a note and its charset changed. A body that
/// cannot be decoded is dropped (fail closed): nothing uninspected reaches disk.
/// </summary>
internal static class BodyRedactor
{
    public static (ExchangeBody? Body, ImmutableArray<HeaderField> Headers) Redact(ExchangeBody? body, ImmutableArray<HeaderField> headers, RedactionSession session, string location)
    {
        if (body is null || body.Content.Length == 0)
        {
            return (body, headers);
        }

        // The engine only reads the content (every rewrite goes to a new array): use the body's own array when it is one.
        var content = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(body.Content, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : body.Content.ToArray();
        var note = body.Note;
        var size = body.Size;
        var headersChanged = false;
        var encoding = headers.IsDefault ? null : headers.Get("content-encoding");
        if (encoding is not null && !encoding.Trim().Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            var outcome = ContentDecoding.TryDecode(content, encoding, out var decoded, out var decodeNote);
            if (outcome == ContentDecoding.Outcome.Failed)
            {
                session.Record(location, "undecodable-body", ActionSpec.Drop, DataKind.Generic, string.Empty);
                var dropped = body with
                {
                    Content = ReadOnlyMemory<byte>.Empty,
                    Size = 0,
                    Truncated = false,
                    Note = $"dropped: the '{encoding}' body could not be decoded for redaction ({body.Content.Length} bytes stored on the wire)",
                };
                return (dropped, FixHeaders(headers.Without("content-encoding"), 0));
            }

            content = decoded;
            note = Join(note, decodeNote);
            size = content.Length;
            headers = headers.Without("content-encoding");
            headersChanged = true;
        }

        var mediaType = body.MediaType ?? headers.Get("content-type") ?? string.Empty;
        var newMediaType = body.MediaType;
        if (Utf16Text.TryDecode(content, mediaType, out var utf16Text, out var utf16Name))
        {
            // The detectors read UTF-8: a UTF-16 body is stored transcoded (with a note) rather than skipped as binary.
            content = Encoding.UTF8.GetBytes(utf16Text);
            note = Join(note, "transcoded from " + utf16Name + " to utf-8");
            mediaType = Utf16Text.WithUtf8Charset(mediaType);
            newMediaType = body.MediaType is null ? null : Utf16Text.WithUtf8Charset(body.MediaType);
            if (!headers.IsDefault && headers.Get("content-type") is { } contentType)
            {
                headers = headers.With("content-type", Utf16Text.WithUtf8Charset(contentType));
            }

            headersChanged = true;
        }

        byte[]? redacted;
        try
        {
            redacted = RedactContent(content, mediaType, body.Truncated, session, location, fieldName: null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // Fail closed: a body the engine could not process is not stored.
            session.Record(location, "redaction-error", ActionSpec.Drop, DataKind.Generic, string.Empty);
            var dropped = body with { Content = ReadOnlyMemory<byte>.Empty, Size = 0, Truncated = false, Note = $"dropped: redaction failed ({ex.GetType().Name})" };
            return (dropped, FixHeaders(headers, 0));
        }

        if (redacted is null && !headersChanged)
        {
            return (body, headers);
        }

        var final = redacted ?? content;
        var newBody = body with
        {
            Content = final,
            Size = body.Truncated && !headersChanged ? body.Size : final.Length,
            Note = note,
            MediaType = newMediaType,
        };
        _ = size;
        return (newBody, newBody.Truncated ? headers : FixHeaders(headers, final.Length));
    }

    /// <summary>Redacts decoded bytes by media type; null when nothing changed.</summary>
    internal static byte[]? RedactContent(byte[] content, string? mediaType, bool truncated, RedactionSession session, string location, string? fieldName)
    {
        if (content.Length == 0)
        {
            return null;
        }

        var type = AsciiFold.LowerInvariant(mediaType ?? string.Empty);
        if (MultipartBodyRedactor.IsMultipart(type))
        {
            return MultipartBodyRedactor.Redact(content, mediaType!, session, location);
        }

        if (IppBodyRedactor.IsIpp(type))
        {
            return IppBodyRedactor.Redact(content, truncated, session, location);
        }

        if (IsGzipFile(content) && location.IndexOf(":gzip", StringComparison.Ordinal) < 0)
        {
            return RedactGzipFile(content, mediaType, type, truncated, session, location, fieldName);
        }

        if (Utf16Text.TryDecode(content, type, out var utf16Text, out var utf16Name))
        {
            // A UTF-16 part inside a multipart body: redacted as text and written back in its own encoding.
            var inner = RedactContent(Encoding.UTF8.GetBytes(utf16Text), Utf16Text.WithUtf8Charset(mediaType ?? string.Empty), truncated, session, location, fieldName);
            if (inner is null)
            {
                return null;
            }

            var encoding = utf16Name == "utf-16be" ? Encoding.BigEndianUnicode : Encoding.Unicode;
            var preamble = content.AsSpan().StartsWith(encoding.GetPreamble()) ? encoding.GetPreamble() : [];
            return [.. preamble, .. encoding.GetBytes(Encoding.UTF8.GetString(inner))];
        }

        // Text cut at the capture cap may end inside a character; anything else that is not UTF-8 is binary
        // (decoding it as text would store U+FFFD for every invalid byte: the body would be lost) unless the
        // media type says text (ISO-8859-1, Windows-1252 JSON): then it is decoded losslessly (LosslessText),
        // because every JSON/XML/form rule and detector must still run on it, and encoded back into its own
        // bytes. A body redaction does not change is kept byte-exact (null: the caller stores the original bytes).
        // application/json (the usual API body) is never binary: skip the media-type scans (case-insensitive, scalar).
        if (!type.StartsWith("application/json", StringComparison.Ordinal) && BinaryBodies.IsBinary(type, content))
        {
            // Length-prefixed binary (gRPC frames, protobuf) is often valid UTF-8 too (ASCII strings, small lengths):
            // the text path would tokenize a value to another length under its unchanged length prefixes. An octet
            // stream holding JSON or XML is not binary here: Classify reads it as what it holds, so its rules apply.
            return BinaryRedactor.Redact(content, session, location);
        }

        var textLength = truncated ? Reprise.Core.Text.Utf8Cut.TextLength(content) : System.Text.Unicode.Utf8.IsValid(content) ? content.Length : -1;
        if (textLength < 0)
        {
            if (!IsTextMediaType(type))
            {
                return BinaryRedactor.Redact(content, session, location);
            }

            if (LosslessText.TryDecode(content, type, out var text8, out var encode))
            {
                // Redacted as text, stored in the bytes it came in: what redaction did not touch stays byte-exact.
                var inner = RedactContent(Encoding.UTF8.GetBytes(text8), mediaType, truncated, session, location, fieldName);
                return inner is null ? null : encode(Encoding.UTF8.GetString(inner));
            }

            var lossy = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(content));
            return RedactContent(lossy, mediaType, truncated, session, location, fieldName);
        }

        if (textLength < content.Length)
        {
            // Redact the text; unchanged, the partial character is kept as it was, but once the text before it
            // was rewritten its bytes may belong to a redacted value and are dropped.
            return RedactContent(content[..textLength], mediaType, truncated, session, location, fieldName);
        }

        var kind = Classify(type, content);
        try
        {
            switch (kind)
            {
                case BodyKind.Json:
                    // Here the content is whole UTF-8 text (textLength == content.Length), so only truncation leaves it incomplete.
                    return JsonBodyRedactor.Redact(content, truncated, session, location);
                case BodyKind.Xml when !truncated:
                    return Utf8(XmlBodyRedactor.Redact(Encoding.UTF8.GetString(content), session, location));
                case BodyKind.Form:
                    return Utf8(FormBodyRedactor.Redact(Encoding.UTF8.GetString(content), session, location + ":form", session.Model.FormRules, isQuery: false));
            }
        }
        catch (Exception ex) when (ex is JsonException or XmlException or InvalidOperationException)
        {
            // Not what the media type said: fall through to text scanning, which also finds key/value pairs.
        }

        var text = Encoding.UTF8.GetString(content);
        if (fieldName is not null && text.Length <= 4096)
        {
            // A multipart text part named like a sensitive field is redacted whole, like a form field.
            var part = FormBodyRedactor.RedactPair(fieldName, text, session, location, session.Model.FormRules, isQuery: false, out var drop);
            if (part is not null || drop)
            {
                return Encoding.UTF8.GetBytes(part ?? string.Empty);
            }

            return null;
        }

        // In a script or a style sheet "name: value" is code (minified jQuery's {password:!0}): masked, the served script no
        // longer parses. The value detectors (keys, tokens, emails, cards) still run there, and the pairs whose value is a
        // string literal (a JSONP answer's "password":"…"), see KeyValueScanner.Find.
        return Utf8(session.RedactText(CharacterReferences.DecodeAddressRuns(text), location + ":text", code: IsCodeMediaType(type)));
    }

    /// <summary>
    /// True for a gzip member's header (RFC 1952: ID1 0x1f, ID2 0x8b, CM 8 = deflate). No UTF-8 text starts so (0x8b is a
    /// continuation byte), so a text body never takes this path.
    /// </summary>
    internal static bool IsGzipFile(ReadOnlySpan<byte> content) => content.Length >= 18 && content[0] == 0x1f && content[1] == 0x8b && content[2] == 8;

    /// <summary>
    /// A gzip file served or sent as a body of its own (<c>application/gzip</c>, an <c>.mbox.gz</c>, <c>.csv.gz</c> or
    /// <c>.json.gz</c> export; no <c>Content-Encoding</c>, so the body is the file) is read inside: decompressed (within the
    /// decoding cap: a bomb is not inflated), redacted as what it holds, and compressed again, so the stored body is still a
    /// valid gzip file and the mock serves one. Only printable runs of the compressed bytes were scanned before: HyperKitty's
    /// archive export kept every name, email, phone and street of the list's messages (QA round 16a). When nothing
    /// inside was redacted, and for a file that does not inflate, the bytes are scanned as before (null when that finds nothing).
    /// </summary>
    private static byte[]? RedactGzipFile(byte[] content, string? mediaType, string type, bool truncated, RedactionSession session, string location, string? fieldName)
    {
        if (ContentDecoding.TryDecode(content, "gzip", MaxGzipFile, out var plain, out var note) != ContentDecoding.Outcome.Decoded)
        {
            return BinaryRedactor.Redact(content, session, location);
        }

        // The file's own type (type: lower-cased) names the container, not what it holds: what is inside is classified from its bytes.
        var inner = type.Contains("gzip", StringComparison.Ordinal) || BinaryBodies.IsBinary(type, content) ? string.Empty : mediaType;
        var partial = truncated || note.Contains("truncated", StringComparison.Ordinal);
        if (RedactContent(plain, inner, partial, session, location + ":gzip", fieldName) is not { } redacted)
        {
            // Nothing inside to redact: the file is kept, but its header (an original file name, a comment: gzip -N of
            // "anna.keller@acme.com-export.csv") and any bytes after its last member are not inside; scanned as bytes, as before.
            return BinaryRedactor.Redact(content, session, location);
        }

        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(redacted);
        }

        return buffer.ToArray();
    }

    /// <summary>The most bytes a gzip file body is inflated to for redaction.</summary>
    private const int MaxGzipFile = 64 * 1024 * 1024;

    /// <summary>Script and style sheet media types (lower-cased, parameters allowed).</summary>
    private static bool IsCodeMediaType(string type) =>
        type.Contains("javascript", StringComparison.Ordinal)
        || type.Contains("ecmascript", StringComparison.Ordinal)
        || type.StartsWith("text/css", StringComparison.Ordinal);

    /// <summary>Media types whose bodies are text whatever bytes they hold (lower-cased, parameters allowed).</summary>
    internal static bool IsTextMediaType(string type) =>
        type.StartsWith("text/", StringComparison.Ordinal)
        || type.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal)
        || type.Contains("json", StringComparison.Ordinal)
        || type.Contains("xml", StringComparison.Ordinal)
        || type.Contains("javascript", StringComparison.Ordinal)
        || type.Contains("graphql", StringComparison.Ordinal)
        || type.Contains("yaml", StringComparison.Ordinal)
        || type.Contains("csv", StringComparison.Ordinal);

    private static byte[]? Utf8(string? text) => text is null ? null : Encoding.UTF8.GetBytes(text);

    internal static BodyKind Classify(string type, ReadOnlySpan<byte> content)
    {
        if (type.Contains("json", StringComparison.Ordinal))
        {
            return BodyKind.Json;
        }

        if (type.Contains("xml", StringComparison.Ordinal))
        {
            return BodyKind.Xml;
        }

        if (type.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal))
        {
            return BodyKind.Form;
        }

        var trimmed = content.TrimStart(" \t\r\n"u8);
        if (trimmed.Length > 0 && (type.Length == 0 || type.StartsWith("text/plain", StringComparison.Ordinal) || type.StartsWith("application/octet-stream", StringComparison.Ordinal)))
        {
            if (trimmed[0] is (byte)'{' or (byte)'[')
            {
                return BodyKind.Json;
            }

            if (trimmed[0] == '<')
            {
                return BodyKind.Xml;
            }
        }

        return BodyKind.Text;
    }

    internal static ImmutableArray<HeaderField> FixHeaders(ImmutableArray<HeaderField> headers, long length) =>
        headers.Has("content-length") ? headers.With(headers.First(h => h.Name.Equals("content-length", StringComparison.OrdinalIgnoreCase)).Name, length.ToString(CultureInfo.InvariantCulture)) : headers;

    private static string? Join(string? a, string b) => string.IsNullOrEmpty(b) ? a : string.IsNullOrEmpty(a) ? b : a + "; " + b;

    internal enum BodyKind
    {
        Json,
        Xml,
        Form,
        Text,
    }
}
