using Reprise.Core.Model;
using Reprise.Diff.Model;

namespace Reprise.Diff.Bodies;

/// <summary>URL-encoded form bodies compared by field (<c>form.name</c>; repeated fields <c>form.tag[1]</c>); field order is ignored.</summary>
public sealed class FormComparer : IDiffComparer
{
    /// <inheritdoc />
    public string Name => "form";

    /// <inheritdoc />
    public bool CanCompare(ExchangeBody body, Protocol protocol) =>
        body.MediaType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;

    /// <inheritdoc />
    public bool Compare(ExchangeBody expected, ExchangeBody actual, BodyDiffContext context, IDiffSink sink)
    {
        var left = Parse(expected.Text);
        var right = Parse(actual.Text);
        var capped = new CappedSink(sink, context.MaxDifferences);
        foreach (var (key, value) in left)
        {
            if (!right.TryGetValue(key, out var other))
            {
                capped.Report("body:form." + key, DifferenceKind.Removed, value, null);
            }
            else if (other != value)
            {
                capped.Report("body:form." + key, DifferenceKind.Changed, value, other);
            }
        }

        foreach (var (key, value) in right)
        {
            if (!left.ContainsKey(key))
            {
                capped.Report("body:form." + key, DifferenceKind.Added, null, value);
            }
        }

        return true;
    }

    /// <inheritdoc />
    public string? Pretty(ExchangeBody body) => string.Join('\n', Parse(body.Text).Select(p => $"{p.Key} = {p.Value}"));

    internal static Dictionary<string, string> Parse(string text)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Core.Protocols.QueryString.Parse(text))
        {
            // Repeated keys stay apart in order: a[1], a[2] after a.
            var unique = key;
            for (var n = 1; map.ContainsKey(unique); n++)
            {
                unique = $"{key}[{n}]";
            }

            map[unique] = value;
        }

        return map;
    }
}
