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
///     substitute: { header: X-CSRF-Token }     # or query: csrf, json: $.csrf, form: csrf; omit to replace the recorded value wherever it appears
///   - name: login-password
///     to: /login                # optional path glob: substitute only into these requests
///     value: { env: APP_PASSWORD }             # or file: secret.txt, or literal: text (or value: text)
///     substitute: { form: password }           # replaces the (masked) value the recorded request carries there (or xml: /body/auth)
///   - name: login
///     value: { env: APP_USER }
///     substitute: { token: true }              # replaces the value's token wherever a recorded request holds it (URL paths too)
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
                if (key is YamlScalarNode { Value: not ("name" or "from" or "to" or "extract" or "value" or "substitute" or "match-mask") } unknown)
                {
                    errors.Add($"{name}:{unknown.Start.Line}: unknown key '{unknown.Value}' (expected name, from, to, extract, value, substitute, match-mask)");
                }
            }

            if (string.IsNullOrWhiteSpace(ruleName))
            {
                errors.Add($"{origin}: rule has no name");
                continue;
            }

            string? value = null;
            string? source = null;
            if (map.Children.TryGetValue(new YamlScalarNode("value"), out var valueNode))
            {
                if (!TryReadValue(valueNode, name, ruleName, out value, out source, out var valueError))
                {
                    errors.Add(valueError);
                    continue;
                }
            }
            else if (extract is null)
            {
                errors.Add($"{origin}: rule '{ruleName}' has no extract (or value)");
                continue;
            }

            var matchMask = false;
            if (map.Children.TryGetValue(new YamlScalarNode("match-mask"), out var matchNode)
                && (matchNode is not YamlScalarNode { Value: "true" or "false" } flag || !bool.TryParse(flag.Value, out matchMask)))
            {
                errors.Add($"{name}:{matchNode.Start.Line}: rule '{ruleName}': match-mask: expected true or false");
                continue;
            }

            var token = false;
            if (substitute is YamlMappingNode substituteMap && substituteMap.Children.TryGetValue(new YamlScalarNode("token"), out var tokenNode)
                && (tokenNode is not YamlScalarNode { Value: "true" or "false" } tokenFlag || !bool.TryParse(tokenFlag.Value, out token)))
            {
                errors.Add($"{name}:{tokenNode.Start.Line}: rule '{ruleName}': substitute.token: expected true or false");
                continue;
            }

            var rule = new CorrelationRuleOptions
            {
                SubstituteToken = token,
                Name = ruleName,
                MatchMask = matchMask,
                Origin = origin,
                FromPath = Scalar(map, "from"),
                ToPath = Scalar(map, "to"),
                ExtractHeader = extract is null ? null : Scalar(extract, "header"),
                ExtractJson = extract is null ? null : Scalar(extract, "json"),
                ExtractRegex = extract is null ? null : Scalar(extract, "regex"),
                Value = value,
                ValueSource = source,
                SubstituteForm = substitute is null ? null : Scalar(substitute, "form"),
                SubstituteHeader = substitute is null ? null : Scalar(substitute, "header"),
                SubstituteQuery = substitute is null ? null : Scalar(substitute, "query"),
                SubstituteJson = substitute is null ? null : Scalar(substitute, "json"),
                SubstituteXml = substitute is null ? null : Scalar(substitute, "xml"),
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

    /// <summary>
    /// A value rule's value: <c>value: text</c>, <c>value: { literal: text }</c>, <c>value: { env: NAME }</c> (the variable must
    /// be set) or <c>value: { file: PATH }</c> (a relative path is the rules file's neighbour; one trailing line break
    /// dropped). Plain text that reads like a variable (<c>${APP_PASSWORD}</c>, <c>$APP_PASSWORD</c>) or is empty is refused:
    /// it would be sent as written.
    /// </summary>
    private static bool TryReadValue(YamlNode node, string file, string rule, out string? value, out string? source, out string error)
    {
        (value, source, error) = (null, null, string.Empty);
        var at = $"{file}:{node.Start.Line}: rule '{rule}': value";
        if (node is YamlScalarNode scalar)
        {
            var text = scalar.Value ?? string.Empty;
            if (text.Length == 0)
            {
                error = $"{at}: empty (give text, or one of {{ env: NAME }}, {{ file: PATH }}, {{ literal: TEXT }})";
                return false;
            }

            if (System.Text.RegularExpressions.Regex.IsMatch(text, @"^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$"))
            {
                var variable = text.Trim('$', '{', '}');
                error = $"{at}: '{text}' would be sent as written; to read the environment variable write value: {{ env: {variable} }}";
                return false;
            }

            (value, source) = (text, "literal");
            return true;
        }

        if (node is not YamlMappingNode { Children.Count: 1 } map || map.Children.Keys.Single() is not YamlScalarNode { Value: "env" or "file" or "literal" } key
            || map.Children.Values.Single() is not YamlScalarNode { Value: { Length: > 0 } argument })
        {
            error = $"{at}: expected text, or one of {{ env: NAME }}, {{ file: PATH }}, {{ literal: TEXT }}";
            return false;
        }

        switch (key.Value)
        {
            case "env":
                value = Environment.GetEnvironmentVariable(argument);
                source = "env " + argument;
                if (value is null)
                {
                    error = $"{at}.env: environment variable {argument} is not set";
                    return false;
                }

                return true;
            case "file":
                source = "file " + argument;
                try
                {
                    value = File.ReadAllText(Path.IsPathRooted(argument) ? argument : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? string.Empty, argument));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                {
                    error = $"{at}.file: cannot read {argument} ({ex.Message})";
                    return false;
                }

                value = value.EndsWith("\r\n", StringComparison.Ordinal) ? value[..^2] : value.EndsWith('\n') ? value[..^1] : value;
                return true;
            default:
                (value, source) = (argument, "literal");
                return true;
        }
    }

    private static YamlMappingNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;
}
