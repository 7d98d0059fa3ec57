using System.Collections.Concurrent;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Rules;

namespace Reprise.Redaction.Policy;

/// <summary>A detector with the action it triggers.</summary>
internal readonly record struct ValueDetectorEntry(IValueDetector Detector, ActionSpec Action, RuleScope Scope);

/// <summary>A field detector with the action it triggers.</summary>
internal readonly record struct FieldDetectorEntry(IFieldDetector Detector, ActionSpec Action);

/// <summary>The built, immutable policy the engine runs: arrays built once, no per-exchange allocation of rule state.</summary>
internal sealed class RedactionModel
{
    private const int MaxCachedNames = 50_000;
    private const int MaxCachedHeaderNames = 1024;
    private readonly ConcurrentDictionary<string, HeaderName> _headerNames = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Field, string Parent, bool Inferred), FieldDetectorEntry[]> _fieldCandidates = new();
    private readonly ConcurrentDictionary<string, FieldName> _names = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FieldName>.AlternateLookup<ReadOnlySpan<char>> _nameLookup;
    private readonly ConcurrentDictionary<byte[], FieldName> _utf8Names = new(Utf8KeyComparer.Instance);
    private readonly ConcurrentDictionary<byte[], FieldName>.AlternateLookup<ReadOnlySpan<byte>> _utf8NameLookup;

    public RedactionModel(
        string name, RedactionKey key, ValueDetectorEntry[] valueDetectors, FieldDetectorEntry[] fieldDetectors,
        JsonPathRule[] jsonRules, XPathRule[] xmlRules, NamedFieldRule[] formRules, NamedFieldRule[] queryRules, NamedFieldRule[] headerRules, HeaderPolicy headers)
    {
        Name = name;
        Key = key;
        Rewriter = new ValueRewriter(key);
        ValueDetectors = valueDetectors;
        FieldDetectors = fieldDetectors;
        JsonRules = jsonRules;
        XmlRules = xmlRules;
        FormRules = formRules;
        QueryRules = queryRules;
        HeaderRules = headerRules;
        Headers = headers;
        _nameLookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        _utf8NameLookup = _utf8Names.GetAlternateLookup<ReadOnlySpan<byte>>();
        var builtInOnly = true;
        foreach (var entry in valueDetectors)
        {
            builtInOnly &= Detection.BuiltInPrefilter.Covers(entry.Detector);
        }

        BuiltInValueDetectorsOnly = builtInOnly;
        SecretAction = ActionSpec.Mask();
        foreach (var entry in fieldDetectors)
        {
            if (entry.Detector.Kind == DataKind.Secret)
            {
                SecretAction = entry.Action;
                break;
            }
        }
    }

    /// <summary>
    /// The action the policy gives secrets (the <c>secret</c> detector's; mask when it is off), for secrets found by
    /// rules of their own (a query's <c>key=</c>, <c>sig=</c>): with <c>secret: tokenize</c> an API key sent as <c>?key=</c>
    /// and as a header is one token, so replay pairs them.
    /// </summary>
    public ActionSpec SecretAction { get; }

    /// <summary>
    /// What the policy says about a header name (lower-cased, allowed, denied, a URL header, its field name), cached by
    /// the name as it came (bounded): the usual <c>Content-Type</c> and <c>Authorization</c> cost one lookup per
    /// exchange instead of a lower-casing lookup and up to three set probes.
    /// </summary>
    public HeaderName HeaderNameOf(string name)
    {
        if (_headerNames.TryGetValue(name, out var cached))
        {
            return cached;
        }

        var lower = Engine.HeaderRedactor.LowerName(name);
        var info = new HeaderName(
            lower,
            Headers.IsAllowed(lower),
            Headers.IsDenied(lower),
            Engine.HeaderRedactor.IsUrlHeader(lower),
            FieldNameOf(lower.StartsWith("x-", StringComparison.Ordinal) ? lower.AsSpan(2) : lower));
        if (_headerNames.Count < MaxCachedHeaderNames)
        {
            _headerNames.TryAdd(name, info);
        }

        return info;
    }

    /// <summary>True when every value detector is a built-in, so <see cref="Detection.BuiltInPrefilter"/> can stand for their <c>MayMatch</c>.</summary>
    public bool BuiltInValueDetectorsOnly { get; }

    /// <summary>The cached description of a field name given as UTF-8 (unescaped JSON property bytes): no decoding on a hit.</summary>
    public FieldName FieldNameOfUtf8(ReadOnlySpan<byte> raw)
    {
        if (_utf8NameLookup.TryGetValue(raw, out var cached))
        {
            return cached;
        }

        var name = FieldNameOf(System.Text.Encoding.UTF8.GetString(raw));
        if (_utf8Names.Count < MaxCachedNames)
        {
            _utf8Names.TryAdd(raw.ToArray(), name);
        }

        return name;
    }

    public string Name { get; }

    public RedactionKey Key { get; }

    public ValueRewriter Rewriter { get; }

    public ValueDetectorEntry[] ValueDetectors { get; }

    public FieldDetectorEntry[] FieldDetectors { get; }

    public JsonPathRule[] JsonRules { get; }

    public XPathRule[] XmlRules { get; }

    public NamedFieldRule[] FormRules { get; }

    public NamedFieldRule[] QueryRules { get; }

    public NamedFieldRule[] HeaderRules { get; }

    public HeaderPolicy Headers { get; }

    /// <summary>The cached description of a raw field name (allocation-free on a hit).</summary>
    public FieldName FieldNameOf(ReadOnlySpan<char> raw)
    {
        if (_nameLookup.TryGetValue(raw, out var cached))
        {
            return cached;
        }

        var text = raw.ToString();
        var normalized = Detection.FieldNames.Normalize(raw);
        var needsParent = IsChildName(normalized);

        var name = new FieldName(text, normalized, FieldCandidates(normalized, string.Empty), needsParent);
        if (_names.Count < MaxCachedNames)
        {
            _names.TryAdd(text, name);
        }

        return name;
    }

    /// <summary>
    /// True when some field detector selects <paramref name="normalized"/> only inside certain parents (<c>name</c>,
    /// <c>id</c>): the one case where a field's candidates depend on its parent (every other detector either selects the
    /// name alone, whatever the parent, or is not a name-list detector and is a candidate of every field).
    /// </summary>
    public bool IsChildName(string normalized)
    {
        foreach (var entry in FieldDetectors)
        {
            if (entry.Detector is Detection.FieldNameDetector named && named.IsChildName(normalized))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The first field detector that selects <paramref name="field"/> and matches <paramref name="value"/> (of
    /// <paramref name="kind"/> only, when given); false when none does.
    /// </summary>
    public bool TryMatchField(in FieldContext field, string value, out FieldDetectorEntry match, Detection.DataKind? kind = null)
    {
        foreach (var entry in FieldCandidates(field.Field, field.Parent, field.ParentInferred))
        {
            if ((kind is null || entry.Detector.Kind == kind) && entry.Detector.Matches(field, value))
            {
                match = entry;
                return true;
            }
        }

        match = default;
        return false;
    }

    /// <summary>The field detectors whose names select this field (cached: field names repeat across exchanges).</summary>
    public FieldDetectorEntry[] FieldCandidates(string field, string parent, bool inferred = false)
    {
        if (_fieldCandidates.TryGetValue((field, parent, inferred), out var cached))
        {
            return cached;
        }

        List<FieldDetectorEntry>? list = null;
        var context = new FieldContext(field, parent, inferred);
        foreach (var entry in FieldDetectors)
        {
            if (entry.Detector is FieldNameDetector named ? named.MatchesName(context) : true)
            {
                (list ??= []).Add(entry);
            }
        }

        var result = list is null ? [] : list.ToArray();
        if (_fieldCandidates.Count < 50_000)
        {
            _fieldCandidates.TryAdd((field, parent, inferred), result);
        }

        return result;
    }
}
