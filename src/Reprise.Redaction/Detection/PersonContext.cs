using System.Collections.Frozen;
using Reprise.Core.Analysis;

namespace Reprise.Redaction.Detection;

/// <summary>
/// Context for deciding that a bare <c>name</c> holds a person when no enclosing field says so: the resource
/// the request names (last resource segment of the URL path, GraphQL root field), wrapper fields that only
/// carry it (<c>data</c>, <c>items</c>, <c>variables.input</c>), nouns that are never people (products,
/// organisations, tags, files), and sibling fields that show an object describes a person.
/// </summary>
internal static class PersonContext
{
    /// <summary>
    /// Resources whose <c>name</c> is a person's when the resource is inferred from the request (narrower than
    /// enclosing fields: no <c>account</c>, <c>billing</c>, <c>client</c>; no nouns that are as often things or
    /// roles of things: driver, speaker, actor, lead, admin, viewer, profile). Matched as whole words only.
    /// </summary>
    public static readonly string[] InferredPersonParents =
    [
        "user", "customer", "person", "people", "contact", "author", "owner", "recipient", "sender", "employee", "patient", "member",
        "cardholder", "passenger", "traveler", "traveller", "guest", "buyer", "payer", "payee", "beneficiary", "applicant",
        "student", "teacher", "subscriber", "attendee", "participant", "candidate", "staff", "friend", "follower",
        "reviewer", "signer", "assignee", "reporter", "volunteer", "doctor", "physician", "nurse", "creator",
    ];

    /// <summary>The parent the sibling evidence stands for (an <see cref="InferredPersonParents"/> entry).</summary>
    public const string EvidenceParent = "person";

    // Nouns whose "name" is a thing, not a person: an unknown parent is only a person on sibling evidence, these never.
    private static readonly string[] NonPersonNouns =
    [
        "product", "item", "sku", "variant", "catalog", "category", "categorie", "tag", "label", "file", "folder", "document", "attachment", "image",
        "org", "organization", "organisation", "company", "companie", "team", "group", "tenant", "workspace", "project", "repo", "repository",
        "service", "app", "application", "vendor", "supplier", "merchant", "store", "shop", "brand", "location", "place", "city", "country",
        "region", "venue", "event", "plan", "role", "permission", "channel", "topic", "order", "cart", "invoice", "course", "book", "movie",
        "song", "album", "playlist", "game", "device", "host", "server", "cluster", "database", "table", "field", "column", "schema", "queue",
        "bucket", "package", "library", "module", "feature", "flag", "setting", "config", "environment", "branch", "pipeline", "job", "task",
        "campaign", "list", "board", "page", "post", "article", "menu", "dish", "recipe", "ingredient", "warehouse", "department", "school",
        "university", "hospital", "clinic", "pharmacy", "bank", "business", "site", "domain", "model", "dataset", "metric",
        "report", "dashboard", "widget", "component", "collection", "playlist", "genre", "skill", "language", "currency", "unit", "status", "type",
    ];

    private static readonly FrozenSet<string> Wrappers = FrozenSet.ToFrozenSet(
    [
        "data", "result", "results", "items", "records", "record", "payload", "attributes", "variables", "input", "node", "nodes", "edges",
        "content", "response", "entries", "hits", "source", "rows", "values", "value", "list", "object", "objects", "resource", "resources",
        "entity", "entities", "body", "elements", "collection", "page", "embedded", "docs", "documents", "rowdata",
    ], StringComparer.Ordinal);

    // Sibling fields only a person has (a restaurant, carrier or company also has an email, phone, tax id or display name).
    private static readonly FrozenSet<string> EvidenceNames = FrozenSet.ToFrozenSet(
    [
        "gender", "sex", "pronouns", "maritalstatus",
    ], StringComparer.Ordinal);

    // A password is a sign-in's: {"name": "Jonas Schmidt", "email": …, "password": …} is someone signing up (a Node-RED
    // flow's /api/signup kept the name raw, and the greeting echoing it). But a database connection, a Wi-Fi network or a
    // service account has a name and a password too ("Analytics", "Production DB"): beside a password, only a name written
    // as a person's full name is a person's.
    private static readonly FrozenSet<string> SignUpEvidenceNames = FrozenSet.ToFrozenSet(
    [
        "password", "passwd", "passphrase",
    ], StringComparer.Ordinal);

