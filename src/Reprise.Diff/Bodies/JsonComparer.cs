using System.Globalization;
using System.Text;
using System.Text.Json;
using Reprise.Core.Model;
using Reprise.Diff.Model;

namespace Reprise.Diff.Bodies;

/// <summary>
/// JSON bodies compared path by path (<c>$.user.name</c>, <c>$.items[3].price</c>). Numbers compare by
/// value (<c>1.0</c> equals <c>1</c>), member order never matters, and arrays match by index, by an
/// explicit key, or (with ignore-array-order) by a detected id member or by content.
/// </summary>
public sealed class JsonComparer : IDiffComparer
{
    private static readonly string[] IdMembers = ["id", "_id", "uuid", "key", "code", "name", "sku", "slug"];
    private static readonly JsonDocumentOptions ParseOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 };

    /// <inheritdoc />
    public string Name => "json";

    /// <inheritdoc />
    public bool CanCompare(ExchangeBody body, Protocol protocol) => IsJson(body);

    internal static bool IsJson(ExchangeBody body)
    {
        var media = body.MediaType;
        if (media is not null && (media.Contains("json", StringComparison.OrdinalIgnoreCase) || media.Contains("graphql-response", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        var span = body.Content.Span.TrimStart(" \t\r\n"u8);
        return (media is null || media.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase)) && span.Length > 0 && span[0] is (byte)'{' or (byte)'[';
    }

    /// <inheritdoc />
    public bool Compare(ExchangeBody expected, ExchangeBody actual, BodyDiffContext context, IDiffSink sink)
    {
        JsonDocument left, right;
        try
        {
            left = JsonDocument.Parse(Core.Json.LoneSurrogates.Replaced(expected.Content), ParseOptions);
        }
        catch (JsonException)
        {
            return false;
        }

        using (left)
        {
            try
            {
                right = JsonDocument.Parse(Core.Json.LoneSurrogates.Replaced(actual.Content), ParseOptions);
            }
            catch (JsonException)
            {
                return false;
            }

            using (right)
            {
                var budget = new CappedSink(sink, context.MaxDifferences);
                CompareElement("$", "$", left.RootElement, right.RootElement, context, budget);
            }
        }

        return true;
    }

    /// <inheritdoc />
    public string? Pretty(ExchangeBody body)
    {
        try
        {
            using var document = JsonDocument.Parse(Core.Json.LoneSurrogates.Replaced(body.Content), ParseOptions);
            return JsonSerializer.Serialize(document.RootElement, PrettyOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions PrettyOptions = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Compares two elements at <paramref name="path"/>; <paramref name="pattern"/> is the path with indexes as <c>[*]</c> (for array-key lookups).</summary>
    private static void CompareElement(string path, string pattern, JsonElement a, JsonElement b, BodyDiffContext context, CappedSink budget)
    {
        if (budget.Exhausted)
        {
            return;
        }

        if (a.ValueKind != b.ValueKind && !(IsBool(a) && IsBool(b)))
        {
            budget.Report("body:" + path, DifferenceKind.Changed, Show(a), Show(b));
            return;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                CompareObject(path, pattern, a, b, context, budget);
                break;
            case JsonValueKind.Array:
                CompareArray(path, pattern, a, b, context, budget);
                break;
            case JsonValueKind.Number:
                if (!NumbersEqual(a, b))
                {
                    budget.Report("body:" + path, DifferenceKind.Changed, a.GetRawText(), b.GetRawText());
                }

                break;
            case JsonValueKind.String:
                if (!a.ValueEquals(b.GetString()))
                {
                    budget.Report("body:" + path, DifferenceKind.Changed, a.GetString(), b.GetString());
                }

                break;
            default:
                if (a.ValueKind != b.ValueKind)
                {
                    budget.Report("body:" + path, DifferenceKind.Changed, Show(a), Show(b));
                }

                break;
        }
    }

    private static void CompareObject(string path, string pattern, JsonElement a, JsonElement b, BodyDiffContext context, CappedSink budget)
    {
        foreach (var property in a.EnumerateObject())
        {
            var childPath = path + Member(property.Name);
            var childPattern = pattern + Member(property.Name);
            if (b.TryGetProperty(property.Name, out var other))
            {
                CompareElement(childPath, childPattern, property.Value, other, context, budget);
            }
            else
            {
                budget.Report("body:" + childPath, DifferenceKind.Removed, Show(property.Value), null);
            }
        }

        foreach (var property in b.EnumerateObject())
        {
            if (!a.TryGetProperty(property.Name, out _))
            {
                budget.Report("body:" + path + Member(property.Name), DifferenceKind.Added, null, Show(property.Value));
            }
        }
    }

    private static void CompareArray(string path, string pattern, JsonElement a, JsonElement b, BodyDiffContext context, CappedSink budget)
    {
        var key = context.ArrayKeys.TryGetValue(pattern, out var explicitKey) ? explicitKey : null;
        if (key is null && context.IgnoreArrayOrder)
        {
            key = DetectKey(a, b) ?? string.Empty; // empty: match by content
        }

        if (key is null)
        {
            var common = Math.Min(a.GetArrayLength(), b.GetArrayLength());
            for (var i = 0; i < common; i++)
            {
                CompareElement($"{path}[{i}]", pattern + "[*]", a[i], b[i], context, budget);
            }

            for (var i = common; i < a.GetArrayLength(); i++)
            {
                budget.Report($"body:{path}[{i}]", DifferenceKind.Removed, Show(a[i]), null);
            }

            for (var i = common; i < b.GetArrayLength(); i++)
            {
                budget.Report($"body:{path}[{i}]", DifferenceKind.Added, null, Show(b[i]));
            }

            return;
        }

        var left = Keyed(a, key);
        var right = Keyed(b, key);
        HashSet<string>? pairedByCorrelation = null;
        CorrelatedIdRewriter? rewriter = null;
        foreach (var (k, element) in left)
        {
            var childPath = key.Length == 0 ? $"{path}[{Shorten(k)}]" : $"{path}[{key}={k}]";
            if (right.TryGetValue(k, out var other))
            {
                CompareElement(childPath, pattern + "[*]", element, other, context, budget);
            }
            else if (key.Length > 0 && context.Correlated.Count > 0
                && CorrelatedKey(k, left, right, rewriter ??= new CorrelatedIdRewriter(context.Correlated), pairedByCorrelation) is { } renamed)
            {
                // The key names an id replay correlated ("no such author 346" now "no such author 743"): the same
                // element, compared member by member, so the correlation explains the key's own change.
                (pairedByCorrelation ??= new HashSet<string>(StringComparer.Ordinal)).Add(renamed);
                CompareElement(childPath, pattern + "[*]", element, right[renamed], context, budget);
            }
            else
            {
                budget.Report("body:" + childPath, DifferenceKind.Removed, Show(element), null);
            }
        }

        foreach (var (k, element) in right)
        {
            if (!left.ContainsKey(k) && pairedByCorrelation?.Contains(k) != true)
            {
                var childPath = key.Length == 0 ? $"{path}[{Shorten(k)}]" : $"{path}[{key}={k}]";
                budget.Report("body:" + childPath, DifferenceKind.Added, null, Show(element));
            }
        }
    }

    /// <summary>
    /// The unmatched key on the new side that the correlated ids turn <paramref name="recordedKey"/> into (the rewrite is
    /// deterministic, so there is at most one), if that key is unmatched and not already paired.
    /// </summary>
    private static string? CorrelatedKey(string recordedKey, Dictionary<string, JsonElement> left, Dictionary<string, JsonElement> right, CorrelatedIdRewriter rewriter, HashSet<string>? taken) =>
        rewriter.Rewrite(recordedKey) is { } candidate && !string.Equals(candidate, recordedKey, StringComparison.Ordinal)
        && right.ContainsKey(candidate) && !left.ContainsKey(candidate) && taken?.Contains(candidate) != true
            ? candidate
            : null;

    /// <summary>Elements by key value (or by canonical content when the key is empty); duplicates get a #n suffix.</summary>
    private static Dictionary<string, JsonElement> Keyed(JsonElement array, string key)
    {
        var map = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var element in array.EnumerateArray())
        {
            var k = key.Length == 0
                ? Canonical(element)
                : element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out var v) ? Scalar(v) : Canonical(element);
            var unique = k;
            for (var n = 2; map.ContainsKey(unique); n++)
            {
                unique = $"{k}#{n}";
            }

            map[unique] = element;
        }

        return map;
    }

    private static string? DetectKey(JsonElement a, JsonElement b)
    {
        foreach (var candidate in IdMembers)
        {
            if (AllHave(a, candidate) && AllHave(b, candidate) && (a.GetArrayLength() + b.GetArrayLength()) > 0)
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool AllHave(JsonElement array, string member)
    {
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(member, out var value) || value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A canonical text of an element: members sorted, numbers normalised (for content matching).</summary>
    internal static string Canonical(JsonElement element)
    {
        var builder = new StringBuilder();
        AppendCanonical(builder, element);
        return builder.ToString();
    }

    private static void AppendCanonical(StringBuilder builder, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                builder.Append('{');
                var first = true;
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    builder.Append(JsonSerializer.Serialize(property.Name)).Append(':');
                    AppendCanonical(builder, property.Value);
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (i++ > 0)
                    {
                        builder.Append(',');
                    }

                    AppendCanonical(builder, item);
                }

                builder.Append(']');
                break;
            case JsonValueKind.Number:
                builder.Append(element.TryGetDecimal(out var d) ? d.ToString("G29", CultureInfo.InvariantCulture) : element.GetRawText());
                break;
            default:
                builder.Append(element.GetRawText());
                break;
        }
    }

    private static string Scalar(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : Canonical(value);

    private static bool NumbersEqual(JsonElement a, JsonElement b)
    {
        if (a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y))
        {
            return x == y;
        }

        return a.TryGetDouble(out var p) && b.TryGetDouble(out var q) ? p.Equals(q) : a.GetRawText() == b.GetRawText();
    }

    private static bool IsBool(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False;

    private static string Member(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$' or '@')
            ? "." + name
            : "[" + JsonSerializer.Serialize(name) + "]";

    private static string Show(JsonElement element) =>
        Difference.Shorten(element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText())!;

    private static string Shorten(string key) => key.Length <= 40 ? key : string.Concat(key.AsSpan(0, 40), "…");
}
