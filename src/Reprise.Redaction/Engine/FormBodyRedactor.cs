using System.Text;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Rules;

namespace Reprise.Redaction.Engine;

/// <summary>
/// <c>application/x-www-form-urlencoded</c> bodies and URL query strings: pairs are decoded, checked by
/// rule, field name and detectors, and only changed values are re-encoded; order, repeated keys and
/// untouched bytes stay as they were. Dropped fields are removed.
/// </summary>
internal static class FormBodyRedactor
{
    /// <summary>Redacts <c>a=1&amp;b=2</c>; returns null when nothing changed.</summary>
    public static string? Redact(string form, RedactionSession session, string location, NamedFieldRule[] rules, bool isQuery)
    {
        // The output is built from the first change on (most query strings and forms change nothing).
        StringBuilder? sb = null;
        var first = true;
        var index = -1;
        foreach (var range in form.AsSpan().Split('&'))
        {
            index++;
            var (partStart, _) = range.GetOffsetAndLength(form.Length);
            var part = form[range];
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var rawKey = eq < 0 ? part : part[..eq];
            var rawValue = eq < 0 ? null : part[(eq + 1)..];
            if (rawValue is null && RedactBare(part, session, location, index, isQuery) is { } bare)
            {
                // A part without '=' (?ann@x.com, ?eyJhbGci...) is a value too: scanned as text.
                sb ??= Started(form, partStart, first);
                sb.Append(first ? string.Empty : "&").Append(bare);
                first = false;
                continue;
            }

            var drop = false;
            string? newValue = null;
            if (rawValue is not null && RedactPair(Decode(rawKey), Decode(rawValue), session, location, rules, isQuery, out drop) is { } replaced)
            {
                newValue = Encode(replaced, rawValue, isQuery);
            }

            if (rawValue is not null && newValue is null && drop)
            {
                sb ??= Started(form, partStart, first);
                continue;
            }

            if (newValue is not null)
            {
                sb ??= Started(form, partStart, first);
            }

            if (sb is not null)
            {
                if (!first)
                {
                    sb.Append('&');
                }

                if (newValue is not null)
                {
                    sb.Append(rawKey).Append('=').Append(newValue);
                }
                else
                {
                    sb.Append(part);
                }
            }

            first = false;
        }

        return sb?.ToString();
    }

    /// <summary>The output so far when the first change is at <paramref name="partStart"/>: every earlier part, as it was (without the '&amp;' before this part).</summary>
    private static StringBuilder Started(string form, int partStart, bool first)
    {
        var sb = new StringBuilder(form.Length + 32);
        if (!first)
        {
            // Parts before this one were all kept (or none was written yet): copy them with their separators.
            sb.Append(form, 0, partStart - 1);
        }

        return sb;
    }

    private static string? RedactBare(string part, RedactionSession session, string location, int index, bool isQuery)
    {
        var where = location + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
        if (part.Length == 0 || session.IsSkipped(where))
        {
            return null;
        }

        return session.RedactText(Decode(part), where) is { } redacted ? Encode(redacted, part, isQuery) : null;
    }

    /// <summary>
    /// True when a query parameter is a credential by its name and shape: OAuth authorization codes, URL signatures and API
    /// keys (<c>code</c>, <c>sig</c>, <c>key</c>, <c>hash</c>, <c>state</c> holding a machine-made value). Judged in a request
    /// URL's query and in a URL's query written in a text (a page's <c>href="/issues.atom?…&amp;amp;key=…"</c>).
    /// </summary>
    internal static bool IsQuerySecret(string normalized, string value) =>
        normalized is "code" or "sig" or "key" or "hash" or "state" && Entropy.LooksRandom(value) && !Actions.TokenFormat.IsRedactedOutput(value);

