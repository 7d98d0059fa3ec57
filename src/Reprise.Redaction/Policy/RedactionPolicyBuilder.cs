using System.Text;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Rules;

namespace Reprise.Redaction.Policy;

/// <summary>
/// Builds a <see cref="RedactionPolicy"/>: start from <see cref="CreateDefault"/> (every detector on,
/// default header lists) or <see cref="CreateEmpty"/>, adjust, then <see cref="Build"/>.
/// </summary>
public sealed class RedactionPolicyBuilder
{
    private readonly Dictionary<string, ActionSpec?> _detectors = new(StringComparer.Ordinal);
    private readonly List<IRedactionRule> _rules = [];
    private readonly List<string> _allow = [];
    private readonly List<string> _deny = [];
    private readonly List<string> _denyFragments = [];
    private string _name = "default";
    private RedactionKey? _key;
    private ActionSpec _headerAction = ActionSpec.Mask();
    private bool _headerActionSet;

    private RedactionPolicyBuilder()
    {
    }

    /// <summary>Every built-in detector with its default action, and the default header allow/deny lists.</summary>
    public static RedactionPolicyBuilder CreateDefault()
    {
        var builder = new RedactionPolicyBuilder();
        foreach (var name in BuiltInDetectors.AllNames)
        {
            builder._detectors[name] = null;
        }

        builder._allow.AddRange(HeaderPolicy.DefaultAllow);
        builder._deny.AddRange(HeaderPolicy.DefaultDeny);
        builder._denyFragments.AddRange(HeaderPolicy.DefaultDenyFragments);
        return builder;
    }

    /// <summary>No detectors and no header lists: only the rules added.</summary>
    public static RedactionPolicyBuilder CreateEmpty() => new() { _name = "custom" };

    public RedactionPolicyBuilder WithName(string name)
    {
        _name = name;
        return this;
    }

    /// <summary>The tokenization key. Without one, <see cref="Build"/> uses REPRISE_REDACTION_KEY, else an ephemeral key.</summary>
    public RedactionPolicyBuilder WithKey(RedactionKey key)
    {
        _key = key;
        return this;
    }

    /// <summary>Turns a built-in detector on with an action (null: its default).</summary>
    public RedactionPolicyBuilder EnableDetector(string name, ActionSpec? action = null)
    {
        if (!BuiltInDetectors.ValueDetectors.ContainsKey(name) && !BuiltInDetectors.FieldDetectors.ContainsKey(name))
        {
            throw new ArgumentException($"unknown detector '{name}'", nameof(name));
        }

        _detectors[name] = action;
        return this;
    }

    public RedactionPolicyBuilder DisableDetector(string name)
    {
        _detectors.Remove(name);
        return this;
    }

    public RedactionPolicyBuilder AddRule(IRedactionRule rule)
    {
        _rules.Add(rule);
        return this;
    }

    /// <summary>Headers never touched (wins over the deny list).</summary>
    public RedactionPolicyBuilder AllowHeaders(params IEnumerable<string> names)
    {
        _allow.AddRange(names);
        return this;
    }

    /// <summary>Headers always redacted whole.</summary>
    public RedactionPolicyBuilder DenyHeaders(params IEnumerable<string> names)
    {
        _deny.AddRange(names);
        return this;
    }

    public RedactionPolicyBuilder WithHeaderAction(ActionSpec action)
    {
        _headerAction = action;
        _headerActionSet = true;
        return this;
    }

