namespace Reprise.Redaction.Policy;

/// <summary>A field name seen in traffic, cached per policy: its raw and normalised forms and the field detectors it selects.</summary>
internal sealed class FieldName
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<FieldName, FieldDetectorEntry[]>? _byParent;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<FieldName, FieldDetectorEntry[]>? _byInferredParent;
    private string? _inferredKey;

    public FieldName(string raw, string normalized, FieldDetectorEntry[] candidates, bool needsParent)
    {
        Raw = raw;
        Utf8 = System.Text.Encoding.UTF8.GetBytes(raw);
        Normalized = normalized;
        Candidates = candidates;
        NeedsParent = needsParent;
        var stats = Detection.TextStats.Of(raw);
        MayHoldData = stats.Length >= 6 && (stats.At > 0 || stats.Digits >= 9 || stats.MaxRun >= 16);
        if (needsParent)
        {
            _byParent = new(ReferenceEqualityComparer.Instance);
            _byInferredParent = new(ReferenceEqualityComparer.Instance);
        }

        IsWrapper = Detection.PersonContext.IsWrapper(normalized);
        IsMapKey = IsKeyOfAMap(raw, out var dotted);
        IsDottedKey = dotted;
        IsCollectionWrapper = Detection.PersonContext.IsCollectionWrapper(normalized);
        IsNonPerson = Detection.PersonContext.IsNonPerson(normalized);
        Span<Detection.DataKind> kinds = stackalloc Detection.DataKind[candidates.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            kinds[i] = candidates[i].Detector.Kind;
        }

        IsPersonEvidence = Detection.PersonContext.IsEvidence(normalized, kinds);
        IsSignUpEvidence = Detection.PersonContext.IsSignUpEvidence(normalized);
        IsSearchTerm = Engine.NameSearchTerms.IsSearchMember(raw, normalized);
        IsPairName = normalized is "name" or "key" or "macro" or "variable" or "var" or "param" or "parameter" or "setting" or "option" or "property";
    }

    /// <summary>
    /// True when the member names the value of its object's <c>value</c> member: <c>{"name": "DB_PASSWORD", "value": …}</c>
    /// (Kubernetes' env), <c>{"key": …}</c> (settings lists), <c>{"macro": "{$DB.PASSWORD}"}</c> (Zabbix), <c>variable</c>, <c>param</c>.
    /// </summary>
    public bool IsPairName { get; }

    /// <summary>True when the field holds a search term or a filter operand (<c>q</c>, <c>search</c>, <c>_contains</c>, <c>$regex</c>): see <see cref="Engine.NameSearchTerms"/>.</summary>
    public bool IsSearchTerm { get; }

    /// <summary>True when the field only wraps its content (<c>data</c>, <c>items</c>, <c>variables</c>): context is looked up past it.</summary>
    public bool IsWrapper { get; }

    /// <summary>
    /// True when the name is a key of a map, not a field of a schema: digits (<c>"24896"</c>, a process id) or dotted
    /// words (<c>"users.cpu_user"</c>, <c>"netdata.clients"</c>: a metric, chart or host name). Schemas do not put dots
    /// in field names (every path language reads a dot as a step), so such a key says nothing about what its object is;
    /// the context is the map's own field (<c>charts</c>, <c>users</c>), looked up past it. Read as a parent,
    /// <c>users.cpu_user</c> ended in <c>user</c> and every chart's <c>id</c>, <c>name</c> and <c>family</c> under it was
    /// tokenized as a person's (QA round 13c, Netdata).
    /// </summary>
    public bool IsMapKey { get; }

    /// <summary>
    /// True when <see cref="IsMapKey"/> holds for dots, not digits: such a key is a map's only inside a field that names the
    /// map (<c>charts</c>, <c>users</c>); under a wrapper or at the top it is a namespaced field (<c>"user.profile"</c>).
    /// </summary>
    public bool IsDottedKey { get; }

    private static bool IsKeyOfAMap(string raw, out bool isDotted)
    {
        isDotted = false;
        if (raw.Length == 0)
        {
            return false;
        }

        var digits = true;
        var dotted = false;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            digits &= char.IsAsciiDigit(c);
            if (c == '.' && i > 0 && i < raw.Length - 1 && char.IsAsciiLetterOrDigit(raw[i - 1]) && char.IsAsciiLetterOrDigit(raw[i + 1]))
            {
                dotted = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        isDotted = dotted && !digits;
        return digits || dotted;
    }

    /// <summary>True when the field is a wrapper holding a collection (<c>items</c>, <c>records</c>, <c>content</c>): looked through only up to the body's top.</summary>
    public bool IsCollectionWrapper { get; }

    /// <summary>True when, as a parent or resource, the name is a thing whose <c>name</c> is never a person (<c>products</c>, <c>company</c>).</summary>
    public bool IsNonPerson { get; }

    /// <summary>True when a value under this field shows its object describes a person (<c>email</c>, <c>phone</c>, <c>firstName</c>, <c>birthDate</c>).</summary>
    public bool IsPersonEvidence { get; }

    /// <summary>True when a value under this field shows its object may be a person signing up (<c>password</c>): a sibling name written as a full name is a person's.</summary>
    public bool IsSignUpEvidence { get; }

    /// <summary>The candidates when the parent is inferred (the request's resource, or sibling evidence), cached by parent instance.</summary>
    public FieldDetectorEntry[] CandidatesInferred(FieldName parent, RedactionModel model)
    {
        if (_byInferredParent is null)
        {
            return Candidates;
        }

        if (_byInferredParent.TryGetValue(parent, out var cached))
        {
            return cached;
        }

        var result = model.FieldCandidates(Normalized, parent.InferredKey, inferred: true);
        if (_byInferredParent.Count < 1024)
        {
            _byInferredParent.TryAdd(parent, result);
        }

        return result;
    }

    /// <summary>True when the name itself could be data (maps keyed by email or card number).</summary>
    public bool MayHoldData { get; }

    /// <summary>The candidates inside a given parent (cached by parent instance).</summary>
    public FieldDetectorEntry[] CandidatesIn(FieldName? parent, RedactionModel model)
    {
        if (_byParent is null)
        {
            return Candidates;
        }

        var key = parent ?? this;
        if (_byParent.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var result = model.FieldCandidates(Normalized, parent?.Normalized ?? string.Empty);
        if (_byParent.Count < 1024)
        {
            _byParent.TryAdd(key, result);
        }

        return result;
    }

    public string Raw { get; }

    /// <summary>The name as lower-case words (<c>create-user</c>): how an inferred parent is matched, on word boundaries.</summary>
    public string InferredKey => _inferredKey ??= Detection.PersonContext.Words(Raw);

    /// <summary><see cref="Raw"/> as UTF-8 (what an unescaped JSON property name's bytes are).</summary>
    public byte[] Utf8 { get; }

    public string Normalized { get; }

    /// <summary>The candidates when the parent does not matter (valid when <see cref="NeedsParent"/> is false).</summary>
    public FieldDetectorEntry[] Candidates { get; }

    /// <summary>True when some detector selects this field only inside certain parents.</summary>
    public bool NeedsParent { get; }
}
