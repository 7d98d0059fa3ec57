using System.Buffers;
using System.Text;
using Reprise.Core.Model;
using Reprise.Core.Text;

namespace Reprise.Redaction.Engine;

/// <summary>
/// <c>multipart/*</c> bodies: each part is redacted by its own Content-Type (JSON, XML, form, text,
/// binary), and a text part named like a sensitive field (<c>password</c>) is redacted whole.
/// Boundaries and part headers are kept byte for byte.
/// </summary>
internal static class MultipartBodyRedactor
{
    public static byte[]? Redact(byte[] body, string mediaType, RedactionSession session, string location)
    {
        var boundary = Boundary(mediaType);
        if (string.IsNullOrEmpty(boundary))
        {
            // Fail closed: without a boundary the parts cannot be found, so the body is scanned like an unknown one.
            return BodyRedactor.RedactContent(body, mediaType: null, truncated: false, session, location + ":unparsed", fieldName: null);
        }

        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var content = body.AsSpan();
        var first = content.IndexOf(delimiter);
        if (first < 0)
        {
            return BodyRedactor.RedactContent(body, mediaType: null, truncated: false, session, location + ":unparsed", fieldName: null);
        }

        var output = new ArrayBufferWriter<byte>(body.Length + 64);
        output.Write(content[..first]);
        var position = first;
        var changed = false;
        var index = 0;
        while (true)
        {
            // position is at a delimiter: copy it and its line ending.
            var afterDelimiter = position + delimiter.Length;
            var lineEnd = content[afterDelimiter..].IndexOf("\n"u8);
            if (lineEnd < 0 || content[afterDelimiter..].StartsWith("--"u8))
            {
                output.Write(content[position..]);
                break;
            }

            var partStart = afterDelimiter + lineEnd + 1;
            output.Write(content[position..partStart]);
            var next = content[partStart..].IndexOf(delimiter);
            if (next < 0)
            {
                // Truncated: the last part runs to the end.
                changed |= RedactPart(content[partStart..], session, location, index, output);
                break;
            }

            var partEnd = partStart + next;
            // The CRLF before the delimiter belongs to the delimiter.
            var bodyEnd = partEnd >= 2 && content[partEnd - 2] == '\r' && content[partEnd - 1] == '\n' ? partEnd - 2 : partEnd >= 1 && content[partEnd - 1] == '\n' ? partEnd - 1 : partEnd;
            changed |= RedactPart(content[partStart..bodyEnd], session, location, index, output);
            output.Write(content[bodyEnd..partEnd]);
            position = partEnd;
            index++;
        }

        return changed ? output.WrittenSpan.ToArray() : null;
    }

    private static bool RedactPart(ReadOnlySpan<byte> part, RedactionSession session, string location, int index, ArrayBufferWriter<byte> output)
    {
        var separator = part.IndexOf("\r\n\r\n"u8);
        var separatorLength = 4;
        if (separator < 0)
        {
            separator = part.IndexOf("\n\n"u8);
            separatorLength = 2;
        }

        if (separator < 0)
        {
            // A part without headers: scanned like an unknown body rather than copied unseen.
            var raw = part.ToArray();
            var scanned = BodyRedactor.RedactContent(raw, mediaType: null, truncated: false, session, location + ":part[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", fieldName: null);
            output.Write(scanned ?? raw);
            return scanned is not null;
        }

        var headerText = Encoding.UTF8.GetString(part[..separator]);
        var name = HeaderParameters.OfHeader(headerText, "Content-Disposition", "name") ?? HeaderParameters.OfHeader(headerText, "Content-Type", "name") ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var partType = HeaderValue(headerText, "content-type");
        var partBody = part[(separator + separatorLength)..].ToArray();
        var where = location + ":part[" + name + "]";
        var redactedHeaders = session.RedactText(headerText, where + ".headers");
        var redactedBody = BodyRedactor.RedactContent(partBody, partType, truncated: false, session, where, fieldName: name);
        output.Write(redactedHeaders is null ? part[..separator] : Encoding.UTF8.GetBytes(redactedHeaders));
        output.Write(part.Slice(separator, separatorLength));
        output.Write(redactedBody ?? partBody);
        return redactedHeaders is not null || redactedBody is not null;
    }

    internal static string? Boundary(string mediaType) => HeaderParameters.Get(mediaType, "boundary");

    private static string? HeaderValue(string headers, string name)
    {
        foreach (var line in headers.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    internal static bool IsMultipart(string? mediaType) => mediaType is not null && mediaType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase);

    internal static string ContentTypeOf(ExchangeBody body, string? header) => body.MediaType ?? header ?? string.Empty;
}
