using System.Reflection;
using System.Text.RegularExpressions;
using Reprise.Core.Model;
using Reprise.Core.Transforms;
using Reprise.Mock.Chaos;
using Reprise.Mock.Templating;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Reprise.Mock.Config;

/// <summary>The validated rule set: global chaos plus per-route rules from YAML, and configured volatile names.</summary>
internal sealed partial class MockRules
{
    private readonly RouteRule[] _routes;

    private MockRules(RouteRule fallback, RouteRule[] routes, IReadOnlySet<string> volatileNames)
    {
        Fallback = fallback;
        _routes = routes;
        VolatileNames = volatileNames;
    }

    /// <summary>The rule for routes no YAML rule covers (global chaos only).</summary>
    public RouteRule Fallback { get; }

    public IReadOnlySet<string> VolatileNames { get; }

    /// <summary>True when any YAML rule has wildcard path segments (the volatile tier then consults rules per request).</summary>
    public bool HasWildcards
    {
        get
        {
            foreach (var rule in _routes)
            {
                if (rule.WildcardNames is not null)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The first rule covering a request, else <see cref="Fallback"/>; a null <paramref name="authority"/> matches any rule host.</summary>
    public RouteRule Resolve(string method, string? authority, ReadOnlySpan<char> path)
    {
        foreach (var rule in _routes)
        {
            if (rule.Matches(method, authority, path))
            {
                return rule;
            }
        }

        return Fallback;
    }

    /// <summary>
    /// Adds a volatile leaf name, or reports one that names no request field (<c>ts</c> instead of <c>query.ts</c>): such a
    /// name never matches a leaf, so the field it was meant to ignore would still make every request miss, silently.
    /// </summary>
    private static void AddVolatile(HashSet<string> names, string? name, string where, List<string> errors)
    {
        if (IsLeafName(name))
        {
            names.Add(name!);
        }
        else
        {
            errors.Add($"{where}: '{name}' is not a request field (query.NAME, body.$.json.path, body[N].$.json.path, body./Envelope/Body/X, body.NAME, body or path[N])");
        }
    }

    private static bool IsLeafName(string? name) =>
        name is "body"
        || (name is not null && name.Length > 5 && (name.StartsWith("query.", StringComparison.Ordinal) || name.StartsWith("body.", StringComparison.Ordinal)) && name.Length > name.IndexOf('.') + 1)
        || (name is not null && name.StartsWith("path[", StringComparison.Ordinal) && name.EndsWith(']') && name.Length > 6 && name.AsSpan(5, name.Length - 6).IndexOfAnyExceptInRange('0', '9') < 0)
        || (name is not null && name.StartsWith("body[", StringComparison.Ordinal) && IsDocumentLeaf(name.AsSpan(5)));

    /// <summary>A later document of an NDJSON body (<c>body[1].$.ts</c>, or <c>body[2]</c>: text after the documents), read after <c>body[</c>.</summary>
    private static bool IsDocumentLeaf(ReadOnlySpan<char> rest)
    {
        var close = rest.IndexOf(']');
        return close > 0 && rest[..close].IndexOfAnyExceptInRange('0', '9') < 0 && (close == rest.Length - 1 || (rest[(close + 1)..].StartsWith(".$") && rest.Length > close + 3));
    }

    /// <summary>
    /// The user's words for a YAML problem: an unknown key is named with the keys that section accepts, never with the
    /// .NET type YamlDotNet was filling (<c>Property 'rate-limit' not found on type 'Reprise.Mock.Config.ChaosOptionsYaml'</c>).
    /// </summary>
    private static string DescribeYamlError(YamlException ex)
    {
        var message = ex.InnerException?.Message ?? ex.Message;
        var unknown = UnknownPropertyPattern().Match(message);
        if (!unknown.Success)
        {
            return message;
        }

        Type? section = unknown.Groups["type"].Value switch
        {
            var t when t == typeof(MockFileOptions).FullName => typeof(MockFileOptions),
            var t when t == typeof(RouteRuleOptions).FullName => typeof(RouteRuleOptions),
            var t when t == typeof(ChaosOptionsYaml).FullName => typeof(ChaosOptionsYaml),
            _ => null,
        };
        var key = $"unknown key '{unknown.Groups["key"].Value}'";
        if (section is null)
        {
            return key;
        }

        var known = new List<string>();
        foreach (var property in section.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.CanWrite)
            {
                known.Add(CamelCaseNamingConvention.Instance.Apply(property.Name));
            }
        }

        return $"{key} (expected {string.Join(", ", known)})";
    }

    [GeneratedRegex(@"^Property '(?<key>.*)' not found on type '(?<type>[^']+)'\.?$")]
    private static partial Regex UnknownPropertyPattern();

    /// <summary>Builds rules; every problem is appended to <paramref name="errors"/> as one line.</summary>
    public static MockRules Build(ChaosOptions global, string? configPath, IEnumerable<string> extraVolatile, TimeProvider time, List<string> errors)
    {
        var globalChaos = ChaosModel.Build(global, ChaosModel.None, "--", time, errors);
        var fallback = new RouteRule { Name = "default", Chaos = globalChaos };
        var volatileNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in extraVolatile)
        {
            AddVolatile(volatileNames, name, "--volatile", errors);
        }

        var routes = new List<RouteRule>();
        if (configPath is null)
        {
            return new MockRules(fallback, [], volatileNames);
        }

        MockFileOptions? file = null;
        var text = string.Empty;
        try
        {
            var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
            text = File.ReadAllText(configPath);
            file = deserializer.Deserialize<MockFileOptions>(text) ?? new MockFileOptions();
        }
        catch (FileNotFoundException)
        {
            errors.Add($"--config: '{configPath}' does not exist");
        }
        catch (DirectoryNotFoundException)
        {
            errors.Add($"--config: '{configPath}' does not exist");
        }
        catch (YamlException ex)
        {
            errors.Add($"{configPath}:{ex.Start.Line}: {DescribeYamlError(ex)}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add(Directory.Exists(configPath) ? $"--config: '{configPath}' is a directory" : $"--config: '{configPath}': cannot read ({ex.Message})");
        }

        if (file is null)
        {
            return new MockRules(fallback, [], volatileNames);
        }

        var fileErrors = errors.Count;
        for (var i = 0; i < file.Volatile.Count; i++)
        {
            AddVolatile(volatileNames, file.Volatile[i], $"{configPath}: volatile[{i}]", errors);
        }

        for (var i = 0; i < file.Routes.Count; i++)
        {
            var options = file.Routes[i];
            var where = $"{configPath}: routes[{i}].";
            PathGlob? glob = null;
            HashSet<string>? wildcards = null;
            if (options.Path is { } path)
            {
                if (!path.StartsWith('/'))
                {
                    errors.Add($"{where}path: '{path}' must start with '/'");
                }
                else
                {
                    glob = PathGlob.Parse(path);
                    var segments = path[1..].Split('/');
                    for (var s = 0; s < segments.Length; s++)
                    {
                        if (segments[s] == "*")
                        {
                            (wildcards ??= new HashSet<string>(StringComparer.Ordinal)).Add($"path[{s}]");
                        }
                    }
                }
            }

            var (host, port) = ParseHost(options.Host, where, errors);
            var template = ResponseTemplate.Build(options.Set, options.Headers, where, errors);
            routes.Add(new RouteRule
            {
                Name = $"routes[{i}]",
                Method = options.Method,
                Host = host,
                Port = port,
                Path = glob,
                WildcardNames = wildcards,
                Template = template,
                ShiftDates = options.ShiftDates == true,
                Chaos = ChaosModel.Build(options.Chaos?.ToOptions(), globalChaos, where + "chaos.", time, errors),
            });
        }

        AddLines(errors, fileErrors, configPath, text);
        return new MockRules(fallback, [.. routes], volatileNames);
    }

    /// <summary>
    /// Gives each error about the file (from <paramref name="from"/> on, written <c>FILE: routes[0].path: ...</c>) its
    /// line, as the other rules files write it: <c>FILE:LINE: routes[0].path: ...</c>.
    /// </summary>
    private static void AddLines(List<string> errors, int from, string configPath, string text)
    {
        if (errors.Count == from || YamlLines.Root(text) is not { } root)
        {
            return;
        }

        var prefix = configPath + ": ";
        for (var i = from; i < errors.Count; i++)
        {
            var error = errors[i];
            if (!error.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = error[prefix.Length..];
            var end = rest.IndexOf(": ", StringComparison.Ordinal);
            if (YamlLines.Of(root, end < 0 ? rest : rest[..end]) is { } line)
            {
                errors[i] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{configPath}:{line}: {rest}");
            }
        }
    }

    // host: as a recording writes it (api.test, API.test:8080, [::1]:8080) or bare (::1); compared by host and, when given, port.
    private static (string? Host, string? Port) ParseHost(string? text, string where, List<string> errors)
    {
        if (text is null)
        {
            return (null, null);
        }

        UrlParts.SplitAuthority(text.Trim(), out var host, out var port);
        var valid = host.Length > 0 && !host.ContainsAny('/', '[', ']') && !host.ContainsAny('@', ' ', '?')
            && (port.Length == 0 || (port.Length <= 5 && !port.ContainsAnyExceptInRange('0', '9')));
        if (!valid)
        {
            errors.Add($"{where}host: '{text}' must be a host or host:port as recorded (api.example.com, api.example.com:8080, [::1]:8080)");
            return (null, null);
        }

        return (host.ToString().ToLowerInvariant(), port.Length == 0 ? null : port.ToString());
    }
}
