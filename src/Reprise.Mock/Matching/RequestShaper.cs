using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using GraphQLParser;
using GraphQLParser.Visitors;
using Reprise.Core.Protocols;
using Reprise.Core.Text;

namespace Reprise.Mock.Matching;

/// <summary>
/// Turns a request (recorded or live) into a <see cref="RequestShape"/>: query pairs, canonical JSON
/// leaves (key order ignored), normalised GraphQL documents (GraphQL-Parser: parsed, sorted, printed)
/// with their variables, XML leaves for SOAP, form fields, or a digest of any other body.
/// </summary>
internal static class RequestShaper
{
    private const int MaxLeaves = 512;
    private const int MaxDepth = 32;

    public static RequestShape Shape(string method, string authority, ReadOnlySpan<char> path, ReadOnlySpan<char> query, string? contentType, string? soapActionHeader, string? traceparent, ReadOnlySpan<byte> body)
    {
        var leaves = new List<KeyValuePair<string, string>>(8);
        var segment = 0;
        var rest = path.Length > 0 && path[0] == '/' ? path[1..] : path;
        foreach (var range in rest.Split('/'))
        {
            leaves.Add(new(SegmentName(segment++), Uri.UnescapeDataString(rest[range].ToString())));
        }

        if (!query.IsEmpty)
        {
            foreach (var pair in QueryString.Parse(query))
            {
                if (IsCacheBuster(pair.Key, pair.Value))
                {
                    continue;
                }

                // GraphQL over GET: the document is canonical like a POSTed one (whitespace, comments, field order).
                var name = "query." + pair.Key;
                leaves.Add(new(name, VolatileLearner.IsOperation(name, pair.Value) ? NormalizeGraphQL(pair.Value) : pair.Value));
            }
        }

        var soapAction = soapActionHeader?.Trim().Trim('"');
        if (!body.IsEmpty)
        {
            AddBody(leaves, contentType, body, ref soapAction);
        }

        if (string.IsNullOrEmpty(soapAction))
        {
            soapAction = null;
        }

        var array = leaves.ToArray();
        for (var i = 0; i < array.Length; i++)
        {
            // An email token of a recording made before QA round 12c (@redacted.invalid) meets the live request's,
            // redacted now (@redacted.example.com).
            array[i] = new(array[i].Key, Core.Model.RedactedValue.WithCurrentEmailDomain(array[i].Value));
        }

        Array.Sort(array, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        StableFix(array, leaves);
        string? traceId = TraceContext.TryParse(traceparent, out var trace, out _) ? trace : null;
        return new RequestShape(method.ToUpperInvariant(), authority.ToLowerInvariant(), path.ToString(), soapAction, traceId, array);
    }

    /// <summary>
    /// True for a bare number of 8 digits or more as a query parameter with no value (<c>/ajax-setup?1795794940769</c>,
    /// <c>…&amp;1795794910121</c>): a timestamp or a random number a client appends so no cache answers, different on every
    /// request. As a parameter's name it differed on both sides and calibre's UI missed its settings from the mock (QA 14b).
    /// A short bare key (<c>?2</c>, a page), a named parameter's number and a bare date (<c>style.css?20240101</c>, an
    /// asset's version: the same on every request until the next release, and two versions are two answers) still count.
    /// </summary>
    private static bool IsCacheBuster(string key, string value)
    {
        if (value.Length != 0 || key.Length < 8)
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return !IsVersionDate(key);
    }

    /// <summary>A calendar date written <c>yyyyMMdd</c> (1990-2099), optionally with <c>HHmm</c> or <c>HHmmss</c>: a build stamp.</summary>
    private static bool IsVersionDate(string digits) =>
        digits.Length is 8 or 12 or 14
        && DateTime.TryParseExact(digits, digits.Length switch { 8 => "yyyyMMdd", 12 => "yyyyMMddHHmm", _ => "yyyyMMddHHmmss" },
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date)
        && date.Year is >= 1990 and < 2100;

    private static readonly string[] SegmentNames = ["path[0]", "path[1]", "path[2]", "path[3]", "path[4]", "path[5]", "path[6]", "path[7]"];

    private static string SegmentName(int index) => index < SegmentNames.Length ? SegmentNames[index] : $"path[{index}]";

    // Array.Sort is not stable: restore the original relative order of repeated names.
    private static void StableFix(KeyValuePair<string, string>[] sorted, List<KeyValuePair<string, string>> original)
    {
        for (var i = 1; i < sorted.Length; i++)
        {
            if (string.Equals(sorted[i - 1].Key, sorted[i].Key, StringComparison.Ordinal))
            {
                var start = i - 1;
                var end = i;
                while (end + 1 < sorted.Length && string.Equals(sorted[end + 1].Key, sorted[start].Key, StringComparison.Ordinal))
                {
                    end++;
                }

                var key = sorted[start].Key;
                var k = start;
                foreach (var item in original)
                {
                    if (string.Equals(item.Key, key, StringComparison.Ordinal))
                    {
                        sorted[k++] = item;
                    }
                }

                i = end + 1;
            }
        }
    }

    private static void AddBody(List<KeyValuePair<string, string>> leaves, string? contentType, ReadOnlySpan<byte> body, ref string? soapAction)
    {
        var media = contentType ?? string.Empty;
        if (media.Contains("json", StringComparison.OrdinalIgnoreCase) || (contentType is null && LooksLikeJson(body)))
        {
            if (TryAddJson(leaves, body))
            {
                return;
            }
        }
        else if (media.Contains("xml", StringComparison.OrdinalIgnoreCase) || (contentType is null && body.TrimStart(" \r\n\t"u8).StartsWith("<"u8)))
        {
            if (soapAction is null && media.Contains("action=", StringComparison.OrdinalIgnoreCase))
            {
                soapAction = HeaderParameters.Get(media, "action");
            }

            if (TryAddXml(leaves, body))
            {
                return;
            }
        }
        else if (media.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) && System.Text.Unicode.Utf8.IsValid(body))
        {
            foreach (var pair in QueryString.Parse(Encoding.UTF8.GetString(body)))
            {
                leaves.Add(new("body." + pair.Key, pair.Value));
            }

            return;
        }
        else if (media.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) && TryAddMultipart(leaves, media, body))
        {
            return;
        }
        else if (media.StartsWith("application/ipp", StringComparison.OrdinalIgnoreCase) && TryAddIpp(leaves, body))
        {
            return;
        }
        else if (media.StartsWith("application/graphql", StringComparison.OrdinalIgnoreCase) && System.Text.Unicode.Utf8.IsValid(body))
        {
            leaves.Add(new("body.$.query", NormalizeGraphQL(Encoding.UTF8.GetString(body))));
            return;
        }

