using System.Collections.Frozen;

namespace Reprise.Redaction.Detection;

/// <summary>
/// A field detector driven by name lists: exact names, name suffixes, and names that count only inside
/// a parent of a given kind (<c>name</c> inside <c>customer</c>, <c>id</c> inside <c>user</c>), plus a
/// check on the value (a name has letters, a phone has digits, a secret looks random).
/// </summary>
public sealed class FieldNameDetector : IFieldDetector
{
    // SOAP operations and GraphQL payload types wrap the resource: GetCustomerResponse, CreateUserPayload, userInfo.
    private static readonly string[] OperationSuffixes = ["response", "request", "result", "payload", "input", "details", "info"];

    // Generated CRUD schemas put the cardinality after the plural collection: Directus create_customers_item(s), Hasura
    // insert_users_one, update_users_many. After a singular noun it is a collection of its own (customerItems: things).
    private static readonly string[] CrudSuffixes = ["item", "items", "one", "many"];

    private readonly FrozenSet<string> _names;
    private readonly string[] _suffixes;
    private readonly FrozenSet<string> _excluded;
    private readonly FrozenSet<string> _childNames;
    private readonly string[] _parents;
    private readonly string[] _inferredParents;
    private readonly Func<string, bool> _valueCheck;
    private readonly Func<FieldContext, string, bool>? _leaves;

    /// <summary>A detector named <paramref name="name"/> for fields named as <paramref name="names"/> or ending in one of <paramref name="suffixes"/>.</summary>
    /// <param name="name">The detector's name (rules and findings use it).</param>
    /// <param name="kind">What it finds.</param>
    /// <param name="names">Field names (normalised) it selects.</param>
    /// <param name="suffixes">Name endings it selects.</param>
    /// <param name="valueCheck">True for a value of its kind.</param>
    /// <param name="childNames">Names it selects only inside <paramref name="parents"/>.</param>
    /// <param name="parents">Parents that make <paramref name="childNames"/> count.</param>
    /// <param name="excluded">Names it never selects.</param>
    /// <param name="inferredParents">Parents inferred from the request that make <paramref name="childNames"/> count.</param>
    /// <param name="leaves">Values the detector leaves in a field it selects (the account-id detector's short row ids under an id field).</param>
    public FieldNameDetector(string name, DataKind kind, IEnumerable<string> names, string[] suffixes, Func<string, bool> valueCheck, IEnumerable<string>? childNames = null, IEnumerable<string>? parents = null, IEnumerable<string>? excluded = null, IEnumerable<string>? inferredParents = null, Func<FieldContext, string, bool>? leaves = null)
    {
        Name = name;
        Kind = kind;
        _names = names.ToFrozenSet(StringComparer.Ordinal);
        _suffixes = suffixes;
        _valueCheck = valueCheck;
        _leaves = leaves;
        _childNames = (childNames ?? []).ToFrozenSet(StringComparer.Ordinal);
        _parents = [.. parents ?? []];
        _inferredParents = [.. inferredParents ?? []];
        _excluded = (excluded ?? []).ToFrozenSet(StringComparer.Ordinal);
    }

    public string Name { get; }

    public DataKind Kind { get; }

    /// <summary>True when the field counts only inside certain parents (<c>name</c>, <c>id</c>): its candidates depend on the parent.</summary>
    public bool IsChildName(string field) => _childNames.Contains(field);

    /// <summary>True when the name alone (without a value) would select a field: used to pick candidates before decoding values.</summary>
    public bool MatchesName(in FieldContext field)
    {
        if (field.Field.Length == 0 || _excluded.Contains(field.Field))
        {
            return false;
        }

        return FieldNames.IsOneOf(field.Field, _names, _suffixes)
            || (_childNames.Contains(field.Field) && (field.ParentInferred ? InferredParentMatches(field.Parent, _inferredParents) : ParentMatches(field.Parent, _parents)))
            || (NumberedStem(field.Field) is { } stem && !_excluded.Contains(stem) && FieldNames.IsOneOf(stem, _names, _suffixes));
    }

