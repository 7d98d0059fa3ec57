using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Reprise.Core.Model;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Engine;

/// <summary>
/// The same-value pass: after an exchange's normal redaction, every raw value that was redacted and is long
/// enough to be unambiguous (<see cref="Qualifies"/>) is also replaced wherever else it still appears in the
/// exchange (URL, headers, trailers, bodies, WebSocket messages, tags, error message), with the replacement
/// the first redaction produced, and recorded as <c>same-value:&lt;rule&gt;</c>. A SOAP fault that echoes a
/// tokenized <c>customerId</c>, or a greeting that repeats a tokenized name, no longer keeps it raw.
/// <para>
/// One multi-pattern search (<see cref="SearchValues{T}"/> over every value and its JSON-, percent-, form- and
/// XML-encoded forms) runs over each part; only a part with a hit is rewritten, by its structure: inside JSON
/// strings (a JSON number equal to a value gets digits, so it stays a number), in XML text, attribute values,
/// comments and CDATA (never in names), percent-encoded in URLs and forms. An occurrence must stand alone:
/// not preceded or followed by a letter or digit (so <c>123456</c> is not replaced inside <c>91234567</c>).
/// </para>
/// </summary>
internal sealed class ValueSpread
{
    /// <summary>The shortest value that spreads: shorter ones (<c>42</c>, <c>Bob</c>, <c>12345</c>) collide with unrelated text.</summary>
    public const int MinLength = 6;

    private const int MaxLength = 4096;
    private const string RulePrefix = "same-value:";

    private static readonly JavaScriptEncoder Relaxed = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private readonly RedactionSession _session;
    private readonly SpreadValue[] _values;
    private readonly string?[] _replacements;
    private readonly string[] _rules;
    private readonly (int Value, Form Form)[] _variants;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int[] _lengths;
    private readonly SearchValues<string> _search;

