using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Reprise.Diff.Noise;

/// <summary>
/// Reads ignore rules from YAML. Every problem is collected as one line naming the file, the line and the bad value.
/// <code>
/// ignoreArrayOrder: false
/// timeNoise: runs
/// ignore:
///   - path: "body:$.meta.**"
///     endpoint: "GET /orders/*"
///     reason: build metadata
///   - path: "header:x-build"
/// arrayKeys:
///   - path: "$.items"
///     key: sku
/// </code>
/// </summary>
public static class DiffRulesLoader
{
    /// <summary>Parses the text; returns the rules and the errors (empty when valid).</summary>
    public static (DiffRules Rules, List<string> Errors) Parse(string text, string file)
    {
        var errors = new List<string>();
        var rules = new DiffRules();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            var colon = message.IndexOf("): ", StringComparison.Ordinal); // YamlDotNet's "(Line: 2, Col: 3, ...) - (...): " position, already in FILE:LINE
            errors.Add($"{file}:{ex.Start.Line}: invalid YAML: {(colon >= 0 ? message[(colon + 3)..] : message)}");
            return (rules, errors);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return (rules, errors);
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add($"{file}:{stream.Documents[0].RootNode.Start.Line}: expected a mapping with ignore:, arrayKeys:, ignoreArrayOrder: or timeNoise:");
            return (rules, errors);
        }

        var ignore = new List<IgnoreRule>();
        var keys = new List<ArrayKeyRule>();
        foreach (var (keyNode, value) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value;
            switch (key)
            {
                case "ignore":
                    ForEachItem(value, file, "ignore", errors, (item, where) =>
                    {
                        var path = Scalar(item, "path", file, where, errors, required: true);
                        var endpoint = Scalar(item, "endpoint", file, where, errors, required: false);
                        var reason = Scalar(item, "reason", file, where, errors, required: false);
                        var glob = Try(() => LocationGlob.Parse(path ?? string.Empty), file, item, where + ".path", errors);
                        var endpointGlob = endpoint is null ? null : Try(() => EndpointGlob.Parse(endpoint), file, item, where + ".endpoint", errors);
                        if (glob is not null && path is not null)
                        {
                            ignore.Add(new IgnoreRule(glob, endpointGlob, reason ?? $"ignore rule in {Path.GetFileName(file)}", "rule"));
                        }
                    });
                    break;
                case "arrayKeys":
                    ForEachItem(value, file, "arrayKeys", errors, (item, where) =>
                    {
                        var path = Scalar(item, "path", file, where, errors, required: true);
                        var member = Scalar(item, "key", file, where, errors, required: true);
                        var endpoint = Scalar(item, "endpoint", file, where, errors, required: false);
                        if (path is not null && !path.StartsWith('$'))
                        {
                            errors.Add($"{file}:{item.Start.Line}: {where}.path: '{path}' must be a JSON path starting with $");
                            return;
                        }

                        var endpointGlob = endpoint is null ? null : Try(() => EndpointGlob.Parse(endpoint), file, item, where + ".endpoint", errors);
                        if (path is not null && member is not null)
                        {
                            keys.Add(new ArrayKeyRule(LocationGlob.Generalize(path), member, endpointGlob));
                        }
                    });
                    break;
                case "ignoreArrayOrder":
                    if (value is YamlScalarNode { Value: "true" or "false" } flag)
                    {
                        rules = rules with { IgnoreArrayOrder = flag.Value == "true" };
                    }
                    else
                    {
                        errors.Add($"{file}:{value.Start.Line}: ignoreArrayOrder: expected true or false");
                    }

                    break;
                case "timeNoise":
                    if (value is YamlScalarNode { Value: { } mode } && TimeNoiseText.TryParse(mode) is { } timeNoise)
                    {
                        rules = rules with { TimeNoise = timeNoise };
                    }
                    else
                    {
                        errors.Add($"{file}:{value.Start.Line}: timeNoise: expected {TimeNoiseText.Choices}");
                    }

                    break;
                default:
                    errors.Add($"{file}:{keyNode.Start.Line}: unknown key '{key}' (expected ignore, arrayKeys, ignoreArrayOrder or timeNoise)");
                    break;
            }
        }

        return (rules with { Ignore = [.. ignore], ArrayKeys = [.. keys] }, errors);
    }

    private static void ForEachItem(YamlNode node, string file, string name, List<string> errors, Action<YamlMappingNode, string> each)
    {
        if (node is not YamlSequenceNode sequence)
        {
            errors.Add($"{file}:{node.Start.Line}: {name}: expected a list");
            return;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (sequence.Children[i] is YamlMappingNode item)
            {
                each(item, $"{name}[{i}]");
            }
            else
            {
                errors.Add($"{file}:{sequence.Children[i].Start.Line}: {name}[{i}]: expected a mapping with path:");
            }
        }
    }

    private static string? Scalar(YamlMappingNode item, string key, string file, string where, List<string> errors, bool required)
    {
        if (item.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            if (node is YamlScalarNode { Value: { Length: > 0 } value })
            {
                return value;
            }

            errors.Add($"{file}:{node.Start.Line}: {where}.{key}: expected a non-empty string");
            return null;
        }

        if (required)
        {
            errors.Add($"{file}:{item.Start.Line}: {where}: missing {key}:");
        }

        return null;
    }

    private static T? Try<T>(Func<T> parse, string file, YamlNode node, string where, List<string> errors)
        where T : class
    {
        try
        {
            return parse();
        }
        catch (FormatException ex)
        {
            errors.Add($"{file}:{node.Start.Line}: {where}: {ex.Message}");
            return null;
        }
    }
}
