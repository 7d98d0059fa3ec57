using System.Text;
using System.Xml;
using System.Xml.Linq;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Rules;

namespace Reprise.Redaction.Engine;

/// <summary>
/// XML and SOAP bodies: XPath-style rules, field detectors on element and attribute local names
/// (<c>wsse:Password</c>, <c>&lt;CardNumber&gt;</c>) and text detectors on every text node and attribute.
/// Parsed with DTDs prohibited and no resolver (no XXE, no entity expansion); whitespace is preserved.
/// </summary>
internal static class XmlBodyRedactor
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreWhitespace = false,
        MaxCharactersInDocument = 256L * 1024 * 1024,
    };

    /// <summary>Returns the redacted document, or null when nothing changed. Throws <see cref="XmlException"/> when it is not XML.</summary>
    public static string? Redact(string xml, RedactionSession session, string location)
    {
        XDocument document;
        using (var reader = XmlReader.Create(new StringReader(xml), Settings))
        {
            document = XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        }

        if (document.Root is null)
        {
            return null;
        }

        var changed = false;
        if (session.Side == Rules.RuleScope.Request)
        {
            RedactXmlRpcLoginSecrets(document.Root, session, location, ref changed);
        }

        var path = new List<string>();
        Walk(document.Root, path, parentField: string.Empty, session, location, selected: null, ref changed);
        if (!changed)
        {
            return null;
        }

        var sb = new StringBuilder(xml.Length);
        if (document.Declaration is { } declaration)
        {
            sb.Append(declaration.ToString());
        }

        foreach (var node in document.Nodes())
        {
            sb.Append(node.ToString(SaveOptions.DisableFormatting));
        }

        return sb.ToString();
    }

    /// <summary>
    /// A vCard written in XML (XMPP's vcard-temp, XEP-0054; xCard, RFC 6351) names its properties as a text vCard does:
    /// <c>FN</c> is the full name and <c>N</c>'s <c>FAMILY</c>/<c>GIVEN</c>/<c>MIDDLE</c> (xCard: <c>surname</c>,
    /// <c>given</c>, <c>additional</c>) its parts, judged as those fields inside a <c>vCard</c> element only (a text vCard's
    /// <c>FN</c> and <c>N</c> are redacted by property already). An XMPP client's own vCard kept "Maria Gonzalez" raw, in
    /// the request that set it and every answer that served it.
    /// </summary>
    private static string? VCardProperty(XElement element)
    {
        var name = element.Name.LocalName;
        if (name.Length is < 2 or > 10)
        {
            return null;
        }

        var parent = element.Parent;
        if (parent is null)
        {
            return null;
        }

        var parentName = parent.Name.LocalName;
        if (parentName.Equals("vcard", StringComparison.OrdinalIgnoreCase))
        {
            return name.Equals("fn", StringComparison.OrdinalIgnoreCase) ? "fullname" : name.Equals("nickname", StringComparison.OrdinalIgnoreCase) ? "displayname" : null;
        }

        if (parentName.Equals("n", StringComparison.OrdinalIgnoreCase) && parent.Parent?.Name.LocalName.Equals("vcard", StringComparison.OrdinalIgnoreCase) == true)
        {
            return name.ToUpperInvariant() switch
            {
                "FAMILY" or "SURNAME" => "familyname",
                "GIVEN" => "givenname",
                "MIDDLE" or "ADDITIONAL" => "middlename",
                _ => null,
            };
        }

        // xCard wraps each value in its type: <fn><text>…</text></fn>, <nickname><text>…</text></nickname>,
        // <n><surname>…</surname></n> (handled above).
        if (name.Equals("text", StringComparison.OrdinalIgnoreCase) && parent.Parent?.Name.LocalName.Equals("vcard", StringComparison.OrdinalIgnoreCase) == true)
        {
            return parentName.Equals("fn", StringComparison.OrdinalIgnoreCase) ? "fullname" : parentName.Equals("nickname", StringComparison.OrdinalIgnoreCase) ? "displayname" : null;
        }

        return null;
    }

    private static readonly XNamespace Dav = "DAV:";

    /// <summary>
    /// A WebDAV <c>displayname</c> (RFC 4918 15.2) names the resource its <c>response</c> describes. When that response says
    /// what the resource is, a <c>resourcetype</c> that is not a principal (a collection, a calendar, an address book, a
    /// plain resource), the name is the resource's: "Calendar" was tokenized as a person's name and the same-value pass
    /// rewrote the request path <c>…/Calendar/</c>, so the mock missed it and replay got 404 (QA round 15b, SOGo). A
    /// principal's displayname (RFC 3744), or one whose response does not say, is judged as a display name still.
    /// </summary>
    private static string? DavResourceName(XElement element)
    {
        if (element.Name != Dav + "displayname" || element.Parent is not { } prop || prop.Name != Dav + "prop")
        {
            return null;
        }

        var type = prop.Element(Dav + "resourcetype");
        return type is not null && type.Element(Dav + "principal") is null ? "resourcename" : null;
    }

    private static void Walk(XElement element, List<string> path, string parentField, RedactionSession session, string location, XPathRule? selected, ref bool changed)
    {
        path.Add(element.Name.LocalName);
        var where = location + ":/" + string.Join('/', path);
        var field = VCardProperty(element) ?? DavResourceName(element) ?? FieldNames.Normalize(element.Name.LocalName);
        selected ??= RuleFor(session, path);

        // Read before any attribute is redacted (a redacted address is a token, no longer an address).
        var addressed = element.HasAttributes && HasJidAttribute(element);
        foreach (var attribute in element.Attributes())
        {
            if (attribute.IsNamespaceDeclaration)
            {
                continue;
            }

            var attrWhere = where + "/@" + attribute.Name.LocalName;
            if (session.IsSkipped(attrWhere))
            {
                continue;
            }

            XPathRule? attrRule = selected;
            foreach (var rule in session.Model.XmlRules)
            {
                if ((rule.Scope & session.Side) != 0 && rule.Path.MatchesAttribute(path, attribute.Name.LocalName))
                {
                    attrRule = rule;
                    break;
                }
            }

            var attrField = FieldNames.Normalize(attribute.Name.LocalName);
            var attrParent = addressed && IsNameAttribute(attrField) ? PersonContext.EvidenceParent : field;
            if (RedactValue(attribute.Value, attrField, attrParent, attrRule, session, attrWhere) is { } value)
            {
                attribute.Value = value;
                changed = true;
            }
        }

        // An XML-RPC struct member (<member><name>password</name><value><string>…</string></value></member>): its <name>
        // is a key, not a person's name ("member" is a person-like parent, so every key was tokenized and clients read
        // structs without their keys), and the key names the field its value is judged as.
        var memberKey = element.Name.LocalName == "member" && element.Parent?.Name.LocalName == "struct" && element.Element("name") is { } key && !key.HasElements
            ? key
            : null;
        foreach (var node in element.Nodes().ToList())
        {
            switch (node)
            {
                case XElement child when memberKey is not null && child == memberKey:
                    break;
                case XElement child when memberKey is not null && child.Name.LocalName == "value":
                    WalkXmlRpcValue(child, path, FieldNames.Normalize(memberKey.Value.Trim()), session, location, selected, ref changed);
                    break;
                case XElement child:
                    Walk(child, path, field, session, location, selected, ref changed);
                    break;
                case XText text when !string.IsNullOrWhiteSpace(text.Value) && !session.IsSkipped(where):
                    if (RedactValue(text.Value, field, parentField, selected, session, where) is { } value)
                    {
                        text.Value = value;
                        changed = true;
                    }

                    break;
                case XComment comment:
                    if (session.RedactText(comment.Value, where + "/comment()") is { } redactedComment)
                    {
                        comment.Value = redactedComment.Replace("--", "- -", StringComparison.Ordinal);
                        changed = true;
                    }

                    break;
            }
        }

        path.RemoveAt(path.Count - 1);
    }

    private static bool IsNameAttribute(string normalized) => normalized is "name" or "fullname" or "displayname" or "nick" or "nickname";

    /// <summary>
    /// True when the element carries a person's chat address, a <c>jid</c> attribute holding a user's JID (XMPP's roster
    /// item, RFC 6121: <c>&lt;item jid='maria@…' name='Maria Gonzalez'/&gt;</c>, a MUC occupant's item, a bookmark): the
    /// element describes a person, so its <c>name</c> attribute is judged as a person's (QA round 12b, roster names). An
    /// email alone is not such evidence (a restaurant or a carrier has one too), as in JSON.
    /// </summary>
    private static bool HasJidAttribute(XElement element)
    {
        foreach (var other in element.Attributes())
        {
            if (!other.IsNamespaceDeclaration && other.Name.LocalName.Equals("jid", StringComparison.OrdinalIgnoreCase) && other.Value.Contains('@', StringComparison.Ordinal)
                && EmailDetector.IsWhole(JidWithoutResource(other.Value)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A JID without its resource (<c>maria@example.org/phone</c> → <c>maria@example.org</c>).</summary>
    private static string JidWithoutResource(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? value[..slash] : value;
    }

    /// <summary>
    /// The <c>&lt;value&gt;</c> of an XML-RPC struct member: a scalar (<c>&lt;string&gt;</c>, <c>&lt;int&gt;</c>…, or bare
    /// text) is judged as the field the member's key names, with <c>struct</c> as its parent; an array or a nested struct
    /// is walked as usual.
    /// </summary>
    private static void WalkXmlRpcValue(XElement value, List<string> path, string key, RedactionSession session, string location, XPathRule? selected, ref bool changed)
    {
        var scalar = value.HasElements ? value.Elements().FirstOrDefault() : value;
        if (key.Length == 0 || scalar is null || scalar.HasElements || (value.HasElements && value.Elements().Skip(1).Any()))
        {
            Walk(value, path, "member", session, location, selected, ref changed);
            return;
        }

        path.Add("value");
        if (scalar != value)
        {
            path.Add(scalar.Name.LocalName);
        }

        var where = location + ":/" + string.Join('/', path);
        var rule = selected ?? RuleFor(session, path);

        if (!string.IsNullOrWhiteSpace(scalar.Value) && !session.IsSkipped(where) && RedactValue(scalar.Value, key, "struct", rule, session, where) is { } redacted)
        {
            scalar.Value = redacted;
            changed = true;
        }

        path.RemoveAt(path.Count - 1);
        if (scalar != value)
        {
            path.RemoveAt(path.Count - 1);
        }
    }

    /// <summary>
    /// An XML-RPC login (<c>&lt;methodName&gt;dokuwiki.login&lt;/methodName&gt;</c>, <c>system.auth</c>,
    /// <c>user.authenticate</c>, <c>LogOn</c>) passes its credentials as positional parameters, with no field name a
    /// detector could see: DokuWiki's <c>dokuwiki.login(user, password)</c> left the password raw. Every parameter after
    /// the first (the user name), or the only one (<c>auth.login(password)</c>: QA round 13b), is judged as a <c>password</c> field (masked by the default policy, like a password
    /// anywhere); a rules-file rule selecting the parameter still wins (a <c>keep</c>, say: the parameter is then left to
    /// the walk, which applies that rule).
    /// </summary>
    private static void RedactXmlRpcLoginSecrets(XElement root, RedactionSession session, string location, ref bool changed)
    {
        if (root.Name.LocalName != "methodCall" || root.Element("methodName")?.Value.Trim() is not { Length: > 0 } method)
        {
            return;
        }

        // A method that sets or checks a password (wp.changePassword, user.setPassword) has every parameter judged so.
        var passwordMethod = JsonBodyRedactor.IsPasswordMethod(method);
        if (!passwordMethod && !IsLoginMethod(method))
        {
            return;
        }

        var index = 0;
        var parameters = root.Element("params")?.Elements("param").ToList() ?? [];
        foreach (var param in parameters)
        {
            if (index++ == 0 && parameters.Count > 1 && !passwordMethod)
            {
                continue; // the user name; a login with one parameter names no user, and that one is the secret
            }

            foreach (var leaf in param.DescendantsAndSelf())
            {
                if (leaf.HasElements || leaf.Name.LocalName is not ("value" or "string"))
                {
                    continue;
                }

                var where = location + ":/methodCall/params/param/" + (leaf.Name.LocalName == "value" ? "value" : "value/string");
                if (session.IsSkipped(where) || RuleFor(session, [.. leaf.AncestorsAndSelf().Reverse().Select(e => e.Name.LocalName)]) is not null)
                {
                    continue;
                }

                if (RedactValue(leaf.Value, "password", "params", null, session, where) is { } value)
                {
                    leaf.Value = value;
                    changed = true;
                }
            }
        }
    }

    /// <summary>The first XPath rule of this side whose path selects the element at <paramref name="path"/> (local names from the root); null when none.</summary>
    private static XPathRule? RuleFor(RedactionSession session, List<string> path)
    {
        foreach (var rule in session.Model.XmlRules)
        {
            if ((rule.Scope & session.Side) != 0 && rule.Path.MatchesElement(path))
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>The method's last name segment is a login: login, logon, signin, auth, authenticate (any case, <c>_</c>/<c>.</c> separated).</summary>
    internal static bool IsLoginMethod(string method)
    {
        var last = method.AsSpan()[(method.LastIndexOfAny(['.', '/', ':']) + 1)..];
        var name = FieldNames.Normalize(last);
        return name is "login" or "logon" or "signin" or "auth" or "authenticate" or "authorize" or "getsessiontoken"
            || name.EndsWith("login", StringComparison.Ordinal) || name.StartsWith("authenticate", StringComparison.Ordinal);
    }

    private static string? RedactValue(string value, string field, string parent, XPathRule? rule, RedactionSession session, string where)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0 || Actions.TokenFormat.IsRedactedOutput(trimmed))
        {
            return null;
        }

        if (rule is not null)
        {
            if (rule.Action.Action == Actions.RedactionAction.Keep)
            {
                session.NoteKept(trimmed);
                return null;
            }

            session.Record(where, rule.Name, rule.Action, rule.Kind, trimmed);
            return session.Apply(trimmed, rule.Kind, rule.Action) ?? string.Empty;
        }

        if (session.TryMatchField(field, parent, trimmed, out var entry))
        {
            session.Record(where, entry.Detector.Name, entry.Action, entry.Detector.Kind, trimmed);
            return session.Apply(trimmed, entry.Detector.Kind, entry.Action) ?? string.Empty;
        }

        return session.RedactText(value, where, field: field);
    }
}