    /// <summary>True when a sibling field shows its object may be a person signing up (a password): evidence for a full name only.</summary>
    public static bool IsSignUpEvidence(string normalized) => SignUpEvidenceNames.Contains(normalized);

    /// <summary>Fields (normalised) that hold one part of a person's name, and only a person's.</summary>
    internal static readonly string[] PersonOnlyNameSuffixes =
    [
        "firstname", "lastname", "givenname", "familyname", "surname", "middlename", "maidenname", "forename",
    ];

    /// <summary>A name object's members that hold one part of it (<c>{"name":{"first":…,"last":…}}</c>).</summary>
    internal static readonly string[] NamePartMembers = ["first", "last", "given", "family", "middle"];

    private static readonly string[] TaxIdMarkers = ["tax", "tin", "vat", "nif", "ein"];

    // Wrappers holding a list of things: inside an explicit parent they hold other things than the parent itself.
    private static readonly FrozenSet<string> CollectionWrappers = FrozenSet.ToFrozenSet(
    [
        "results", "items", "records", "nodes", "edges", "content", "entries", "hits", "rows", "values", "list", "objects", "resources",
        "entities", "elements", "collection", "docs", "documents",
    ], StringComparer.Ordinal);

    /// <summary>True when a field only wraps the resource (<c>data</c>, <c>items</c>, <c>variables</c>): the context is looked up past it.</summary>
    public static bool IsWrapper(string normalized) => Wrappers.Contains(normalized);

    /// <summary>True when a wrapper holds a collection (<c>items</c>, <c>records</c>): looked through only on the way up to the body's top.</summary>
    public static bool IsCollectionWrapper(string normalized) => CollectionWrappers.Contains(normalized);

    /// <summary>True when a parent or resource names a thing whose <c>name</c> is never a person (<c>products</c>, <c>createOrganization</c>).</summary>
    public static bool IsNonPerson(string normalized) =>
        !FieldNameDetector.ParentMatches(normalized, InferredPersonParents) && FieldNameDetector.ParentMatches(normalized, NonPersonNouns);