    /// <summary>
    /// The name without a trailing number of one or two digits when it has one and the stem keeps at least three letters
    /// (<c>password1</c>, <c>new_password2</c>, <c>phone2</c>); null otherwise. A form that asks for a value twice numbers its
    /// fields: Django's and allauth's sign-up, password change and reset forms send <c>password1</c>/<c>password2</c> and
    /// <c>new_password1</c>/<c>new_password2</c>, which kept the typed password raw (QA round 16a). Names listed with
    /// their digit (<c>cvv2</c>, <c>address1</c>) still match as listed.
    /// </summary>
    internal static string? NumberedStem(string field)
    {
        var end = field.Length;
        while (end > 0 && end > field.Length - 2 && char.IsAsciiDigit(field[end - 1]))
        {
            end--;
        }

        return end == field.Length || end < 3 || char.IsAsciiDigit(field[end - 1]) ? null : field[..end];
    }

    /// <summary>
    /// True when the parent names one of <paramref name="parents"/>: exactly, as a suffix (<c>createUser</c>,
    /// <c>billingCustomer</c>), plural (<c>users</c>), or as a SOAP/GraphQL wrapper (<c>GetCustomerResponse</c>).
    /// </summary>
    internal static bool ParentMatches(string parent, string[] parents)
    {
        if (parents.Length == 0 || parent.Length == 0)
        {
            return false;
        }

        if (Matches(parent, parents))
        {
            return true;
        }

        foreach (var wrapper in OperationSuffixes)
        {
            if (parent.Length > wrapper.Length + 2 && parent.EndsWith(wrapper, StringComparison.Ordinal))
            {
                return Matches(parent[..^wrapper.Length], parents);
            }
        }

        foreach (var cardinality in CrudSuffixes)
        {
            if (parent.Length > cardinality.Length + 2 && parent.EndsWith(cardinality, StringComparison.Ordinal) && parent[^(cardinality.Length + 1)] == 's')
            {
                return Matches(parent[..^cardinality.Length], parents);
            }
        }

        return false;
    }