    private ValueSpread(RedactionSession session, SpreadValue[] values, List<(string Text, int Value, Form Form)> variants)
    {
        _session = session;
        _values = values;
        _replacements = new string?[values.Length];
        _rules = new string[values.Length];
        _variants = new (int, Form)[variants.Count];
        var map = new Dictionary<string, int>(variants.Count, StringComparer.OrdinalIgnoreCase);
        var texts = new string[variants.Count];
        var lengths = new SortedSet<int>(Comparer<int>.Create(static (a, b) => b.CompareTo(a)));
        for (var i = 0; i < variants.Count; i++)
        {
            _variants[i] = (variants[i].Value, variants[i].Form);
            map[variants[i].Text] = i;
            texts[i] = variants[i].Text;
            lengths.Add(variants[i].Text.Length);
        }

        _lookup = map.GetAlternateLookup<ReadOnlySpan<char>>();
        _lengths = [.. lengths];
        _search = SearchValues.Create(texts, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>How a value is written where it was found: the replacement is written the same way.</summary>
    private enum Form
    {
        Raw,
        Json,
        Percent,
        FormEncoded,
        Xml,
    }

    /// <summary>The context of a part: how a raw occurrence's replacement must be encoded to keep the part valid.</summary>
    private enum Context
    {
        Text,
        JsonString,
        Url,
        Form,
        Xml,
    }

    /// <summary>
    /// True when a redacted value is unambiguous enough to be replaced elsewhere: at least <see cref="MinLength"/>
    /// characters (so at least 6 digits when it has no letters), at least two different letters or digits, not
    /// already a redaction output, and at most 4 KB.
    /// </summary>
    public static bool Qualifies(string value)
    {
        if (value.Length < MinLength || value.Length > MaxLength)
        {
            return false;
        }

        var alnum = 0;
        char first = '\0';
        var distinct = false;
        foreach (var c in value)
        {
            if (char.IsLetterOrDigit(c))
            {
                alnum++;
                if (first == '\0')
                {
                    first = char.ToLowerInvariant(c);
                }
                else if (char.ToLowerInvariant(c) != first)
                {
                    distinct = true;
                }
            }
        }

        // "12-3-4" has 4 digits; "******" and "000000" say nothing.
        return alnum >= MinLength && distinct && !TokenFormat.IsRedactedOutput(value);
    }

    /// <summary>The pass for a session's redacted values; null when there are none to spread.</summary>
    public static ValueSpread? Create(RedactionSession session)
    {
        if (session.SpreadValues is not { Count: > 0 } list)
        {
            return null;
        }

        var seen = new HashSet<string>(list.Count, StringComparer.OrdinalIgnoreCase);
        var values = new List<SpreadValue>(list.Count);
        var variants = new List<(string, int, Form)>(list.Count);
        foreach (var value in list)
        {
            if (!seen.Add(value.Original))
            {
                continue;
            }

            var index = values.Count;
            values.Add(value);
            var raw = value.Original;
            variants.Add((raw, index, Form.Raw));
            // Most values (ids, tokens, ASCII names and emails) need no escaping: every form is the raw one.
            if (!NeedsEncoding(raw))
            {
                continue;
            }

            AddVariant(variants, seen, JsonEncodedText.Encode(raw, JavaScriptEncoder.Default).ToString(), index, Form.Json);
            AddVariant(variants, seen, JsonEncodedText.Encode(raw, Relaxed).ToString(), index, Form.Json);
            AddVariant(variants, seen, AsciiJson(raw), index, Form.Json);
            var percent = Uri.EscapeDataString(raw);
            AddVariant(variants, seen, percent, index, Form.Percent);
            AddVariant(variants, seen, percent.Replace("%20", "+", StringComparison.Ordinal), index, Form.FormEncoded);
            AddVariant(variants, seen, System.Security.SecurityElement.Escape(raw), index, Form.Xml);
        }

        return new ValueSpread(session, [.. values], variants);
    }

    /// <summary>Runs the pass over every part of an exchange (after the normal pass rewrote it).</summary>
    public void Apply(ref ExchangeRequest request, ref ExchangeResponse? response, ref ImmutableArray<WebSocketMessage> messages, ref ImmutableSortedDictionary<string, string> tags, ref ExchangeError? error)
    {
        var url = Rewrite(request.Url, Context.Url, "request.url") ?? request.Url;
        var headers = Headers(request.Headers, "request.header");
        var (body, headers2) = Body(request.Body, headers, "request.body");
        if (!ReferenceEquals(url, request.Url) || headers2 != request.Headers || !ReferenceEquals(body, request.Body))
        {
            request = request with { Url = url, Headers = headers2, Body = body };
        }

        if (response is not null)
        {
            var responseHeaders = Headers(response.Headers, "response.header");
            var (responseBody, responseHeaders2) = Body(response.Body, responseHeaders, "response.body");
            var trailers = Headers(response.Trailers, "response.trailer");
            if (responseHeaders2 != response.Headers || !ReferenceEquals(responseBody, response.Body) || trailers != response.Trailers)
            {
                response = response with { Headers = responseHeaders2, Body = responseBody, Trailers = trailers };
            }
        }

        if (!messages.IsDefaultOrEmpty)
        {
            ImmutableArray<WebSocketMessage>.Builder? changed = null;
            for (var i = 0; i < messages.Length; i++)
            {
                var message = messages[i];
                var location = "messages[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
                var (payload, _) = Body(message.Payload, [], location + ".payload");
                var reason = message.CloseReason is { } text ? Rewrite(text, Context.Text, location + ".reason") ?? text : null;
                if (!ReferenceEquals(payload, message.Payload) || !ReferenceEquals(reason, message.CloseReason))
                {
                    changed ??= messages.ToBuilder();
                    changed[i] = message with { Payload = payload, CloseReason = reason };
                }
            }

            if (changed is not null)
            {
                messages = changed.ToImmutable();
            }
        }

        foreach (var (name, value) in tags)
        {
            if (Rewrite(value, Context.Text, "tag:" + name) is { } rewritten)
            {
                tags = tags.SetItem(name, rewritten);
            }
        }

        if (error is not null && Rewrite(error.Message, Context.Text, "error") is { } message2)
        {
            error = error with { Message = message2 };
        }
    }

    private ImmutableArray<HeaderField> Headers(ImmutableArray<HeaderField> headers, string prefix)
    {
        if (headers.IsDefaultOrEmpty)
        {
            return headers;
        }

        var result = headers;
        for (var i = 0; i < headers.Length; i++)
        {
            var header = headers[i];
            if (header.Value.Length < MinLength || header.Value.AsSpan().IndexOfAny(_search) < 0)
            {
                continue;
            }

            var lower = header.Name.ToLowerInvariant();
            var isUrl = lower is ":path" or "location" or "content-location" or "referer";
            if (!isUrl && _session.Model.Headers.IsAllowed(lower))
            {
                // Protocol headers the policy never touches (content-type, host…) stay exact.
                continue;
            }

            if (Rewrite(header.Value, isUrl ? Context.Url : Context.Text, prefix + ":" + lower) is { } value)
            {
                result = result.SetItem(i, header with { Value = value });
            }
        }

        return result;
    }

    private (ExchangeBody? Body, ImmutableArray<HeaderField> Headers) Body(ExchangeBody? body, ImmutableArray<HeaderField> headers, string location)
    {
        if (body is null || body.Content.Length < MinLength || !MayContain(body.Content.Span))
        {
            return (body, headers);
        }

        byte[]? content;
        try
        {
            var mediaType = body.MediaType ?? (headers.IsDefault ? null : headers.Get("content-type")) ?? string.Empty;
            content = Content(body.Content.ToArray(), mediaType.ToLowerInvariant(), body.Truncated, location);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // Fail closed: a body the pass could not process may still hold a raw value: it is not stored.
            _session.RecordSpread(location, "redaction-error", ActionSpec.Drop, DataKind.Generic, string.Empty);
            var dropped = body with { Content = ReadOnlyMemory<byte>.Empty, Size = 0, Truncated = false, Note = $"dropped: redaction failed ({ex.GetType().Name})" };
            return (dropped, headers.IsDefault ? headers : BodyRedactor.FixHeaders(headers, 0));
        }

        if (content is null)
        {
            return (body, headers);
        }

        var newBody = body with { Content = content, Size = body.Truncated ? body.Size : content.Length };
        return (newBody, body.Truncated || headers.IsDefault ? headers : BodyRedactor.FixHeaders(headers, content.Length));
    }

    /// <summary>The fast check: does any value (in any encoding) occur in these bytes at all? No allocation (pooled chars).</summary>
    private bool MayContain(ReadOnlySpan<byte> bytes)
    {
        var chars = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            // Invalid UTF-8 becomes U+FFFD (one char per byte at most): ASCII values are still found, and binary
            // bodies are searched again byte for byte below.
            var count = Encoding.UTF8.GetChars(bytes, chars);
            return chars.AsSpan(0, count).IndexOfAny(_search) >= 0 || (!System.Text.Unicode.Utf8.IsValid(bytes) && Latin1(bytes, chars));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private bool Latin1(ReadOnlySpan<byte> bytes, char[] chars)
    {
        var count = Encoding.Latin1.GetChars(bytes, chars);
        return chars.AsSpan(0, count).IndexOfAny(_search) >= 0;
    }

    /// <summary>Rewrites a body's bytes by its kind; null when nothing changed.</summary>
    private byte[]? Content(byte[] content, string type, bool truncated, string location)
    {
        if (!System.Text.Unicode.Utf8.IsValid(content))
        {
            var textLength = truncated ? Core.Text.Utf8Cut.TextLength(content) : -1;
            if (textLength > 0 && textLength < content.Length)
            {
                // Cut inside the last character: rewrite the text, keep the partial bytes.
                var head = Content(content[..textLength], type, truncated, location);
                return head is null ? null : [.. head, .. content.AsSpan(textLength)];
            }

            if (BodyRedactor.IsTextMediaType(type) && LosslessText.TryDecode(content, type, out var text, out var encode))
            {
                var inner = Content(Encoding.UTF8.GetBytes(text), type, truncated, location);
                return inner is null ? null : encode(Encoding.UTF8.GetString(inner));
            }

            return Binary(content, location);
        }

        switch (BodyRedactor.Classify(type, content))
        {
            case BodyRedactor.BodyKind.Json when !truncated:
                try
                {
                    return Json(content, location);
                }
                catch (JsonException)
                {
                    // Not JSON after all: searched as text below (the normal pass scanned it as text too).
                }

                break;
            case BodyRedactor.BodyKind.Xml:
                return Utf8(Xml(Encoding.UTF8.GetString(content), location));
            case BodyRedactor.BodyKind.Form:
                return Utf8(Rewrite(Encoding.UTF8.GetString(content), Context.Form, location));
        }

        return Utf8(Rewrite(Encoding.UTF8.GetString(content), Context.Text, location));
    }

    private static byte[]? Utf8(string? text) => text is null ? null : Encoding.UTF8.GetBytes(text);

    /// <summary>JSON: occurrences inside string values are replaced (escaped as JSON); a number equal to a value gets digits; keys are left alone.</summary>
    private byte[]? Json(byte[] content, string location)
    {
        var offset = content.AsSpan().StartsWith("\xEF\xBB\xBF"u8) ? 3 : 0;
        var reader = new Utf8JsonReader(content.AsSpan(offset), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowMultipleValues = true });
        List<(int Start, int Length, byte[] Bytes)>? edits = null;
        char[]? buffer = null;
        Span<char> digits = stackalloc char[64];
        try
        {
            while (reader.Read())
            {
                var raw = reader.ValueSpan;
                if (raw.Length < MinLength || reader.HasValueSequence)
                {
                    continue;
                }

                if (reader.TokenType == JsonTokenType.String)
                {
                    if (buffer is null || buffer.Length < raw.Length)
                    {
                        if (buffer is not null)
                        {
                            ArrayPool<char>.Shared.Return(buffer);
                        }

                        buffer = ArrayPool<char>.Shared.Rent(raw.Length);
                    }

                    var count = Encoding.UTF8.GetChars(raw, buffer);
                    if (buffer.AsSpan(0, count).IndexOfAny(_search) < 0)
                    {
                        continue;
                    }

                    // The raw (still escaped) string content is rewritten: what is not replaced stays byte for byte.
                    if (Rewrite(new string(buffer, 0, count), Context.JsonString, location) is { } rewritten)
                    {
                        var bytes = Encoding.UTF8.GetBytes("\"" + rewritten + "\"");
                        (edits ??= []).Add(((int)reader.TokenStartIndex + offset, raw.Length + 2, bytes));
                    }
                }
                else if (reader.TokenType == JsonTokenType.Number && raw.Length <= 64)
                {
                    var chars = digits[..Encoding.UTF8.GetChars(raw, digits)];
                    if (_lookup.TryGetValue(chars, out var variant))
                    {
                        var number = new string(chars);
                        var replacement = NumberReplacement(_variants[variant].Value, number);
                        Recorded(_variants[variant].Value, location);
                        (edits ??= []).Add(((int)reader.TokenStartIndex + offset, raw.Length, Encoding.UTF8.GetBytes(replacement)));
                    }
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }

        if (edits is null)
        {
            return null;
        }

        var output = new List<byte>(content.Length + (edits.Count * 16));
        var position = 0;
        foreach (var (start, length, bytes) in edits)
        {
            output.AddRange(content.AsSpan(position, start - position));
            output.AddRange(bytes);
            position = start + length;
        }

        output.AddRange(content.AsSpan(position));
        return [.. output];
    }

    /// <summary>A JSON number stays a number: the value's own replacement when it is digits, else the digits redaction gives that number.</summary>
    private string NumberReplacement(int value, string number)
    {
        var replacement = Replacement(value);
        if (replacement.Length > 0 && replacement.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0 && (replacement[0] != '0' || replacement.Length == 1))
        {
            return replacement;
        }

        var spec = _values[value];
        return spec.Action.Action is RedactionAction.Drop or RedactionAction.Keep
            ? Masker.MaskNumber(number, 0)
            : _session.Rewriter.ApplyNumber(number, spec.Kind, spec.Action) ?? Masker.MaskNumber(number, 0);
    }

    /// <summary>XML: text, attribute values, comments and CDATA are searched; element and attribute names, declarations and processing instructions are not.</summary>
    private string? Xml(string text, string location)
    {
        StringBuilder? output = null;
        var position = 0; // copied up to here
        var i = 0;
        while (i < text.Length)
        {
            var lt = text.IndexOf('<', i);
            var end = lt < 0 ? text.Length : lt;
            Region(text, i, end, Context.Xml, location, ref output, ref position);
            if (lt < 0)
            {
                break;
            }

            if (At(text, lt, "<!--"))
            {
                var close = Close(text, lt + 4, "-->");
                Region(text, lt + 4, close, Context.Xml, location, ref output, ref position);
                i = Math.Min(text.Length, close + 3);
            }
            else if (At(text, lt, "<![CDATA["))
            {
                var close = Close(text, lt + 9, "]]>");
                Region(text, lt + 9, close, Context.Text, location, ref output, ref position);
                i = Math.Min(text.Length, close + 3);
            }
            else if (At(text, lt, "<?") || At(text, lt, "<!"))
            {
                var close = text.IndexOf('>', lt);
                i = close < 0 ? text.Length : close + 1;
            }
            else
            {
                // A tag: attribute values (between quotes) are searched, names are not.
                var j = lt + 1;
                while (j < text.Length && text[j] != '>')
                {
                    if (text[j] is '"' or '\'')
                    {
                        var quote = text[j];
                        var close = text.IndexOf(quote, j + 1);
                        if (close < 0)
                        {
                            close = text.Length;
                        }

                        Region(text, j + 1, close, Context.Xml, location, ref output, ref position);
                        j = close + 1;
                    }
                    else
                    {
                        j++;
                    }
                }

                i = Math.Min(text.Length, j + 1);
            }
        }

        if (output is null)
        {
            return null;
        }

        output.Append(text, position, text.Length - position);
        return output.ToString();
    }

    private static bool At(string text, int index, string prefix) => text.AsSpan(index).StartsWith(prefix, StringComparison.Ordinal);

    private static int Close(string text, int from, string marker)
    {
        var close = from <= text.Length ? text.IndexOf(marker, from, StringComparison.Ordinal) : -1;
        return close < 0 ? text.Length : close;
    }

    private void Region(string text, int start, int end, Context context, string location, ref StringBuilder? output, ref int position)
    {
        if (end - start < MinLength)
        {
            return;
        }

        var region = text[start..end];
        if (Rewrite(region, context, location) is { } rewritten)
        {
            output ??= new StringBuilder(text.Length + 64);
            output.Append(text, position, start - position).Append(rewritten);
            position = end;
        }
    }

    /// <summary>Binary bodies: ASCII occurrences are masked in place, byte for byte (framing and lengths do not move).</summary>
    private byte[]? Binary(byte[] content, string location)
    {
        var text = Encoding.Latin1.GetString(content);
        byte[]? output = null;
        var position = 0;
        while (position < text.Length)
        {
            var hit = text.AsSpan(position).IndexOfAny(_search);
            if (hit < 0)
            {
                break;
            }

            hit += position;
            if (TryMatch(text, hit, out var variant, out var length))
            {
                output ??= (byte[])content.Clone();
                output.AsSpan(hit, length).Fill((byte)'*');
                Recorded(_variants[variant].Value, location);
                position = hit + length;
            }
            else
            {
                position = hit + 1;
            }
        }

        return output;
    }

    /// <summary>Replaces every standalone occurrence in one piece of text; null when there is none.</summary>
    private string? Rewrite(string text, Context context, string location)
    {
        if (text.Length < MinLength)
        {
            return null;
        }

        var hit = text.AsSpan().IndexOfAny(_search);
        if (hit < 0)
        {
            return null;
        }

        StringBuilder? output = null;
        var copied = 0;
        var position = hit;
        while (position < text.Length)
        {
            if (TryMatch(text, position, out var variant, out var length))
            {
                var (value, form) = _variants[variant];
                output ??= new StringBuilder(text.Length + 32);
                output.Append(text, copied, position - copied).Append(Encode(Replacement(value), form, context));
                Recorded(value, location);
                copied = position = position + length;
            }
            else
            {
                position++;
            }

            var next = text.AsSpan(position).IndexOfAny(_search);
            if (next < 0)
            {
                break;
            }

            position += next;
        }

        if (output is null)
        {
            return null;
        }

        output.Append(text, copied, text.Length - copied);
        return output.ToString();
    }

    /// <summary>The longest value (in any form) that starts at <paramref name="index"/> and stands alone there.</summary>
    private bool TryMatch(string text, int index, out int variant, out int length)
    {
        foreach (var candidate in _lengths)
        {
            if (index + candidate <= text.Length && _lookup.TryGetValue(text.AsSpan(index, candidate), out variant) && Standalone(text, index, candidate))
            {
                length = candidate;
                return true;
            }
        }

        variant = -1;
        length = 0;
        return false;
    }

    /// <summary>Not glued to a letter or digit on either side (an escape such as <c>%20</c>, <c>\n</c> or <c>\u00e9</c> before it is a separator).</summary>
    private static bool Standalone(string text, int index, int length)
    {
        var end = index + length;
        if (index > 0 && char.IsLetterOrDigit(text[index]) && char.IsLetterOrDigit(text[index - 1]) && !AfterEscape(text, index))
        {
            return false;
        }

        return end >= text.Length || !char.IsLetterOrDigit(text[end - 1]) || !char.IsLetterOrDigit(text[end]);
    }

    private static bool AfterEscape(string text, int index) =>
        (index >= 3 && text[index - 3] == '%' && char.IsAsciiHexDigit(text[index - 2]) && char.IsAsciiHexDigit(text[index - 1]))
        || (index >= 2 && text[index - 2] == '\\')
        || (index >= 6 && text[index - 6] == '\\' && text[index - 5] is 'u' or 'U');

    private static string Encode(string replacement, Form form, Context context) => (form, context) switch
    {
        (Form.Json, _) or (Form.Raw, Context.JsonString) => JsonEncodedText.Encode(replacement, Relaxed).ToString(),
        (Form.Percent, _) or (Form.Raw, Context.Url) => Uri.EscapeDataString(replacement).Replace("%2A", "*", StringComparison.Ordinal),
        (Form.FormEncoded, _) or (Form.Raw, Context.Form) => Uri.EscapeDataString(replacement).Replace("%2A", "*", StringComparison.Ordinal).Replace("%20", "+", StringComparison.Ordinal),
        (Form.Xml, _) or (Form.Raw, Context.Xml) => System.Security.SecurityElement.Escape(replacement),
        _ => replacement,
    };

    /// <summary>What the normal pass wrote for the value (recomputed: tokens and fakes are deterministic); a dropped value is masked.</summary>
    private string Replacement(int value)
    {
        if (_replacements[value] is { } cached)
        {
            return cached;
        }

        var spec = _values[value];
        var replacement = spec.Known
            ? spec.Replacement
            : spec.Action.Action == RedactionAction.Drop ? null : _session.Apply(spec.Original, spec.Kind, spec.Action, spec.SameLength);
        replacement ??= Masker.Mask(spec.Original, DataKind.Generic, 0);
        _replacements[value] = replacement;
        return replacement;
    }

    private void Recorded(int value, string location)
    {
        var spec = _values[value];
        _session.RecordSpread(location, _rules[value] ??= RulePrefix + spec.Rule, spec.Action, spec.Kind, spec.Original);
    }

    private static bool NeedsEncoding(string value)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~'))
            {
                return true;
            }
        }

        return false;
    }

    private static void AddVariant(List<(string, int, Form)> variants, HashSet<string> seen, string text, int value, Form form)
    {
        if (seen.Add(text))
        {
            variants.Add((text, value, form));
        }
    }

    /// <summary>JSON as Python writes it by default: non-ASCII as lower-case <c>\uXXXX</c>, nothing else escaped but quotes, backslashes and controls.</summary>
    private static string AsciiJson(string value)
    {
        var sb = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\').Append(c);
            }
            else if (c < 0x20 || c > 0x7E)
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