    /// <summary>
    /// True when a sibling field shows its object describes a person: only fields nothing else has (first, last,
    /// given or family name, birth date, gender, a national id other than a tax id). Email, phone, display or
    /// owner names and tax ids also describe restaurants, carriers and companies.
    /// </summary>
    public static bool IsEvidence(string normalized, ReadOnlySpan<DataKind> candidateKinds)
    {
        if (EvidenceNames.Contains(normalized))
        {
            return true;
        }

        foreach (var kind in candidateKinds)
        {
            switch (kind)
            {
                case DataKind.BirthDate:
                    return true;
                case DataKind.PersonName:
                    foreach (var suffix in PersonOnlyNameSuffixes)
                    {
                        if (normalized.EndsWith(suffix, StringComparison.Ordinal))
                        {
                            return true;
                        }
                    }

                    break;
                case DataKind.NationalId:
                    foreach (var marker in TaxIdMarkers)
                    {
                        if (normalized.Contains(marker, StringComparison.Ordinal))
                        {
                            return false;
                        }
                    }

                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A name as lower-case words joined by <c>-</c> (<c>createUser</c> → <c>create-user</c>, <c>user_profiles</c>
    /// → <c>user-profiles</c>), so an inferred resource can be matched on word boundaries.
    /// </summary>
    public static string Words(ReadOnlySpan<char> raw)
    {
        var colon = raw.LastIndexOf(':');
        if (colon >= 0 && colon < raw.Length - 1)
        {
            raw = raw[(colon + 1)..];
        }

        var builder = new System.Text.StringBuilder(raw.Length + 4);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (!char.IsLetterOrDigit(c))
            {
                if (builder.Length > 0 && builder[^1] != '-')
                {
                    builder.Append('-');
                }

                continue;
            }

            var boundary = i > 0 && builder.Length > 0 && builder[^1] != '-'
                && ((char.IsUpper(c) && (char.IsLower(raw[i - 1]) || char.IsDigit(raw[i - 1]) || (i + 1 < raw.Length && char.IsUpper(raw[i - 1]) && char.IsLower(raw[i + 1]))))
                    || (char.IsDigit(c) != char.IsDigit(raw[i - 1])));
            if (boundary)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        if (builder.Length > 0 && builder[^1] == '-')
        {
            builder.Length--;
        }

        return builder.ToString();
    }

    /// <summary>
    /// The resource a URL path names: its last segment that is not an identifier (<c>/users/1</c> → <c>users</c>,
    /// <c>/members/{id}/profile</c> → <c>profile</c>), or the collection before a slug or action
    /// (<c>/orgs/acme</c> → <c>orgs</c>, <c>/users/search</c> → <c>users</c>). Empty when there is none.
    /// </summary>
    public static ReadOnlySpan<char> ResourceOfPath(ReadOnlySpan<char> path)
    {
        ReadOnlySpan<char> last = default;
        ReadOnlySpan<char> before = default;
        ReadOnlySpan<char> verb = default;
        var end = path.Length;
        while (end > 0)
        {
            var slash = path[..end].LastIndexOf('/');
            var segment = path[(slash + 1)..end];
            end = Math.Max(slash, 0);
            var dot = segment.LastIndexOf('.');
            if (dot > 0 && segment.Length - dot <= 5)
            {
                segment = segment[..dot]; // users.json
            }

            if (last.IsEmpty && IsActionSegment(segment))
            {
                // A form's action on the resource before it, not a resource: Django admin's
                // /admin/customers/customer/add/ and /customer/1/change/, Rails' /users/1/edit (the admin's add form kept
                // "Maria Gonzalez" raw, and every change list and message echoing her). Alone (/add) it names nothing else.
                if (verb.IsEmpty)
                {
                    verb = segment;
                }

                continue;
            }

            if (segment.Length > 1 && segment[0] is '_' or '$')
            {
                // A reserved segment is an operation on the resource before it, not a resource: CouchDB's
                // /customers/_bulk_docs, _all_docs, _changes (their documents' names were kept), Elasticsearch's
                // /customers/_search, /_doc/1, OData's $batch. Alone (/_users/…) it names the resource itself.
                if (verb.IsEmpty && last.IsEmpty)
                {
                    verb = segment;
                }

                continue;
            }

            if (segment.IsEmpty || IsIdentifier(segment))
            {
                if (!last.IsEmpty)
                {
                    break;
                }

                continue;
            }

            if (last.IsEmpty)
            {
                last = segment;
                continue;
            }

            before = segment;
            break;
        }

        if (last.IsEmpty)
        {
            last = verb;
        }

        if (last is "me" or "self" or "whoami" or "userinfo" or "current")
        {
            return "user"; // /me, /users/self, OIDC userinfo: the caller
        }

        if (last.Equals("profile", StringComparison.OrdinalIgnoreCase))
        {
            // A profile is its owner's: /members/812/profile → members, /projects/7/profile → projects; with no
            // owner in the path (/api/profile, /me/profile) it is the caller's. (Plural "profiles" is not a person.)
            var owner = OwnerOfSubResource(path);
            return owner.IsEmpty || owner is "me" or "self" or "current" ? "user" : owner;
        }

        // A singular word after a plural collection is a slug or an action on it: /orgs/acme, /users/search.
        return !before.IsEmpty && before[^1] is 's' or 'S' && last[^1] is not ('s' or 'S') ? before : last;
    }

    // Verbs of the create/read/update/delete forms web frameworks route as a path's last segment (Django admin, Rails,
    // Laravel, Spring MVC conventions). Lower case only: a resource written "Delete" is a name, not a route verb.
    private static readonly FrozenSet<string> ActionSegments = FrozenSet.ToFrozenSet(
    [
        "add", "new", "create", "edit", "change", "update", "delete", "remove", "destroy", "save", "history",
    ], StringComparer.Ordinal);

    private static bool IsActionSegment(ReadOnlySpan<char> segment) =>
        ActionSegments.GetAlternateLookup<ReadOnlySpan<char>>().Contains(segment);

    /// <summary>The collection before the identifier that precedes the last segment (<c>/members/812/profile</c> → <c>members</c>); empty when there is none.</summary>
    private static ReadOnlySpan<char> OwnerOfSubResource(ReadOnlySpan<char> path)
    {
        path = path.TrimEnd('/');
        var slash = path.LastIndexOf('/');
        path = slash < 0 ? default : path[..slash]; // drop "profile"
        slash = path.LastIndexOf('/');
        var id = path[(slash + 1)..];
        if (id.IsEmpty)
        {
            return default;
        }

        if (id is "me" or "self" or "current")
        {
            return id;
        }

        if (!IsIdentifier(id))
        {
            return default;
        }

        path = slash < 0 ? default : path[..slash];
        return path[(path.LastIndexOf('/') + 1)..];
    }

    private static bool IsIdentifier(ReadOnlySpan<char> segment) =>
        segment[0] is '{' or ':' or '<' or '$' || segment.ContainsAnyInRange('0', '9') || PathTemplate.IsVariable(segment) || segment.Length > 48;

    /// <summary>
    /// The first root field of a GraphQL document (<c>mutation M($a: T = {x: 1}) { saved: createUser(...) {...} }</c>
    /// → <c>createUser</c>), cut before a <c>By...</c> lookup suffix (<c>userById</c> → <c>user</c>). Comments
    /// and fragment definitions before the operation are skipped. Empty when the text is not a GraphQL document.
    /// </summary>
    public static ReadOnlySpan<char> RootFieldOfGraphQl(ReadOnlySpan<char> query)
    {
        var i = 0;
        while (true)
        {
            i = SkipIgnored(query, i);
            if (i >= query.Length)
            {
                return default;
            }

            if (query[i] == '{')
            {
                break;
            }

            var word = Name(query, i);
            if (word.IsEmpty || !(word is "query" or "mutation" or "subscription" or "fragment"))
            {
                return default;
            }

            // Skip the header (name, variables with defaults, directives) to the selection set at parenthesis depth 0.
            var depth = 0;
            for (i += word.Length; i < query.Length; i++)
            {
                var c = query[i];
                if (c == '"')
                {
                    i = SkipString(query, i);
                }
                else if (c == '(')
                {
                    depth++;
                }
                else if (c == ')')
                {
                    depth--;
                }
                else if (c == '{' && depth == 0)
                {
                    break;
                }
            }

            if (word is not "fragment")
            {
                break;
            }

            i = SkipBlock(query, i);
        }

        i = SkipIgnored(query, i + 1);
        var field = Name(query, i);
        var next = SkipIgnored(query, i + field.Length);
        if (!field.IsEmpty && next < query.Length && query[next] == ':')
        {
            var after = SkipIgnored(query, next + 1);
            field = Name(query, after); // an alias: the field follows it
        }

        for (var k = 1; k + 2 < field.Length; k++)
        {
            if (field[k] == 'B' && field[k + 1] == 'y' && char.IsAsciiLetterUpper(field[k + 2]))
            {
                return field[..k];
            }
        }

        return field;
    }

    private static int SkipIgnored(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '#')
            {
                var newline = text[i..].IndexOf('\n');
                i = newline < 0 ? text.Length : i + newline + 1;
            }
            else if (c is ' ' or '\t' or '\r' or '\n' or ',' or '\uFEFF')
            {
                i++;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    private static ReadOnlySpan<char> Name(ReadOnlySpan<char> text, int i)
    {
        var start = i;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }

        return i > start && !char.IsAsciiDigit(text[start]) ? text[start..i] : default;
    }

    private static int SkipString(ReadOnlySpan<char> text, int i)
    {
        for (i++; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return i;
            }
        }

        return i;
    }

    private static int SkipBlock(ReadOnlySpan<char> text, int i)
    {
        var depth = 0;
        for (; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                i = SkipString(text, i);
            }
            else if (text[i] == '{')
            {
                depth++;
            }
            else if (text[i] == '}' && --depth == 0)
            {
                return i + 1;
            }
        }

        return i;
    }
}