    public RedactionPolicy Build()
    {
        var key = _key ?? RedactionKey.TryFromEnvironment(RedactionKey.EnvironmentVariable, out _) ?? RedactionKey.Ephemeral();
        var values = new List<ValueDetectorEntry>();
        var fields = new List<FieldDetectorEntry>();
        var description = new StringBuilder();
        description.Append("reprise-redaction/").Append(typeof(RedactionPolicy).Assembly.GetName().Version?.ToString(3)).Append('\n');
        description.Append("name=").Append(_name).Append("\nkey=").Append(key.Id).Append('\n');
        var faked = FakedKinds();
        if (faked.Contains(DataKind.IpAddress))
        {
            // Where fake addresses go is part of the policy: a recording faked into 192.0.2.0/24 (before QA round 14a)
            // has another digest, so mock and replay warn that its fakes will not line up.
            description.Append("fake ip-address 198.18.0.0/15 2001:db8::/32\n");
        }

        foreach (var (name, action) in _detectors.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            if (BuiltInDetectors.ValueDetectors.TryGetValue(name, out var makeValue))
            {
                var detector = makeValue();
                if (faked.Contains(detector.Kind))
                {
                    detector = SkippingFakeShapes(detector);
                }

                var spec = action ?? BuiltInDetectors.DefaultAction(detector.Kind);
                values.Add(new ValueDetectorEntry(detector, spec, RuleScope.Both));
                description.Append("detector ").Append(name).Append(' ').Append(spec).Append('\n');
            }
            else if (BuiltInDetectors.FieldDetectors.TryGetValue(name, out var makeField))
            {
                var detector = makeField();
                var spec = action ?? BuiltInDetectors.DefaultAction(detector.Kind);
                fields.Add(new FieldDetectorEntry(detector, spec));
                description.Append("detector ").Append(name).Append(' ').Append(spec).Append('\n');
            }
        }

        foreach (var rule in _rules)
        {
            description.Append("rule ").Append(rule.Name).Append(' ').Append(rule.Target).Append(' ').Append(Selector(rule)).Append(' ')
                .Append(rule.Action).Append(' ').Append(rule.Kind).Append(' ').Append(rule.Scope).Append('\n');
            if (rule is RegexRule regex)
            {
                // User regexes run before built-ins so their action wins on overlapping matches.
                values.Insert(0, new ValueDetectorEntry(regex, regex.Action, regex.Scope));
            }
        }

        // A denied header holds a secret: with `secret: tokenize` (and no headers.action of its own) it is tokenized like
        // one, so the token a login answered (`access_token`, tokenized) and the credential sent back with it
        // (`Authorization: Bearer …`, masked) are the same token again and replay can pair them (Node-RED: every call
        // after the login answered 401).
        var headerAction = !_headerActionSet && _detectors.TryGetValue("secret", out var secret) && secret is { Action: RedactionAction.Tokenize } tokenize
            ? tokenize
            : _headerAction;
        var headers = new HeaderPolicy(_allow, _deny, _denyFragments, headerAction);
        description.Append("headers.allow=").AppendJoin(',', headers.Allow).Append('\n');
        description.Append("headers.deny=").AppendJoin(',', headers.Deny).Append('\n');
        description.Append("headers.denyFragments=").AppendJoin(',', headers.DenyFragments).Append('\n');
        description.Append("headers.action=").Append(headers.Action).Append('\n');
        var model = new RedactionModel(
            _name, key, [.. values], [.. fields],
            [.. _rules.OfType<JsonPathRule>()], [.. _rules.OfType<XPathRule>()],
            [.. _rules.OfType<NamedFieldRule>().Where(r => r.Target == RuleTarget.Form)],
            [.. _rules.OfType<NamedFieldRule>().Where(r => r.Target == RuleTarget.Query)],
            [.. _rules.OfType<NamedFieldRule>().Where(r => r.Target == RuleTarget.Header)],
            headers);
        return new RedactionPolicy(model, description.ToString());
    }

    /// <summary>The kinds a detector or rule of this policy fakes.</summary>
    private HashSet<DataKind> FakedKinds()
    {
        var kinds = new HashSet<DataKind>();
        foreach (var (name, action) in _detectors)
        {
            var kind = BuiltInDetectors.ValueDetectors.TryGetValue(name, out var makeValue) ? makeValue().Kind : BuiltInDetectors.FieldDetectors[name]().Kind;
            if ((action ?? BuiltInDetectors.DefaultAction(kind)) is { Action: RedactionAction.Fake })
            {
                kinds.Add(kind);
            }
        }

        foreach (var rule in _rules)
        {
            if (rule.Action is { Action: RedactionAction.Fake })
            {
                kinds.Add(rule.Kind);
            }
        }

        return kinds;
    }

    /// <summary>The same detector, skipping the values fakes of its kind use (so a faked value is not found again).</summary>
    private static IValueDetector SkippingFakeShapes(IValueDetector detector) => detector switch
    {
        CardNumberDetector => new CardNumberDetector { SkipFakeShapes = true },
        IbanDetector => new IbanDetector { SkipFakeShapes = true },
        PhoneDetector => new PhoneDetector { SkipFakeShapes = true },
        IpAddressDetector => new IpAddressDetector { SkipFakeShapes = true },
        _ => detector,
    };

    private static string Selector(IRedactionRule rule) => rule switch
    {
        JsonPathRule j => j.Path.Text,
        XPathRule x => x.Path.Text,
        NamedFieldRule n => n.FieldName,
        RegexRule r => r.Pattern.ToString(),
        _ => rule.Name,
    };
}
