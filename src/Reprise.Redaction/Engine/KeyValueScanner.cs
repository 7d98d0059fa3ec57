using System.Text.RegularExpressions;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Policy;

namespace Reprise.Redaction.Engine;

/// <summary>
/// Finds <c>key=value</c>, <c>key: value</c>, <c>"key": "value"</c> and <c>&lt;key&gt;value&lt;/key&gt;</c>
/// inside free text (logs, error messages, truncated or invalid JSON/XML) and asks the field detectors
/// about each key, so <c>password=hunter2</c> in a text body is caught like a JSON field would be.
/// A quoted value is captured whole (to its closing quote, or the end of the line when truncated), so
/// <c>"password": "correct horse battery"</c> is masked entirely.
/// </summary>
internal static partial class KeyValueScanner
{
    // An unquoted value ends before "(name:" (a GraphQL alias, "c: login(password: …)", took the argument list as its
    // value, so the password's key was never seen) and loses an unbalanced closing parenthesis ("customerId: 42)").

    /// <summary>
    /// The pairs in <paramref name="text"/>. In <paramref name="code"/> (a script or a style sheet) <c>name: value</c> is
    /// code (minified jQuery's <c>{password:!0}</c>) unless the value is a string literal: only quoted values are judged
    /// there (a JSONP answer's <c>"password":"…"</c>, a config script's <c>secret:"…"</c>, a template literal's
    /// <c>password: `…`</c>), and the pairs and userinfo
    /// passwords written inside a literal; a quoted value is replaced inside its quotes, so the script still parses.
    /// </summary>
    public static void Find(string text, in TextStats stats, RedactionModel model, List<TextMatch> matches, bool code = false)
    {
        // An HTML page's inline scripts and style sheets are code like a script body's (a GraphiQL page inlines a megabyte of
        // minified JavaScript: "token:e.tokens.length-1" masked, the page served by the mock no longer ran).
        var scripts = code || stats.Angles == 0 ? null : CodeElements(text);
        if (stats.EqualSigns > 0 || stats.Colons > 0)
        {
            FindPairs(text, 0, text.Length, model, matches, depth: 0, quotedOnly: code, scripts);
            if (!code && stats.Colons >= 6 && text.Contains(":/", StringComparison.Ordinal))
            {
                FindPasswdLines(text, model, matches);
            }

            if (code && text.Contains('`'))
            {
                FindInTemplateLines(text, model, matches);
            }
        }

        if (text.Contains("%3d", StringComparison.OrdinalIgnoreCase))
        {
            FindEncodedPairs(text, model, matches);
        }

        if (stats.At > 0 && stats.Colons >= 2)
        {
            FindUserInfoPasswords(text, model, matches);
        }

        if (!code && stats.Angles > 0)
        {
            FindFormInputs(text, model, matches, scripts);
            FindPersonLinks(text, model, matches, scripts);
            foreach (Match match in Element().Matches(text))
            {
                if (!Inside(scripts, match.Index))
                {
                    Consider(text, match, model, matches, allowSpaces: true);
                }
            }
        }
    }

    /// <summary>
    /// The pairs in <c>text[start..start+length]</c>, and the pairs inside each unquoted value that holds an '=' of its own:
    /// a URL's query (<c>url: http://tracker/announce?passkey=…</c>, <c>tr=http://…?passkey=…</c>) is read as one value
    /// by the pair pattern, which never looks inside it.
    /// </summary>
    private static void FindPairs(string text, int start, int length, RedactionModel model, List<TextMatch> matches, int depth, bool quotedOnly = false, List<(int Start, int End)>? scripts = null)
    {
        for (var match = Pair().Match(text, start, length); match.Success; match = match.NextMatch())
        {
            var value = match.Groups["value"];
            var quoted = value.Index > 0 && text[value.Index - 1] is '"' or '\'' or '`';
            var inCode = quotedOnly || Inside(scripts, match.Index);
            if (quoted && inCode && (ClosesTheKeysLiteral(text, match) || IsOperand(text, match) || NamesItsKey(text, match)))
            {
                // `?access_token=`+r.imageToken: the quote after '=' closes the literal the key is written in; what
                // follows is code (masked, "`+r.imageToken),d.replaceSelection(`" broke Directus' admin bundle). So is a
                // literal an operator follows, and an enum member that restates its own name.
                continue;
            }

            if (quoted || !inCode)
            {
                Consider(text, match, model, matches, allowSpaces: false);
            }

            if (depth < 4 && value.Length > 2 && text.AsSpan(value.Index + 1, value.Length - 1).Contains('='))
            {
                // Inside a string literal anything goes; inside code, still only literals.
                FindPairs(text, value.Index + 1, value.Length - 1, model, matches, depth + 1, inCode && !quoted);
            }
        }
    }

    /// <summary>
    /// True when, in code, a pair's quoted value is an operand: what follows its closing quote (after spaces) is not what ends
    /// a value (<c>, ; } ) ]</c>, a line break, the end): <c>displayName:"localhost"===n?…</c> compares, <c>name:"a"+b</c>
    /// concatenates, and in <c>hh("Last successful login:")+" "+gh(…)</c> the quote after <c>login:</c> closes a sentence,
    /// so the "value" <c>)+</c> is code between two literals. A literal cut at the end of its line (no closing quote) counts.
    /// </summary>
    private static bool IsOperand(string text, Match match)
    {
        var value = match.Groups["value"];
        var end = value.Index + value.Length;
        var quote = text[value.Index - 1];
        if (end >= text.Length || text[end] != quote)
        {
            return false;
        }

        end++;
        while (end < text.Length && text[end] is ' ' or '\t')
        {
            end++;
        }

        return end < text.Length && text[end] is not (',' or ';' or '}' or ')' or ']' or '\n' or '\r');
    }

