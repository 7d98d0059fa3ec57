using System.Text;
using Reprise.Core.Text;

namespace Reprise.Replay.Correlation;

/// <summary>
/// Sets a field of a <c>multipart/form-data</c> body (a form a browser posts with <c>new FormData(form)</c>): the content of
/// each part named so (<c>Content-Disposition: form-data; name="password"</c>, not a file) is replaced, every other byte of
/// the body kept as it was (the body is read as Latin-1, one char per byte, so binary parts pass through unchanged).
/// </summary>
internal static class MultipartFields
{
    /// <summary>The body with the field's value replaced, or null when the media type is not multipart or no part is that field.</summary>
    public static byte[]? Set(ReadOnlySpan<byte> body, string? contentType, string name, string value)
    {
        if (Boundary(contentType) is not { Length: > 0 } boundary)
        {
            return null;
        }

        var text = Encoding.Latin1.GetString(body);
        var delimiter = "--" + boundary;
        var replacement = Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(value));
        var output = new StringBuilder(text.Length + replacement.Length);
        var found = false;
        var position = 0;
        // Where each delimiter line starts: the first at the start of the body or after a preamble, the others after "\r\n".
        var line = text.StartsWith(delimiter, StringComparison.Ordinal) ? 0 : text.IndexOf("\r\n" + delimiter, StringComparison.Ordinal) is var first and >= 0 ? first + 2 : -1;
        while (line >= 0)
        {
            var partStart = text.IndexOf("\r\n", line + delimiter.Length, StringComparison.Ordinal);
            if (partStart < 0)
            {
                break;
            }

            partStart += 2;
            var next = text.IndexOf("\r\n" + delimiter, partStart, StringComparison.Ordinal);
            var headersEnd = text.IndexOf("\r\n\r\n", partStart, StringComparison.Ordinal);
            if (next < 0 || headersEnd < 0 || headersEnd > next)
            {
                break;
            }

            if (IsField(text.AsSpan(partStart, headersEnd - partStart), name))
            {
                output.Append(text, position, headersEnd + 4 - position).Append(replacement);
                position = next;
                found = true;
            }

            line = next + 2;
        }

        if (!found)
        {
            return null;
        }

        output.Append(text, position, text.Length - position);
        return Encoding.Latin1.GetBytes(output.ToString());
    }

    /// <summary>Whether a part's headers name the form field <paramref name="name"/> (a file upload is not one).</summary>
    private static bool IsField(ReadOnlySpan<char> headers, string name)
    {
        foreach (var range in headers.Split("\r\n"))
        {
            var line = headers[range];
            var colon = line.IndexOf(':');
            if (colon <= 0 || !line[..colon].Trim().Equals("Content-Disposition", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = line[(colon + 1)..];
            return HeaderParameters.Get(value, "filename") is null && string.Equals(HeaderParameters.Get(value, "name"), name, StringComparison.Ordinal);
        }

        return false;
    }

    private static string? Boundary(string? contentType) =>
        contentType is not null && contentType.AsSpan().TrimStart().StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) ? HeaderParameters.Get(contentType, "boundary") : null;
}
