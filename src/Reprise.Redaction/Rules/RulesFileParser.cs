using System.Globalization;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Policy;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Reprise.Redaction.Rules;

/// <summary>
/// Reads a YAML rules file into a policy, collecting every error as <c>FILE:LINE: where: what</c>
/// (line numbers from YamlDotNet marks). See docs/redaction.md for the format.
/// </summary>
public static class RulesFileParser
{
    private static readonly HashSet<string> TopKeys = ["version", "name", "extends", "key", "detectors", "headers", "rules"];
    private static readonly HashSet<string> RuleKeys = ["name", "action", "keepLast", "kind", "scope", .. RuleFactories.BySelector.Keys];

    public static PolicyLoadResult Parse(string text, string path, RedactionKey? key = null)
    {
        var errors = new List<string>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            var colon = message.IndexOf("): ", StringComparison.Ordinal);
            return Fail($"{path}:{ex.Start.Line}: invalid YAML: {(colon >= 0 ? message[(colon + 3)..] : message)}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return Fail($"{path}:1: the rules file must be a mapping (name:, detectors:, headers:, rules:)");
        }

        string At(YamlNode node) => $"{path}:{node.Start.Line}";
        foreach (var (k, _) in root.Children)
        {
            if (!TopKeys.Contains(Scalar(k) ?? string.Empty))
            {
                errors.Add($"{At(k)}: unknown key '{Scalar(k)}' (expected: {string.Join(", ", TopKeys)})");
            }
        }

        if (Get(root, "version") is { } version && Scalar(version) != "1")
        {
            errors.Add($"{At(version)}: version: '{Scalar(version)}' is not supported (expected 1)");
        }

        var extends = Get(root, "extends") is { } ext ? Scalar(ext) : "default";
        RedactionPolicyBuilder builder;
        switch (extends)
        {
            case "default": builder = RedactionPolicyBuilder.CreateDefault(); break;
            case "none": builder = RedactionPolicyBuilder.CreateEmpty(); break;
            default:
                errors.Add($"{At(Get(root, "extends")!)}: extends: '{extends}' is not 'default' or 'none'");
                builder = RedactionPolicyBuilder.CreateDefault();
                break;
        }

        builder.WithName(Get(root, "name") is { } name && Scalar(name) is { Length: > 0 } n ? n : Path.GetFileNameWithoutExtension(path));
        if (ReadKey(Get(root, "key"), path, errors, At) is { } fileKey)
        {
            key = fileKey;
        }

        if (key is not null)
        {
            builder.WithKey(key);
        }

        ReadDetectors(Get(root, "detectors"), builder, errors, At);
        ReadHeaders(Get(root, "headers"), builder, errors, At);
        ReadRules(Get(root, "rules"), builder, errors, At);
        return errors.Count > 0 ? new PolicyLoadResult(null, errors) : new PolicyLoadResult(builder.Build(), []);

        PolicyLoadResult Fail(string error) => new(null, [error]);
    }