    /// <summary>
    /// True when a pair's quoted value in code is its own key's name and so is the pair next to it
    /// (<c>e.number="number",e.password="password"</c>, <c>{text:"text",password:"password"}</c>): an enum whose members
    /// name themselves (PatternFly's input types), not a credential. Masked, the same-value pass masked the word in all
    /// the bundle's code (<c>e.********||…</c>: "Unexpected token '**'", Cockpit's shell never loaded from the mock). A
    /// lone <c>{password:"password"}</c> is still judged: that is a (weak) password.
    /// </summary>
    private static bool NamesItsKey(string text, Match match)
    {
        var key = match.Groups["key"];
        var value = match.Groups["value"];
        var name = key.ValueSpan[(key.ValueSpan.LastIndexOf('.') + 1)..];
        if (!name.Equals(value.ValueSpan, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var after = value.Index + value.Length + 1;
        if (after <= text.Length && SelfNamedAfter().IsMatch(text.AsSpan(after, Math.Min(96, text.Length - after))))
        {
            return true;
        }

        var from = Math.Max(0, key.Index - 96);
        return SelfNamedBefore().IsMatch(text.AsSpan(from, key.Index - from));
    }

    /// <summary>
    /// True when, in code, a pair's quoted value starts with the quote that closes the literal its key is written in:
    /// <c>"?token=" + t</c>, <c>'password=' + pw</c>, <c>`?access_token=`+r.imageToken</c>. The key follows <c>=</c>-less
    /// text back to an opening quote of the same kind (nothing between but a URL's characters), and the value's quote
    /// comes right after the <c>=</c>. A quoted key (<c>"password":"…"</c>) or a key in code (<c>{password:"…"}</c>)
    /// does not.
    /// </summary>
    private static bool ClosesTheKeysLiteral(string text, Match match)
    {
        var key = match.Groups["key"];
        var value = match.Groups["value"];
        var keyEnd = key.Index + key.Length;
        if (keyEnd >= text.Length || text[keyEnd] != '=' || value.Index != keyEnd + 2)
        {
            return false;
        }

        var quote = text[value.Index - 1];
        for (var i = key.Index - 1; i >= 0 && i >= key.Index - 512; i--)
        {
            var c = text[i];
            if (c == quote)
            {
                return i == 0 || text[i - 1] != '\\';
            }

            if (char.IsWhiteSpace(c) || c is '"' or '\'' or '`' or '(' or ')' or '{' or '}' or ',' or ';' or '+')
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// The pairs of a template literal that spans lines in a script (a DSN, an .env file or a YAML config written as
    /// <c>`\n  password=…\n`</c>): the pair pattern reads a quoted value on one line only, so such a literal was code to
    /// it and its pairs were never judged. A line of the literal that starts with <c>name=</c> or <c>name:</c> is text;
    /// anything else in it (and all code outside it) stays as it is.
    /// </summary>
    private static void FindInTemplateLines(string text, RedactionModel model, List<TextMatch> matches)
    {
        // A backtick inside a string or a comment opens nothing: those are skipped, so a stray one cannot pair the end
        // of one literal with the start of the next and read the code between them as text.
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '"' or '\'')
            {
                i = StringEnd(text, i + 1, c);
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                var end = text.IndexOf('\n', i);
                i = end < 0 ? text.Length : end;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
            }
            else if (c == '/' && RegexLiteralEnd(text, i) is var regexEnd and > 0)
            {
                i = regexEnd; // a backtick in a regular expression literal (/^[.`\w@]\w*$/) opens nothing either
            }
            else if (c == '`')
            {
                var close = StringEnd(text, i + 1, '`') - 1;
                if (close >= text.Length || text[close] != '`')
                {
                    return;
                }

                FindInLines(text, i + 1, close, model, matches);
                i = close + 1;
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>
    /// Where the regular expression literal starting with the <c>/</c> at <paramref name="slash"/> ends (after its closing
    /// <c>/</c>), or -1 when that slash divides. A slash opens a literal where an expression starts: after <c>( , = : [ ! &amp;
    /// | ? { } ;</c>, after a keyword such as <c>return</c> or <c>typeof</c>, or at the start of a line; the literal ends at
    /// the next unescaped <c>/</c> outside a character class, on the same line. phpMyAdmin's <c>functions.js</c> holds <c>/^[.`\w@]\w*$/</c>: its backtick was read as a template
    /// literal running 1,000 lines, <c>Functions.checkPassword = function</c> inside it as a password, and the word
    /// <c>function</c> was masked in that script and, carried, in every script after it.
    /// </summary>
    private static int RegexLiteralEnd(string text, int slash)
    {
        if (slash + 1 >= text.Length || text[slash + 1] is '/' or '*')
        {
            return -1;
        }

        var before = slash - 1;
        while (before >= 0 && text[before] is ' ' or '\t')
        {
            before--;
        }

        if (before >= 0 && text[before] is not ('(' or ',' or '=' or ':' or '[' or '!' or '&' or '|' or '?' or '{' or '}' or ';' or '\n' or '\r')
            && !AfterOperatorKeyword(text, before))
        {
            return -1;
        }

        var inClass = false;
        for (var i = slash + 1; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    inClass = true;
                    break;
                case ']':
                    inClass = false;
                    break;
                case '/' when !inClass:
                    return i + 1;
                case '\n' or '\r':
                    return -1;
            }
        }

        return -1;
    }

    /// <summary>
    /// True when the word ending at <paramref name="last"/> is a keyword an expression follows (<c>return /re/.test(s)</c>,
    /// minified <c>return/^[.`\w@]/</c>, <c>typeof /x/</c>), not a property of that name (<c>a.in / 2</c>).
    /// </summary>
    private static bool AfterOperatorKeyword(string text, int last)
    {
        var start = last;
        while (start >= 0 && (char.IsAsciiLetterOrDigit(text[start]) || text[start] is '_' or '$'))
        {
            start--;
        }

        if (start >= 0 && text[start] == '.')
        {
            return false;
        }

        return text.AsSpan(start + 1, last - start) is "return" or "typeof" or "instanceof" or "in" or "of" or "new" or "delete" or "void" or "throw"
            or "case" or "do" or "else" or "yield" or "await";
    }

    /// <summary>Where the string literal whose content starts at <paramref name="start"/> ends (after its closing quote; at a line break for '…' and "…").</summary>
    private static int StringEnd(string text, int start, char quote)
    {
        var i = start;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\')
            {
                i += 2;
            }
            else if (c == quote)
            {
                return i + 1;
            }
            else if (c == '\n' && quote != '`')
            {
                return i;
            }
            else
            {
                i++;
            }
        }

        return text.Length;
    }

    /// <summary>The pairs of each line after the first in <c>text[start..end]</c> that starts with a name.</summary>
    private static void FindInLines(string text, int start, int end, RedactionModel model, List<TextMatch> matches)
    {
        for (var lineStart = text.IndexOf('\n', start, end - start); lineStart >= 0;)
        {
            var from = lineStart + 1;
            var next = from < end ? text.IndexOf('\n', from, end - from) : -1;
            var lineEnd = next < 0 ? end : next;
            while (from < lineEnd && text[from] is ' ' or '\t')
            {
                from++;
            }

            if (from < lineEnd && (char.IsAsciiLetter(text[from]) || text[from] == '_'))
            {
                FindPairs(text, from, lineEnd - from, model, matches, depth: 0);
            }

            lineStart = next;
        }
    }

    /// <summary>
    /// Where the contents of the <c>&lt;script&gt;</c> and <c>&lt;style&gt;</c> elements of an HTML text are (their raw text
    /// runs to the first matching end tag, HTML's script data state); null when there are none. An element left open (a page
    /// cut at the capture cap) runs to the end of a markup document; in other text (a log naming a tag) it is no element.
    /// Comments are skipped, and a script of a data type (<see cref="IsDataBlock"/>) is data.
    /// </summary>
    private static List<(int Start, int End)>? CodeElements(string text)
    {
        List<(int Start, int End)>? ranges = null;
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf('<', at);
            if (open < 0 || open + 7 > text.Length)
            {
                break;
            }

            if (text.AsSpan(open).StartsWith("<!--"))
            {
                // A comment holds no element: a "<script>" written in it starts no code (the rest of the page was taken for it).
                var commentEnd = text.IndexOf("-->", open + 4, StringComparison.Ordinal);
                if (commentEnd < 0)
                {
                    break;
                }

                at = commentEnd + 3;
                continue;
            }

            var name = StartsWithTag(text, open + 1, "script") ? "script" : StartsWithTag(text, open + 1, "style") ? "style" : null;
            if (name is null)
            {
                at = open + 1;
                continue;
            }

            var tagEnd = text.IndexOf('>', open);
            if (tagEnd < 0)
            {
                break;
            }

            var close = text.IndexOf("</" + name, tagEnd + 1, StringComparison.OrdinalIgnoreCase);
            if (close < 0 && !IsMarkup(text))
            {
                // A text that only mentions the tag (a WAF's log line naming the probe it blocked): no element, no code.
                break;
            }

            var end = close < 0 ? text.Length : close;
            if (name == "style" || !IsDataBlock(text.AsSpan(open + 7, tagEnd - open - 7)))
            {
                (ranges ??= []).Add((tagEnd + 1, end));
            }

            at = end;
        }

        return ranges;
    }

    /// <summary>
    /// Whether a <c>&lt;script&gt;</c> with these attributes is a data block, not code: HTML runs a script only when its
    /// <c>type</c> is absent, empty, a JavaScript MIME type or <c>module</c>; any other (<c>application/json</c>, Next.js's
    /// <c>__NEXT_DATA__</c>, <c>application/ld+json</c>, an import map, an HTML template) holds data, judged like the page's
    /// text (a <c>"pin": 4821</c> in it was kept raw as code).
    /// </summary>
    private static bool IsDataBlock(ReadOnlySpan<char> attributes)
    {
        var at = 0;
        while (at < attributes.Length)
        {
            var found = attributes[at..].IndexOf("type", StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                return false;
            }

            var start = at + found;
            at = start + 4;
            if (start > 0 && !char.IsWhiteSpace(attributes[start - 1]))
            {
                continue; // data-type, content-type
            }

            var rest = attributes[at..].TrimStart();
            if (rest.Length == 0 || rest[0] != '=')
            {
                continue;
            }

            rest = rest[1..].TrimStart();
            ReadOnlySpan<char> value;
            if (rest.Length > 0 && rest[0] is '"' or '\'')
            {
                var quote = rest[0];
                var endQuote = rest[1..].IndexOf(quote);
                value = endQuote < 0 ? rest[1..] : rest.Slice(1, endQuote);
            }
            else
            {
                var endValue = rest.IndexOfAny(" \t\r\n>".AsSpan());
                value = endValue < 0 ? rest : rest[..endValue];
            }

            value = value.Trim();
            var semicolon = value.IndexOf(';');
            if (semicolon >= 0)
            {
                value = value[..semicolon].TrimEnd();
            }

            return value.Length > 0
                && !value.Equals("module", StringComparison.OrdinalIgnoreCase)
                && !value.Contains("javascript", StringComparison.OrdinalIgnoreCase)
                && !value.Contains("ecmascript", StringComparison.OrdinalIgnoreCase)
                && !value.Contains("jscript", StringComparison.OrdinalIgnoreCase)
                && !value.Contains("babel", StringComparison.OrdinalIgnoreCase)
                && !value.Contains("jsx", StringComparison.OrdinalIgnoreCase)
                && !value.Contains("typescript", StringComparison.OrdinalIgnoreCase);
        }

        return false;
    }

    /// <summary>Whether the text is a markup document (it starts with a tag): only there an element left open runs to the end.</summary>
    private static bool IsMarkup(string text)
    {
        var trimmed = text.AsSpan().TrimStart().TrimStart('\uFEFF');
        return trimmed.Length > 0 && trimmed[0] == '<';
    }

    private static bool StartsWithTag(string text, int at, string name) =>
        at + name.Length < text.Length
        && text.AsSpan(at, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase)
        && text[at + name.Length] is '>' or '/' or ' ' or '\t' or '\r' or '\n';

    private static bool Inside(List<(int Start, int End)>? ranges, int index)
    {
        if (ranges is null)
        {
            return false;
        }

        foreach (var (start, end) in ranges)
        {
            if (index >= start && index < end)
            {
                return true;
            }
        }

        return false;
    }

    private static void Consider(string text, Match match, RedactionModel model, List<TextMatch> matches, bool allowSpaces)
    {
        var value = match.Groups["value"];
        var valueText = value.Value;
        var length = value.Length;
        if (IsVariableDefinition(text, match))
        {
            // "$password: String!" declares a GraphQL variable: its value is a type. Masked, the type became "*******", the
            // query no longer parsed, and the same-value pass masked every other "String!" of the stream. A default value
            // after it ("= \"…\"") is a value and judged under the variable's name.
            ConsiderDefault(text, match, model, matches);
            return;
        }

        if (ContentLineScanner.IsObjectUid(text, match.Groups["key"]))
        {
            return;
        }

        // A quoted value is captured whole (spaces included), so names and addresses are as safe to judge
        // as in a JSON field: malformed JSON falls back to this scanner and must not leak them.
        var quote = value.Index > 0 ? match.ValueSpan[value.Index - match.Index - 1] : '\0';
        var quoted = quote is '"' or '\'' or '`';
        allowSpaces |= quoted;
        if (quote == '`' && valueText.Contains("${", StringComparison.Ordinal))
        {
            // A JavaScript template literal with a substitution (`Bearer ${token}`) is an expression: what it holds is
            // sent elsewhere, and masking it would rewrite code. A plain template literal is a string like any other.
            return;
        }

        if (!quoted)
        {
            // The closing parenthesis of an argument list (customer(customerId: 42)) is no part of the value.
            while (length > 1 && valueText[length - 1] == ')' && valueText.AsSpan(0, length).Count(')') > valueText.AsSpan(0, length).Count('('))
            {
                length--;
            }

            valueText = valueText[..length];

            // A GraphQL variable the text declares (query Q($cid: ID!) { c(customer_id: $cid) }) or a template placeholder
            // (user=${USER}) names a value sent elsewhere; rewritten, the query no longer parses ("Variable $cid is never
            // used"). Any other value starting with '$' is a value (password=$Tr0ngPass).
            if (valueText.Length > 1 && valueText[0] == '$' && (valueText[1] == '{' || IsDeclaredVariable(text, valueText)))
            {
                return;
            }
        }

        var field = FieldNames.Normalize(match.Groups["key"].ValueSpan);
        if (!quoted && value.Index + value.Length < text.Length && text[value.Index + value.Length] == '(')
        {
            // The value was cut before "(name:" as a GraphQL alias's field would be. A credential's value is never
            // a field name: it runs on as the unquoted value it is (password=S3cr(et:Val9x).
            var run = UnquotedRun(text, value.Index);
            foreach (var entry in model.FieldCandidates(field, string.Empty))
            {
                if (entry.Detector.Kind is DataKind.Password or DataKind.Secret or DataKind.ApiKey or DataKind.BearerToken or DataKind.Jwt)
                {
                    valueText = text.Substring(value.Index, run);
                    length = run;
                    break;
                }
            }
        }

        foreach (var entry in model.FieldCandidates(field, string.Empty))
        {
            var kind = entry.Detector.Kind;
            if (!allowSpaces && kind is DataKind.PersonName or DataKind.PostalAddress)
            {
                continue;
            }

            if (entry.Detector.Matches(new FieldContext(field, string.Empty), valueText))
            {
                matches.Add(new TextMatch(value.Index, length, entry.Detector.Name, kind, entry.Action));
                return;
            }
        }

        if (!quoted && InUrlQuery(text, match.Groups["key"].Index) && FormBodyRedactor.IsQuerySecret(field, valueText))
        {
            // A URL's query written in a text is judged like a request's query: Redmine's pages link every Atom feed as
            // href="/issues.atom?…&amp;key=<the user's feed key>", which stayed raw in every page (QA 13a) while the same
            // key in a request's ?key= was masked.
            matches.Add(new TextMatch(value.Index, length, "url-secret", DataKind.Secret, model.SecretAction));
        }
    }

    /// <summary>
    /// True when the key at <paramref name="keyIndex"/> is a parameter of a URL's query: right after <c>?</c> or <c>&amp;</c>,
    /// or after <c>&amp;amp;</c> as HTML writes the separator in an attribute.
    /// </summary>
    private static bool InUrlQuery(string text, int keyIndex)
    {
        if (keyIndex == 0)
        {
            return false;
        }

        var before = text[keyIndex - 1];
        return before is '?' or '&' || (before == ';' && text.AsSpan(0, keyIndex).EndsWith("&amp;", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The fields of an HTML form: <c>&lt;input name="csrfmiddlewaretoken" value="…"&gt;</c> is the pair the browser posts as
    /// <c>csrfmiddlewaretoken=…</c>, judged as that field whatever the order of its attributes. The pair pattern read
    /// <c>name="…"</c> and <c>value="…"</c> as two pairs named <c>name</c> and <c>value</c>: Django's login page kept its CSRF
    /// token raw on disk while the form posting it back had it masked, so replay could not pair them (every admin POST
    /// answered 403), and an edit form's <c>email</c> or <c>phone</c> input kept its value unless a value detector saw it.
    /// A <c>&lt;meta name="csrf-token" content="…"&gt;</c> is the same pair with <c>content</c> for its value (Rails, Laravel):
    /// rails-ujs copies it into every form's <c>authenticity_token</c> before the form is posted, so it is the token the
    /// browser sends. It stayed raw on every Redmine page (QA 13a) while the posted copy was masked: replay found no
    /// recorded source for the posted token and every form answered 422.
    /// </summary>
    private static void FindFormInputs(string text, RedactionModel model, List<TextMatch> matches, List<(int Start, int End)>? scripts)
    {
        if (!text.Contains("<input", StringComparison.OrdinalIgnoreCase) && !text.Contains("<meta", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        foreach (Match tag in InputTag().Matches(text))
        {
            if (Inside(scripts, tag.Index))
            {
                continue;
            }

            string? name = null;
            Group? value = null;
            var valueAttribute = tag.Groups["meta"].Success ? "content" : "value";
            foreach (Match attribute in TagAttribute().Matches(tag.Value))
            {
                var attributeName = attribute.Groups["name"].ValueSpan;
                if (attributeName.Equals("name", StringComparison.OrdinalIgnoreCase))
                {
                    name = attribute.Groups["value"].Value;
                }
                else if (attributeName.Equals(valueAttribute, StringComparison.OrdinalIgnoreCase))
                {
                    value = attribute.Groups["value"];
                }
            }

            if (name is not { Length: > 0 } || value is not { Length: > 0 })
            {
                continue;
            }

            var field = FieldNames.Normalize(name);
            foreach (var entry in model.FieldCandidates(field, string.Empty))
            {
                if (entry.Detector.Matches(new FieldContext(field, string.Empty), value.Value))
                {
                    matches.Add(new TextMatch(tag.Index + value.Index, value.Length, entry.Detector.Name, entry.Detector.Kind, entry.Action));
                    break;
                }
            }
        }
    }

    /// <summary>
    /// The lines of a passwd(5) database (<c>getent passwd</c>, <c>/etc/passwd</c> read through a web console or an agent):
    /// <c>login:x:uid:gid:GECOS:home:shell</c>, whose GECOS field starts with the user's full name
    /// (<c>Maria Gonzalez,,,</c>; the rest is room, phones, other). A line whose GECOS starts with a written full name is a
    /// person's: the name is judged as a user's <c>name</c> and the login as a user's <c>username</c>, so both spread over
    /// the rest of the text; the home directory's last segment that is the login is judged with it (a short login does
    /// not spread). Service accounts (<c>root:x:0:0:root:…</c>, <c>_apt</c>) have no full name
    /// there and stay. Cockpit's stream channel carried such a line with the name raw (QA 14b).
    /// </summary>
    private static void FindPasswdLines(string text, RedactionModel model, List<TextMatch> matches)
    {
        var parent = model.FieldNameOf("users").Normalized;
        foreach (Match line in PasswdLine().Matches(text))
        {
            var gecos = line.Groups["gecos"];
            var comma = gecos.Value.IndexOf(',', StringComparison.Ordinal);
            var name = (comma < 0 ? gecos.Value : gecos.Value[..comma]).Trim();
            if (name.Length == 0 || !BuiltInDetectors.LooksLikeFullName(name))
            {
                continue;
            }

            var nameStart = gecos.Index + gecos.Value.IndexOf(name, StringComparison.Ordinal);
            Judge("name", name, nameStart, DataKind.PersonName);
            var login = line.Groups["login"];
            Judge("username", login.Value, login.Index, null);

            // The home directory named after the login (/home/maria) holds the same value: a login shorter than a spread
            // value (ValueSpread.MinLength) was left raw there, one field after its token.
            var home = line.Groups["home"];
            var last = home.Value.LastIndexOf('/') + 1;
            if (home.Value.AsSpan(last).SequenceEqual(login.Value))
            {
                Judge("username", login.Value, home.Index + last, null);
            }
        }

        void Judge(string field, string value, int start, DataKind? kind)
        {
            if (model.TryMatchField(new FieldContext(field, parent, ParentInferred: true), value, out var entry, kind))
            {
                matches.Add(new TextMatch(start, value.Length, entry.Detector.Name, entry.Detector.Kind, entry.Action));
            }
        }
    }

    /// <summary>
    /// The text of a link to one person's page is that person's name: <c>&lt;a class="user active" href="/users/5"&gt;Jonas
    /// Schmidt&lt;/a&gt;</c> is judged as the <c>name</c> of the resource the link names (<c>/users/5</c> → <c>users</c>), as a
    /// request's own path decides for its body (<see cref="RequestResource"/>), when the link ends in an id and its text is
    /// written as a full name. Redmine names every assignee, author and watcher so, and the name then spreads to the
    /// page's titles, subjects and notes like any redacted value: 31 raw in one browser session (QA 13a). A link to
    /// <c>/projects/billing</c> ("Billing Migration"), to the <c>/users</c> list or labelled "Edit" is not.
    /// </summary>
    private static void FindPersonLinks(string text, RedactionModel model, List<TextMatch> matches, List<(int Start, int End)>? scripts)
    {
        if (!text.Contains("href", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        foreach (Match link in Anchor().Matches(text))
        {
            var name = link.Groups["text"];
            if (Inside(scripts, link.Index) || !Detection.BuiltInDetectors.LooksLikeFullName(name.Value))
            {
                continue;
            }

            string? href = null;
            foreach (Match attribute in TagAttribute().Matches(link.Groups["attrs"].Value))
            {
                if (attribute.Groups["name"].ValueSpan.Equals("href", StringComparison.OrdinalIgnoreCase))
                {
                    href = attribute.Groups["value"].Value;
                }
            }

            if (href is null || PersonPath(href) is not { } resource)
            {
                continue;
            }

            var parent = model.FieldNameOf(resource).Normalized;
            foreach (var entry in model.FieldCandidates("name", parent, inferred: true))
            {
                if (entry.Detector.Kind == DataKind.PersonName && entry.Detector.Matches(new FieldContext("name", parent, true), name.Value.Trim()))
                {
                    var start = name.Index + (name.Value.Length - name.Value.TrimStart().Length);
                    matches.Add(new TextMatch(start, name.Value.Trim().Length, entry.Detector.Name, DataKind.PersonName, entry.Action));
                    break;
                }
            }
        }
    }

    /// <summary>The resource a link's path names when its last segment is an id (<c>/users/5</c>, <c>https://x/people/8f3…</c>), else null.</summary>
    private static string? PersonPath(string href)
    {
        var path = href.AsSpan();
        var scheme = path.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            path = path[(scheme + 3)..];
            var slash = path.IndexOf('/');
            path = slash < 0 ? default : path[slash..];
        }

        var end = path.IndexOfAny('?', '#');
        if (end >= 0)
        {
            path = path[..end];
        }

        path = path.TrimEnd('/');
        var last = path.LastIndexOf('/');
        if (path.Length < 2 || path[0] != '/' || last < 1 || !Core.Analysis.PathTemplate.IsVariable(path[(last + 1)..]))
        {
            return null;
        }

        var resource = PersonContext.ResourceOfPath(path);
        return resource.IsEmpty ? null : resource.ToString();
    }

    /// <summary>
    /// The password of a URL's userinfo (<c>scheme://user:password@host</c>, RFC 3986 §3.2.1) anywhere in a text, judged as a
    /// <c>password</c> field: the request URL's own userinfo is masked by <see cref="UrlRedactor"/>, but a URL handed over in
    /// a body (aria2's <c>addUri(["http://bob:pw@host/f"])</c>, a DSN, a clone URL in an error) was not.
    /// </summary>
    private static void FindUserInfoPasswords(string text, RedactionModel model, List<TextMatch> matches)
    {
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            return;
        }

        foreach (Match match in UserInfo().Matches(text))
        {
            var password = match.Groups["password"];
            foreach (var entry in model.FieldCandidates("password", string.Empty))
            {
                if (entry.Detector.Kind == DataKind.Password && entry.Detector.Matches(new FieldContext("password", string.Empty), password.Value))
                {
                    matches.Add(new TextMatch(password.Index, password.Length, entry.Detector.Name, DataKind.Password, entry.Action));
                    break;
                }
            }
        }
    }

    /// <summary>
    /// Pairs written percent-encoded inside another value: a URL in a query value (a magnet link's
    /// <c>tr=http%3A%2F%2Ftracker%2Fannounce%3Fpasskey%3D…</c>, a <c>return_to=%2Fcb%3Faccess_token%3D…</c>) is one
    /// opaque run to the pair pattern. The text is read with its escapes decoded (twice at most: a form value holding such
    /// a URL), and each credential pair that held an escape is matched at its encoded place (so the mask covers the
    /// characters as written); pairs without one were found by the plain pass.
    /// </summary>
    private static void FindEncodedPairs(string text, RedactionModel model, List<TextMatch> matches)
    {
        var current = text;
        int[]? map = null; // map[i]: where character i of the current text starts in the original text
        for (var level = 0; level < 2 && current.Contains("%3d", StringComparison.OrdinalIgnoreCase); level++)
        {
            var (decoded, step) = DecodeAscii(current);
            if (map is not null)
            {
                for (var i = 0; i < step.Length; i++)
                {
                    step[i] = map[step[i]];
                }
            }

            map = step;
            current = decoded;
            var found = new List<TextMatch>();
            FindPairs(current, 0, current.Length, model, found, depth: 0);
            foreach (var m in found)
            {
                var start = map[m.Start];
                var length = map[m.Start + m.Length] - start;
                if (length != m.Length || (m.Start > 0 && start - map[m.Start - 1] != 1))
                {
                    // The value or the separator before it was escaped: the plain pass (or the level before) could not see this pair.
                    matches.Add(m with { Start = start, Length = length });
                }
            }
        }
    }

    /// <summary>The text with its ASCII percent-escapes decoded, and where each decoded character (and the end) starts in it.</summary>
    private static (string Decoded, int[] Map) DecodeAscii(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        var map = new List<int>(text.Length + 1);
        for (var i = 0; i < text.Length; i++)
        {
            map.Add(i);
            if (text[i] == '%' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2])
                && Convert.ToInt32(text.Substring(i + 1, 2), 16) is var b and < 0x80)
            {
                sb.Append((char)b);
                i += 2;
            }
            else
            {
                sb.Append(text[i]);
            }
        }

        map.Add(text.Length);
        return (sb.ToString(), [.. map]);
    }

    /// <summary>
    /// Whether the pair is a GraphQL variable definition (<c>query Q($password: String!, $id: ID)</c>): its key follows a
    /// <c>$</c> that follows "(" or ",", and the separator is ':'.
    /// </summary>
    private static bool IsVariableDefinition(string text, Match match)
    {
        var key = match.Groups["key"];
        if (key.Index == 0 || text[key.Index - 1] != '$' || text.AsSpan(key.Index + key.Length, match.Groups["value"].Index - key.Index - key.Length).TrimStart().IndexOf(':') != 0)
        {
            return false;
        }

        return IsDefinitionPlace(text, key.Index - 1);
    }

    /// <summary>
    /// Whether a <c>$</c> at <paramref name="dollar"/> starts a variable definition's place: after "(" or ",", or (commas are
    /// insignificant in GraphQL) after the definition before it inside the "(" that opens an operation's definitions.
    /// </summary>
    private static bool IsDefinitionPlace(string text, int dollar)
    {
        var before = text.AsSpan(0, dollar).TrimEnd();
        if (before.Length == 0)
        {
            return false;
        }

        if (before[^1] is '(' or ',')
        {
            return true;
        }

        // Commas are insignificant in GraphQL: written over several lines (Prettier's layout) a definition follows the one
        // before it with a line break alone. It is one when the "(" it is inside opens an operation's definitions.
        var open = before.LastIndexOf('(');
        if (open < 0 || before[(open + 1)..].Contains(')') || before[(open + 1)..].TrimStart() is not ['$', ..])
        {
            return false;
        }

        var header = before[..open].TrimEnd();
        var name = header.Length;
        while (name > 0 && (char.IsAsciiLetterOrDigit(header[name - 1]) || header[name - 1] == '_'))
        {
            name--;
        }

        // "mutation (", "mutation Register (": the word before "(" is the keyword, or the operation's name after it.
        return IsOperationKeyword(header[name..]) || IsOperationKeyword(LastWord(header[..name].TrimEnd()));
    }

    private static ReadOnlySpan<char> LastWord(ReadOnlySpan<char> text)
    {
        var start = text.Length;
        while (start > 0 && char.IsAsciiLetter(text[start - 1]))
        {
            start--;
        }

        return text[start..];
    }

    private static bool IsOperationKeyword(ReadOnlySpan<char> word) => word is "query" or "mutation" or "subscription";

    /// <summary>The default value of a variable definition (<c>$password: String = "…"</c>), judged under the variable's name.</summary>
    private static void ConsiderDefault(string text, Match match, RedactionModel model, List<TextMatch> matches)
    {
        var value = match.Groups["value"];
        var at = value.Index + value.Length;
        while (at < text.Length && char.IsWhiteSpace(text[at]))
        {
            at++;
        }

        if (at >= text.Length || text[at] != '=')
        {
            return;
        }

        at++;
        while (at < text.Length && char.IsWhiteSpace(text[at]))
        {
            at++;
        }

        if (at >= text.Length)
        {
            return;
        }

        int start, end;
        if (text[at] == '"')
        {
            start = at + 1;
            end = start;
            while (end < text.Length && text[end] != '"' && text[end] != '\n')
            {
                end += text[end] == '\\' && end + 1 < text.Length ? 2 : 1;
            }
        }
        else
        {
            start = at;
            end = start + UnquotedRun(text, start);
        }

        end = Math.Min(end, text.Length);
        if (end <= start)
        {
            return;
        }

        var field = FieldNames.Normalize(match.Groups["key"].ValueSpan);
        var valueText = text[start..end];
        foreach (var entry in model.FieldCandidates(field, string.Empty))
        {
            if (entry.Detector.Matches(new FieldContext(field, string.Empty), valueText))
            {
                matches.Add(new TextMatch(start, end - start, entry.Detector.Name, entry.Detector.Kind, entry.Action));
                return;
            }
        }
    }

    /// <summary>Whether <paramref name="variable"/> ($name) is declared in <paramref name="text"/> as a GraphQL operation's variable ("$name:" after "(" or ",").</summary>
    private static bool IsDeclaredVariable(string text, string variable)
    {
        for (var at = text.IndexOf(variable, StringComparison.Ordinal); at >= 0; at = text.IndexOf(variable, at + 1, StringComparison.Ordinal))
        {
            var end = at + variable.Length;
            if (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
            {
                continue; // a longer name
            }

            var after = text.AsSpan(end).TrimStart();
            if (after.Length > 0 && after[0] == ':' && IsDefinitionPlace(text, at))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The length of the unquoted value starting at <paramref name="start"/>, as the pair pattern reads one without the alias cut (an unbalanced closing parenthesis left out).</summary>
    private static int UnquotedRun(string text, int start)
    {
        var end = start;
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] is not ('"' or '\'' or '&' or ',' or ';' or '<' or '>' or '{' or '}' or '[' or ']' or '\\'))
        {
            end++;
        }

        var run = text.AsSpan(start, end - start);
        while (run.Length > 1 && run[^1] == ')' && run.Count(')') > run.Count('('))
        {
            run = run[..^1];
        }

        return run.Length;
    }

    // An unquoted value may hold a backtick (password=p`ss): only one that opens the value starts a template literal, and
    // one before a blank or a delimiter closes a markdown code span (`password=x`), so neither is part of the value.
    [GeneratedRegex(@"(?<![A-Za-z0-9_.-])(?<key>[A-Za-z_][A-Za-z0-9_.-]{0,48})[""']?\s{0,3}[:=]\s{0,3}(?:""(?<value>(?:[^""\\\r\n]|\\.){1,512})""?|'(?<value>(?:[^'\\\r\n]|\\.){1,512})'?|`(?<value>(?:[^`\\\r\n]|\\.){1,512})`?|(?<value>(?:(?!\(\s{0,3}[A-Za-z_][A-Za-z0-9_]{0,48}\s{0,3}:)(?:[^\s""'`&,;<>{}\[\]\\]|(?<=[^=:\s])`(?=[^\s""'`&,;<>{}\[\]\\])))+))", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Pair();

    // scheme "://" user ":" password "@": the user and the password hold no '/', '?', '#', '@', space, quote or bracket.
    [GeneratedRegex(@"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,31}://[^\s/?#@:""'<>\\\[\]{}]{0,128}:(?<password>[^\s/?#@""'<>\\\[\]{}]{1,256})@", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"<a\s(?<attrs>[^<>]{1,1024})>(?<text>[^<>]{3,80})</a>", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture)]
    private static partial Regex Anchor();

    // The pair after an enum member: ,name:"name" or ,o.name="name" (any quote, any case).
    [GeneratedRegex(@"^\s{0,3},\s{0,3}(?:[A-Za-z_$][A-Za-z0-9_$]{0,48}\.)?(?<k>[A-Za-z_][A-Za-z0-9_]{0,48})[""']?\s{0,3}[:=]\s{0,3}[""'`]\k<k>[""'`]", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase)]
    private static partial Regex SelfNamedAfter();

    // The pair before an enum member: name:"name", or o.name="name", (any quote, any case), up to the member's key.
    [GeneratedRegex(@"(?<![A-Za-z0-9_$])(?<k>[A-Za-z_][A-Za-z0-9_]{0,48})[""']?\s{0,3}[:=]\s{0,3}[""'`]\k<k>[""'`]\s{0,3},\s{0,3}(?:[A-Za-z_$][A-Za-z0-9_$]{0,48}\.)?[""']?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase)]
    private static partial Regex SelfNamedBefore();

    // login:password:uid:gid:GECOS:home:shell, one a line (passwd(5)); the home directory is absolute.
    [GeneratedRegex(@"(?m)^(?<login>[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?):[^:\r\n]{0,128}:[0-9]{1,10}:[0-9]{1,10}:(?<gecos>[^:\r\n]{0,256}):(?<home>/[^:\r\n]{0,256}):[^:\r\n]{0,128}\r?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex PasswdLine();

    [GeneratedRegex(@"<(?:input|(?<meta>meta))\b[^<>]{1,2048}>", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex InputTag();

    [GeneratedRegex(@"\s(?<name>[A-Za-z_:][\w:.-]{0,48})\s{0,3}=\s{0,3}(?:""(?<value>[^""]{0,2048})""|'(?<value>[^']{0,2048})'|(?<value>[^\s""'<>=`]{1,2048}))", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex TagAttribute();

    [GeneratedRegex(@"<(?:[A-Za-z_][\w.-]*:)?(?<key>[A-Za-z_][\w.-]{0,48})(?:\s[^<>]*)?>(?<value>[^<>]{1,512})</", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Element();
}