    /// <summary>
    /// True when an inferred parent (<see cref="PersonContext.Words"/> form: <c>create-user</c>) names one of
    /// <paramref name="parents"/> as a whole word: its last word, past SOAP/GraphQL wrapper words
    /// (<c>create-user-payload</c>), equals a parent or its plural (<c>users</c>, <c>nurses</c>, <c>-ies</c> for
    /// <c>-y</c>). Plain suffixes do not count: <c>factors</c> is not <c>actor</c>s.
    /// </summary>
    internal static bool InferredParentMatches(string parent, string[] parents)
    {
        if (parents.Length == 0 || parent.Length == 0)
        {
            return false;
        }

        var words = parent.AsSpan();
        var last = words[(words.LastIndexOf('-') + 1)..];
        while (last.Length < words.Length
            && (Array.IndexOf(OperationSuffixes, last.ToString()) >= 0
                || (Array.IndexOf(CrudSuffixes, last.ToString()) >= 0 && words[words.Length - last.Length - 2] == 's')))
        {
            words = words[..(words.Length - last.Length - 1)];
            last = words[(words.LastIndexOf('-') + 1)..];
        }

        foreach (var candidate in parents)
        {
            if (last.SequenceEqual(candidate)
                || (last.Length == candidate.Length + 1 && last[^1] == 's' && last.StartsWith(candidate, StringComparison.Ordinal))
                || (last.Length == candidate.Length + 2 && last.EndsWith("es", StringComparison.Ordinal) && last.StartsWith(candidate, StringComparison.Ordinal))
                || (candidate[^1] == 'y' && last.Length == candidate.Length + 2 && last.EndsWith("ies", StringComparison.Ordinal) && last.StartsWith(candidate.AsSpan(0, candidate.Length - 1), StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Matches(string parent, string[] parents)
    {
        foreach (var candidate in parents)
        {
            if (parent.EndsWith(candidate, StringComparison.Ordinal) || (parent.Length > candidate.Length && parent[^1] == 's' && parent.AsSpan(0, parent.Length - 1).EndsWith(candidate, StringComparison.Ordinal)))
            {
                if (candidate == "name" && !IsPersonsName(parent, parents))
                {
                    continue;
                }

                return true;
            }
        }

        return false;
    }

    // Words that make a "...name" parent a person's name: fullName, legalName, displayName.
    private static readonly string[] PersonNameWords = ["full", "given", "family", "legal", "display", "preferred", "maiden", "birth", "real", "personal", "first", "last", "middle"];

    /// <summary>
    /// True when a parent ending in <c>name</c> is a person's name (<c>name</c>, <c>names</c>, <c>fullName</c>,
    /// <c>customerName</c>), not the name of a thing (<c>labelName</c>, <c>seriesCountByMetricName</c>,
    /// <c>fileName</c>): Prometheus' TSDB status lists <c>{"name": "instance", "value": 9}</c> under
    /// <c>labelValueCountByLabelName</c>, and every label name was tokenized as a person's (QA round 7).
    /// </summary>
    private static bool IsPersonsName(string parent, string[] parents)
    {
        var stem = parent.EndsWith("names", StringComparison.Ordinal) ? parent[..^1] : parent;
        if (!stem.EndsWith("name", StringComparison.Ordinal))
        {
            return false;
        }

        var prefix = stem[..^4];
        if (prefix.Length == 0 || Array.IndexOf(PersonNameWords, prefix) >= 0)
        {
            return true;
        }

        foreach (var candidate in parents)
        {
            if (candidate != "name" && prefix.EndsWith(candidate, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public bool Matches(in FieldContext field, string value) =>
        value.Length > 0 && MatchesName(field) && !IsLabel(field, value) && !NamesItsOwnEntry(field, value) && _valueCheck(value)
        && (_leaves is null || !_leaves(field, value));

    /// <summary>
    /// True when the field counts only through its parent (<c>name</c>, <c>id</c>) and the value restates that parent's
    /// own key: <c>{"dimensions": {"user": {"name": "user"}, "guest": {"name": "guest"}}}</c>, a map whose entries are
    /// keyed by their own id. The key names the entry, not a person or an account inside it; Netdata lists every chart's
    /// dimensions so, and CPU time "user" and "guest" were tokenized as people's names (QA round 13c).
    /// </summary>
    private bool NamesItsOwnEntry(in FieldContext field, string value) =>
        !field.ParentInferred
        && field.Parent.Length > 0
        && _childNames.Contains(field.Field)
        && !FieldNames.IsOneOf(field.Field, _names, _suffixes)
        && value.Length <= 256
        && FieldNames.Normalize(value) == field.Parent;

    /// <summary>
    /// True when <paramref name="value"/> is the field's own label, not its value: display text (capitalised or spaced)
    /// whose words restate the field's last words and, read as a field name, name the same thing (<c>password: `Password`</c>,
    /// <c>forgot_password: "Forgot Password"</c>, <c>full_name: "Full Name"</c>, <c>api_key: "API Key"</c>). A web app's
    /// translation table is made of such pairs; masked, the same-value pass then masked the word in every identifier of
    /// the bundle (<c>Y.********</c>) and the served script no longer parsed (QA round 12c). A lower-case value equal to
    /// its key (<c>"password": "password"</c>) is still judged: that is how a weak password is typed. So is a password in a
    /// request, whatever it reads like (<c>{"password": "Password"}</c> at a login is a weak password typed, not a label:
    /// translation tables are served, not sent).
    /// </summary>
    private bool IsLabel(in FieldContext field, string value)
    {
        if ((field.InRequest && Kind is DataKind.Password or DataKind.Secret) || value.Length < 3 || value.Length > 64 || !(char.IsUpper(value[0]) || value.Contains(' ', StringComparison.Ordinal)))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsLetter(c) && c is not (' ' or '_' or '-'))
            {
                return false;
            }
        }

        var words = FieldNames.Normalize(value);
        return words.Length >= 3
            && field.Field.EndsWith(words, StringComparison.Ordinal)
            && MatchesName(field with { Field = words });
    }
}
