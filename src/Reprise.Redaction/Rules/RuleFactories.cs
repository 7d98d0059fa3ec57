using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Reprise.Core.Json;
using Reprise.Redaction.XmlPath;

namespace Reprise.Redaction.Rules;

/// <summary>The built-in rule factories, resolved by selector key; an unknown key is a validation error.</summary>
public static class RuleFactories
{
    public static readonly FrozenDictionary<string, IRedactionRuleFactory> BySelector = new IRedactionRuleFactory[]
    {
        new JsonPathRuleFactory(), new XPathRuleFactory(), new NamedFieldRuleFactory("form", RuleTarget.Form),
        new NamedFieldRuleFactory("query", RuleTarget.Query), new NamedFieldRuleFactory("header", RuleTarget.Header), new RegexRuleFactory(),
    }.ToFrozenDictionary(f => f.Selector, StringComparer.Ordinal);

    private sealed class JsonPathRuleFactory : IRedactionRuleFactory
    {
        public string Selector => "json";

        public IRedactionRule? Build(RuleOptions options, List<string> errors)
        {
            var path = JsonPath.TryParse(options.Value, out var error);
            if (path is null)
            {
                errors.Add($"{options.Where}: invalid JSON path {error}");
                return null;
            }

            return new JsonPathRule(options.Name, path, options.Scope, options.Kind, options.Action);
        }
    }

    private sealed class XPathRuleFactory : IRedactionRuleFactory
    {
        public string Selector => "xpath";

        public IRedactionRule? Build(RuleOptions options, List<string> errors)
        {
            var path = XPathSubset.TryParse(options.Value, out var error);
            if (path is null)
            {
                errors.Add($"{options.Where}: invalid XPath '{options.Value}': {error}");
                return null;
            }

            return new XPathRule(options.Name, path, options.Scope, options.Kind, options.Action);
        }
    }

    private sealed class NamedFieldRuleFactory(string selector, RuleTarget target) : IRedactionRuleFactory
    {
        public string Selector => selector;

        public IRedactionRule? Build(RuleOptions options, List<string> errors)
        {
            if (string.IsNullOrWhiteSpace(options.Value) || options.Value.Any(char.IsControl))
            {
                errors.Add($"{options.Where}: '{options.Value}' is not a {selector} name");
                return null;
            }

            return new NamedFieldRule(options.Name, target, options.Value.Trim(), options.Scope, options.Kind, options.Action);
        }
    }

    private sealed class RegexRuleFactory : IRedactionRuleFactory
    {
        public string Selector => "regex";

        public IRedactionRule? Build(RuleOptions options, List<string> errors)
        {
            try
            {
                // A match timeout bounds a pathological user pattern; the engine treats a timeout as a failure of that value.
                var regex = new Regex(options.Value, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
                if (regex.IsMatch(string.Empty))
                {
                    errors.Add($"{options.Where}: regex '{options.Value}' matches the empty string");
                    return null;
                }

                return new RegexRule(options.Name, regex, options.Scope, options.Kind, options.Action);
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{options.Where}: invalid regex '{options.Value}': {ex.Message}");
                return null;
            }
        }
    }
}