    /// <summary>Redacts one decoded pair; returns the new decoded value, or null (with <paramref name="drop"/> when it must go).</summary>
    internal static string? RedactPair(string key, string value, RedactionSession session, string location, NamedFieldRule[] rules, bool isQuery, out bool drop)
    {
        drop = false;
        if (value.Length == 0)
        {
            return null;
        }

        // The location is built when something is redacted (or an earlier pass must be consulted), not for every pair.
        string? where = null;
        string Where() => where ??= location + "." + key;
        if (session.HasPrevious && session.IsSkipped(Where()))
        {
            return null;
        }

        // A plain key (no "a[b]" nesting) normalizes as a field name does: the model's cached one, not a new string per pair.
        var open = key.IndexOf('[', StringComparison.Ordinal);
        var parent = string.Empty;
        var name = open <= 0 || key.IndexOf(']', StringComparison.Ordinal) < open ? session.Model.FieldNameOf(key) : null;
        var normalized = name?.Normalized ?? FieldNames.NormalizeBracketed(key, out parent);
        foreach (var rule in rules)
        {
            if ((rule.Scope & session.Side) != 0 && rule.Key == normalized)
            {
                return session.Replace(value, rule.Kind, rule.Action, rule.Name, Where(), out drop);
            }
        }

        if (name is not null ? session.TryMatchField(name, parent, value, out var entry) : session.TryMatchField(normalized, parent, value, out entry))
        {
            return session.Replace(value, entry.Detector.Kind, entry.Action, entry.Detector.Name, Where(), out drop);
        }

        if (isQuery && IsQuerySecret(normalized, value))
        {
            return session.Replace(value, DataKind.Secret, session.Model.SecretAction, "url-secret", Where(), out drop);
        }

        if (isQuery && normalized is "variables" or "extensions" && value.TrimStart().StartsWith('{'))
        {
            // GraphQL GET: variables travel as JSON in the query string.
            try
            {
                var bytes = JsonBodyRedactor.Redact(Encoding.UTF8.GetBytes(value), truncated: false, session, Where());
                return bytes is null ? null : Encoding.UTF8.GetString(bytes);
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON after all: scan it as text below.
            }
        }

        if (value.Length >= Base64Text.MinLength && RedactBase64(value, session, Where()) is { } inside)
        {
            return inside;
        }

        return session.RedactText(value, location, ".", key, field: normalized);
    }

    /// <summary>
    /// A value that is base64 of text (aria2's <c>GET /jsonrpc?params=WyJ0b2tlbjpT…</c>, a tracking pixel's <c>data=</c>)
    /// redacted as that text (as JSON when it parses) and encoded again the same way; null when it is not base64 of text or
    /// nothing inside was redacted. A '+' of standard base64 the client left unescaped reads as a space after form
    /// decoding, so a value with spaces is tried with them read back as '+'.
    /// </summary>
    private static string? RedactBase64(string value, RedactionSession session, string where)
    {
        var raw = Encoding.UTF8.GetBytes(value.Contains(' ', StringComparison.Ordinal) ? value.Replace(' ', '+') : value);
        if (Base64Text.TryDecode(raw, out var flavor) is not { } decoded)
        {
            return null;
        }

        var trimmed = decoded.AsSpan().TrimStart();
        if (trimmed.Length > 0 && trimmed[0] is '{' or '[')
        {
            try
            {
                var json = JsonBodyRedactor.Redact(Encoding.UTF8.GetBytes(decoded), truncated: false, session, where);
                return json is null ? null : Base64Text.Encode(json, flavor);
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON after all: scanned as text below.
            }
        }

        return session.RedactText(decoded, where) is { } redacted ? Base64Text.Encode(redacted, flavor) : null;
    }

    private static string Decode(string text)
    {
        if (text.AsSpan().IndexOfAny('%', '+') < 0)
        {
            return text;
        }

        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return text;
        }
    }

    /// <summary>
    /// Encodes a replacement the way <paramref name="raw"/> was written, so only the replaced characters change: a
    /// character the writer left unescaped in this value stays unescaped (curl's <c>--data-binary</c> sends InfluxDB line
    /// protocol, CSV or JSON labelled as a form, with raw spaces, quotes, commas and newlines), spaces as '+' when it
    /// used '+' for them, and everything else percent-encoded. '%', '&amp;' and '+' are always escaped (they would change
    /// what a form decoder reads). In a URL query every other character is percent-encoded, as before.
    /// </summary>
    private static string Encode(string value, string raw, bool isQuery)
    {
        if (isQuery)
        {
            var encoded = Uri.EscapeDataString(value).Replace("%2A", "*", StringComparison.Ordinal);
            return raw.Contains('+', StringComparison.Ordinal) && !raw.Contains("%20", StringComparison.Ordinal)
                ? encoded.Replace("%20", "+", StringComparison.Ordinal)
                : encoded;
        }

        var plusForSpace = raw.Contains('+', StringComparison.Ordinal) && !raw.Contains("%20", StringComparison.Ordinal);
        var sb = new StringBuilder(value.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == ' ')
            {
                sb.Append(raw.Contains(' ', StringComparison.Ordinal) ? " " : plusForSpace ? "+" : "%20");
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '*')
            {
                sb.Append(c);
            }
            else if (c is '%' or '+' or '&' || !raw.Contains(c, StringComparison.Ordinal))
            {
                var length = char.IsSurrogatePair(value, i) ? 2 : 1;
                var n = Encoding.UTF8.GetBytes(value.AsSpan(i, length), utf8);
                for (var b = 0; b < n; b++)
                {
                    sb.Append('%').Append(((int)utf8[b]).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }

                i += length - 1;
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
