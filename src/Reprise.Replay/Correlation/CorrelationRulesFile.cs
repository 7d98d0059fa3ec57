using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Reprise.Replay.Correlation;

/// <summary>
/// Loads manual correlation rules from YAML:
/// <code>
/// rules:
///   - name: csrf
///     from: /login              # optional path glob: learn only from these responses
///     extract: { header: X-CSRF-Token }        # or json: $.token, or regex: 'csrf=([0-9a-f]+)'
///     substitute: { header: X-CSRF-Token }     # or query: csrf, or json: $.csrf; omit to replace the recorded value wherever it appears
/// </code>
/// Errors name the file and line.
/// </summary>
public static class CorrelationRulesFile
{
    /// <summary>Loads and validates; throws <see cref="FormatException"/> with every error, one per line.</summary>
    public static IReadOnlyList<CorrelationRuleOptions> Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"{path}: cannot read ({ex.Message})");
        }

        return Parse(text, path);
    }

    /// <summary>Parses YAML text; <paramref name="name"/> labels errors.</summary>
    public static IReadOnlyList<CorrelationRuleOptions> Parse(string text, string name)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            var colon = message.IndexOf("): ", StringComparison.Ordinal); // YamlDotNet's "(Line: 2, Col: 3, ...) - (...): " position, already in FILE:LINE
            throw new FormatException($"{name}:{ex.Start.Line}: invalid YAML: {(colon >= 0 ? message[(colon + 3)..] : message)}");
        }

        var errors = new List<string>();
        var rules = new List<CorrelationRuleOptions>();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("rules"), out var rulesNode) || rulesNode is not YamlSequenceNode sequence)
        {
            throw new FormatException($"{name}:1: expected a top-level 'rules:' list");
        }

        foreach (var item in sequence)
        {
            var line = item.Start.Line;
            if (item is not YamlMappingNode map)
            {
                errors.Add($"{name}:{line}: each rule must be a mapping with name, extract and substitute");
                continue;
            }

            var origin = $"{name}:{line}";
            string? ruleName = Scalar(map, "name");
            var extract = Child(map, "extract");
            var substitute = Child(map, "substitute");
            foreach (var key in map.Children.Keys)
            {
                if (key is YamlScalarNode { Value: not ("name" or "from" or "extract" or "substitute") } unknown)
                {
                    errors.Add($"{name}:{unknown.Start.Line}: unknown key '{unknown.Value}' (expected name, from, extract, substitute)");
                }
            }

            if (string.IsNullOrWhiteSpace(ruleName))
            {
                errors.Add($"{origin}: rule has no name");
                continue;
            }

            if (extract is null)
            {
                errors.Add($"{origin}: rule '{ruleName}' has no extract");
                continue;
            }

            var rule = new CorrelationRuleOptions
            {
                Name = ruleName,
                Origin = origin,
                FromPath = Scalar(map, "from"),
                ExtractHeader = Scalar(extract, "header"),
                ExtractJson = Scalar(extract, "json"),
                ExtractRegex = Scalar(extract, "regex"),
                SubstituteHeader = substitute is null ? null : Scalar(substitute, "header"),
                SubstituteQuery = substitute is null ? null : Scalar(substitute, "query"),
                SubstituteJson = substitute is null ? null : Scalar(substitute, "json"),
                SubstitutePrefix = substitute is null ? null : Scalar(substitute, "prefix"),
            };
            errors.AddRange(rule.Validate());
            rules.Add(rule);
        }

        if (errors.Count > 0)
        {
            throw new FormatException(string.Join(Environment.NewLine, errors));
        }

        return rules;
    }

    private static YamlMappingNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;
}