        leaves.Add(new("body", TextOrDigest(body)));
    }

    /// <summary>
    /// <c>multipart/form-data</c>: each part is a leaf by its field name (<c>body.doc</c>: the text up to 1 KiB, else a
    /// SHA-256 digest) plus <c>body.doc.filename</c>, so the boundary, which every client picks anew per request, does
    /// not make an identical upload a different request. False (the whole body is one leaf) when the parts cannot be
    /// found, e.g. a body cut short by --max-body.
    /// </summary>
    private static bool TryAddMultipart(List<KeyValuePair<string, string>> leaves, string media, ReadOnlySpan<byte> body)
    {
        var boundary = HeaderParameters.Get(media, "boundary");
        if (string.IsNullOrEmpty(boundary))
        {
            return false;
        }

        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var start = leaves.Count;
        var position = body.IndexOf(delimiter);
        var index = 0;
        while (position >= 0)
        {
            var after = body[(position + delimiter.Length)..];
            if (after.StartsWith("--"u8))
            {
                return leaves.Count > start; // the closing delimiter
            }

            var lineEnd = after.IndexOf((byte)'\n');
            var next = lineEnd < 0 ? -1 : after[(lineEnd + 1)..].IndexOf(delimiter);
            if (next < 0)
            {
                break; // cut short: no closing delimiter
            }

            var part = after.Slice(lineEnd + 1, next);
            part = part.EndsWith("\r\n"u8) ? part[..^2] : part.EndsWith("\n"u8) ? part[..^1] : part;
            var separator = part.IndexOf("\r\n\r\n"u8);
            var (headerLength, skip) = separator >= 0 ? (separator, 4) : (part.IndexOf("\n\n"u8), 2);
            var headers = headerLength >= 0 ? Encoding.UTF8.GetString(part[..headerLength]) : string.Empty;
            var content = headerLength >= 0 ? part[(headerLength + skip)..] : part;
            var name = HeaderParameters.OfHeader(headers, "Content-Disposition", "name") ?? "part" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            leaves.Add(new("body." + name, TextOrDigest(content)));
            if (HeaderParameters.OfHeader(headers, "Content-Disposition", "filename") is { } filename)
            {
                leaves.Add(new("body." + name + ".filename", filename));
            }

            index++;
            position = position + delimiter.Length + lineEnd + 1 + next;
        }

        leaves.RemoveRange(start, leaves.Count - start);
        return false;
    }

    /// <summary>
    /// IPP (<c>application/ipp</c>, RFC 8010: CUPS and network printers): the operation, each attribute by group and name
    /// (<c>body.ipp.1.job-name</c>; a text, name or keyword as text, a URI without its host, which is whatever address the
    /// client was pointed at, other values in hex) and the document after the attributes (<c>body.ipp.document</c>, text up
    /// to 1 KiB or a digest). The request id is left out: it numbers a client's requests, not what it asks. False (the
    /// whole body is one leaf) when the message does not parse, e.g. cut short by --max-body.
    /// </summary>
    private static bool TryAddIpp(List<KeyValuePair<string, string>> leaves, ReadOnlySpan<byte> body)
    {
        if (body.Length < 9)
        {
            return false;
        }

        var start = leaves.Count;
        leaves.Add(new("body.ipp.operation", Convert.ToHexString(body.Slice(2, 2))));
        var i = 8;
        var group = "0";
        var name = string.Empty;
        while (i < body.Length)
        {
            var tag = body[i];
            if (tag <= 0x0F)
            {
                i++;
                if (tag == 0x03)
                {
                    if (i < body.Length)
                    {
                        leaves.Add(new("body.ipp.document", TextOrDigest(body[i..])));
                    }

                    return true;
                }

                group = tag.ToString(System.Globalization.CultureInfo.InvariantCulture);
                continue;
            }

            if (i + 3 > body.Length)
            {
                break;
            }

            var nameLength = (body[i + 1] << 8) | body[i + 2];
            if (i + 3 + nameLength + 2 > body.Length)
            {
                break;
            }

            var valueLength = (body[i + 3 + nameLength] << 8) | body[i + 4 + nameLength];
            var valueAt = i + 5 + nameLength;
            if (valueAt + valueLength > body.Length)
            {
                break;
            }

            if (nameLength > 0)
            {
                name = Encoding.ASCII.GetString(body.Slice(i + 3, nameLength));
            }

            var value = body.Slice(valueAt, valueLength);
            var text = tag is 0x41 or 0x42 or 0x44 or 0x45 or 0x46 or 0x47 or 0x48 or 0x49 or 0x4A && System.Text.Unicode.Utf8.IsValid(value)
                ? Encoding.UTF8.GetString(value)
                : Convert.ToHexString(value);
            if (tag == 0x45 && Uri.TryCreate(text, UriKind.Absolute, out var uri))
            {
                text = uri.Scheme + "://" + uri.PathAndQuery;
            }

            leaves.Add(new($"body.ipp.{group}.{name}", text));
            i = valueAt + valueLength;
        }

        leaves.RemoveRange(start, leaves.Count - start);
        return false;
    }

    private static bool LooksLikeJson(ReadOnlySpan<byte> body)
    {
        var trimmed = body.TrimStart(" \r\n\t"u8);
        return !trimmed.IsEmpty && (trimmed[0] == (byte)'{' || trimmed[0] == (byte)'[');
    }

    /// <summary>A body or part as a leaf value: its text up to 1 KiB, else a SHA-256 digest.</summary>
    private static string TextOrDigest(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes) && bytes.Length <= 1024
        ? Encoding.UTF8.GetString(bytes)
        : "sha256:" + Convert.ToBase64String(SHA256.HashData(bytes));

    private static bool TryAddJson(List<KeyValuePair<string, string>> leaves, ReadOnlySpan<byte> body)
    {
        var start = leaves.Count;
        var walked = start; // the leaves of the documents walked whole
        var documents = 0;
        long consumed = 0; // the bytes of those documents
        try
        {
            // Several documents one after another (NDJSON: an Elasticsearch or CouchDB _bulk, a JSON-lines batch) are
            // each walked under their index (body[1].$…); the first keeps body.$ so a one-document body reads as before.
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowMultipleValues = true });
            for (; leaves.Count < MaxLeaves; documents++)
            {
                if (documents > 0 && !reader.Read())
                {
                    break; // only whitespace after the last document
                }

                using var document = JsonDocument.ParseValue(ref reader);
                var root = document.RootElement;
                var graphQL = root.ValueKind == JsonValueKind.Object
                    && root.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String;
                Walk(leaves, root, documents == 0 ? "body.$" : "body[" + documents.ToString(System.Globalization.CultureInfo.InvariantCulture) + "].$", 0, graphQL);
                walked = leaves.Count;
                consumed = reader.BytesConsumed;
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Invalid UTF-8 inside a string or property name only surfaces when the value is read
            // (InvalidOperationException): drop any partial leaves so the caller digests the raw body. After whole
            // documents (a JSON value and then text that is none, a truncated last line of NDJSON) those are kept and
            // the rest is one leaf, body[N], as a body that is no JSON would be.
            leaves.RemoveRange(walked, leaves.Count - walked);
            if (documents == 0)
            {
                return false;
            }

            leaves.Add(new("body[" + documents.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", TextOrDigest(body[(int)consumed..].Trim(" \t\r\n"u8))));
            return true;
        }
    }

    private static void Walk(List<KeyValuePair<string, string>> leaves, JsonElement element, string path, int depth, bool graphQLRoot)
    {
        if (leaves.Count >= MaxLeaves || depth > MaxDepth)
        {
            leaves.Add(new(path, element.GetRawText()));
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var any = false;
                foreach (var property in element.EnumerateObject())
                {
                    any = true;
                    var childPath = path + "." + property.Name;
                    if (graphQLRoot && depth == 0 && property.Name == "query" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        leaves.Add(new(childPath, NormalizeGraphQL(property.Value.GetString()!)));
                        continue;
                    }

                    Walk(leaves, property.Value, childPath, depth + 1, false);
                }

                if (!any)
                {
                    leaves.Add(new(path, "{}"));
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(leaves, item, $"{path}[{index++}]", depth + 1, false);
                }

                if (index == 0)
                {
                    leaves.Add(new(path, "[]"));
                }

                break;
            case JsonValueKind.String:
                leaves.Add(new(path, element.GetString()!));
                break;
            default:
                leaves.Add(new(path, element.GetRawText()));
                break;
        }
    }

    /// <summary>Parses, sorts and prints a GraphQL document so whitespace, comments and selection order do not matter.</summary>
    public static string NormalizeGraphQL(string query)
    {
        try
        {
            var document = Parser.Parse(query, new ParserOptions { Ignore = IgnoreOptions.All });
            SDLSorter.Sort(document);
            var text = new SDLPrinter(new SDLPrinterOptions { PrintComments = false }).Print(document);
            return string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
        }
        catch (GraphQLParser.Exceptions.GraphQLParserException)
        {
            // Syntax errors and documents nested deeper than the parser allows
            // (GraphQLMaxDepthExceededException): compare the whitespace-normalised text instead.
            return string.Join(' ', query.Split((char[])[' ', '\n', '\r', '\t', ','], StringSplitOptions.RemoveEmptyEntries));
        }
    }

    private static bool TryAddXml(List<KeyValuePair<string, string>> leaves, ReadOnlySpan<byte> body)
    {
        try
        {
            using var stream = new MemoryStream(body.ToArray());
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreWhitespace = true });
            var document = XDocument.Load(reader);
            if (document.Root is { } root)
            {
                WalkXml(leaves, root, "body./" + root.Name.LocalName, 0);
            }

            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    private static void WalkXml(List<KeyValuePair<string, string>> leaves, XElement element, string path, int depth)
    {
        if (leaves.Count >= MaxLeaves || depth > MaxDepth)
        {
            return;
        }

        foreach (var attribute in element.Attributes())
        {
            if (!attribute.IsNamespaceDeclaration)
            {
                leaves.Add(new(path + "/@" + attribute.Name.LocalName, attribute.Value));
            }
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var anyChild = false;
        foreach (var child in element.Elements())
        {
            anyChild = true;
            var name = child.Name.LocalName;
            counts.TryGetValue(name, out var n);
            counts[name] = n + 1;
            WalkXml(leaves, child, n == 0 ? path + "/" + name : $"{path}/{name}[{n}]", depth + 1);
        }

        if (!anyChild)
        {
            leaves.Add(new(path, element.Value.Trim()));
        }
    }
}