    private static RedactionKey? ReadKey(YamlNode? node, string path, List<string> errors, Func<YamlNode, string> at)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not YamlMappingNode map)
        {
            errors.Add($"{at(node)}: key: expected 'env: VARIABLE' or 'file: PATH'");
            return null;
        }

        RedactionKey? key = null;
        foreach (var (k, v) in map.Children)
        {
            var value = Scalar(v) ?? string.Empty;
            string? error = null;
            switch (Scalar(k))
            {
                case "env":
                    key ??= RedactionKey.TryFromEnvironment(value, out error);
                    if (key is null && error is null)
                    {
                        error = $"environment variable {value} is not set";
                    }

                    break;
                case "file":
                    var file = Path.IsPathRooted(value) ? value : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", value);
                    key ??= RedactionKey.TryFromFile(file, out error);
                    break;
                default:
                    error = $"unknown key '{Scalar(k)}' (expected env or file)";
                    break;
            }

            if (error is not null)
            {
                errors.Add($"{at(v)}: key.{Scalar(k)}: {error}");
            }
        }

        return key;
    }

    private static void ReadDetectors(YamlNode? node, RedactionPolicyBuilder builder, List<string> errors, Func<YamlNode, string> at)
    {
        if (node is null)
        {
            return;
        }

        if (node is not YamlMappingNode map)
        {
            errors.Add($"{at(node)}: detectors: expected a mapping of detector name to on, off, an action or {{ action:, keepLast: }}");
            return;
        }

        foreach (var (k, v) in map.Children)
        {
            var name = Scalar(k) ?? string.Empty;
            if (!BuiltInDetectors.ValueDetectors.ContainsKey(name) && !BuiltInDetectors.FieldDetectors.ContainsKey(name))
            {
                errors.Add($"{at(k)}: detectors.{name}: unknown detector (known: {string.Join(", ", BuiltInDetectors.AllNames)})");
                continue;
            }

            var value = Scalar(v);
            switch (value)
            {
                case "off" or "false":
                    builder.DisableDetector(name);
                    continue;
                case "on" or "true":
                    builder.EnableDetector(name);
                    continue;
            }

            if (ReadAction(v, $"detectors.{name}", errors, at) is { } action)
            {
                builder.EnableDetector(name, action);
            }
        }
    }

    private static ActionSpec? ReadAction(YamlNode node, string where, List<string> errors, Func<YamlNode, string> at)
    {
        string? actionText;
        int? keepLast = null;
        YamlNode actionNode = node;
        if (node is YamlMappingNode map)
        {
            actionNode = Get(map, "action") ?? node;
            actionText = Get(map, "action") is { } a ? Scalar(a) : null;
            if (Get(map, "keepLast") is { } keep)
            {
                keepLast = ReadKeepLast(keep, where, errors, at);
            }

            foreach (var (k, _) in map.Children)
            {
                if (Scalar(k) is not ("action" or "keepLast"))
                {
                    errors.Add($"{at(k)}: {where}: unknown key '{Scalar(k)}' (expected action, keepLast)");
                }
            }
        }
        else
        {
            actionText = Scalar(node);
        }

        if (!ActionSpec.TryParse(actionText, out var action))
        {
            errors.Add($"{at(actionNode)}: {where}.action: unknown action '{actionText}' (expected mask, tokenize, fake, drop, keep)");
            return null;
        }

        return new ActionSpec(action, keepLast);
    }

    private static int? ReadKeepLast(YamlNode node, string where, List<string> errors, Func<YamlNode, string> at)
    {
        if (int.TryParse(Scalar(node), NumberStyles.None, CultureInfo.InvariantCulture, out var keep) && keep <= 8)
        {
            return keep;
        }

        errors.Add($"{at(node)}: {where}.keepLast: '{Scalar(node)}' is not a number from 0 to 8");
        return null;
    }

    private static void ReadHeaders(YamlNode? node, RedactionPolicyBuilder builder, List<string> errors, Func<YamlNode, string> at)
    {
        if (node is null)
        {
            return;
        }

        if (node is not YamlMappingNode map)
        {
            errors.Add($"{at(node)}: headers: expected a mapping with allow, deny, action");
            return;
        }

        foreach (var (k, v) in map.Children)
        {
            switch (Scalar(k))
            {
                case "allow":
                    builder.AllowHeaders(List(v, "headers.allow", errors, at));
                    break;
                case "deny":
                    builder.DenyHeaders(List(v, "headers.deny", errors, at));
                    break;
                case "action":
                    if (ReadAction(v, "headers", errors, at) is { } action)
                    {
                        builder.WithHeaderAction(action);
                    }

                    break;
                default:
                    errors.Add($"{at(k)}: headers: unknown key '{Scalar(k)}' (expected allow, deny, action)");
                    break;
            }
        }
    }

    private static void ReadRules(YamlNode? node, RedactionPolicyBuilder builder, List<string> errors, Func<YamlNode, string> at)
    {
        if (node is null)
        {
            return;
        }

        if (node is not YamlSequenceNode rules)
        {
            errors.Add($"{at(node)}: rules: expected a list of rules");
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Children.Count; i++)
        {
            var item = rules.Children[i];
            var where = $"rules[{i}]";
            if (item is not YamlMappingNode rule)
            {
                errors.Add($"{at(item)}: {where}: expected a mapping (e.g. {{ json: $.user.email, action: tokenize }})");
                continue;
            }

            foreach (var (k, _) in rule.Children)
            {
                if (!RuleKeys.Contains(Scalar(k) ?? string.Empty))
                {
                    errors.Add($"{at(k)}: {where}: unknown key '{Scalar(k)}' (expected a selector ({string.Join(", ", RuleFactories.BySelector.Keys.Order(StringComparer.Ordinal))}) and name, action, keepLast, kind, scope)");
                }
            }

            var selectors = rule.Children.Where(c => RuleFactories.BySelector.ContainsKey(Scalar(c.Key) ?? string.Empty)).ToList();
            if (selectors.Count != 1)
            {
                errors.Add($"{at(rule)}: {where}: needs exactly one selector ({string.Join(", ", RuleFactories.BySelector.Keys.Order(StringComparer.Ordinal))}), found {selectors.Count}");
                continue;
            }

            var selector = Scalar(selectors[0].Key)!;
            var value = Scalar(selectors[0].Value) ?? string.Empty;
            var name = Get(rule, "name") is { } n ? Scalar(n) ?? string.Empty : $"{selector}:{value}";
            if (!names.Add(name))
            {
                errors.Add($"{at(rule)}: {where}.name: '{name}' is used by another rule");
            }

            var action = Get(rule, "action") is { } actionNode ? ReadAction(actionNode, where, errors, at) : ActionSpec.Mask();
            if (action is { } a && Get(rule, "keepLast") is { } keep)
            {
                action = a with { KeepLast = ReadKeepLast(keep, where, errors, at) };
            }

            var kind = DataKind.Generic;
            if (Get(rule, "kind") is { } kindNode && !Enum.TryParse(Scalar(kindNode)?.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true, out kind))
            {
                errors.Add($"{at(kindNode)}: {where}.kind: unknown kind '{Scalar(kindNode)}' (expected one of {string.Join(", ", Enum.GetNames<DataKind>().Select(k => k.ToLowerInvariant()))})");
            }

            var scope = RuleScope.Both;
            if (Get(rule, "scope") is { } scopeNode)
            {
                switch (Scalar(scopeNode))
                {
                    case "request": scope = RuleScope.Request; break;
                    case "response": scope = RuleScope.Response; break;
                    case "both": break;
                    default:
                        errors.Add($"{at(scopeNode)}: {where}.scope: '{Scalar(scopeNode)}' is not request, response or both");
                        break;
                }
            }

            if (action is null)
            {
                continue;
            }

            var built = RuleFactories.BySelector[selector].Build(new RuleOptions(name, selector, value, scope, kind, action.Value, $"{at(selectors[0].Value)}: {where}.{selector}"), errors);
            if (built is not null)
            {
                builder.AddRule(built);
            }
        }
    }

    private static List<string> List(YamlNode node, string where, List<string> errors, Func<YamlNode, string> at)
    {
        if (node is YamlSequenceNode sequence)
        {
            return [.. sequence.Children.Select(c => Scalar(c) ?? string.Empty).Where(s => s.Length > 0)];
        }

        if (Scalar(node) is { Length: > 0 } single)
        {
            return [single];
        }

        errors.Add($"{at(node)}: {where}: expected a list of header names");
        return [];
    }

    private static YamlNode? Get(YamlMappingNode map, string key)
    {
        foreach (var (k, v) in map.Children)
        {
            if (Scalar(k) == key)
            {
                return v;
            }
        }

        return null;
    }

    private static string? Scalar(YamlNode node) => node is YamlScalarNode scalar ? scalar.Value : null;
}
