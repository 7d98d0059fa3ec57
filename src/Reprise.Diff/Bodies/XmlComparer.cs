using System.Xml;
using System.Xml.Linq;
using Reprise.Core.Model;
using Reprise.Diff.Model;

namespace Reprise.Diff.Bodies;

/// <summary>
/// XML and SOAP bodies compared by element path (<c>/Envelope/Body/GetOrderResponse/Order[2]/Id</c>,
/// attributes as <c>/@name</c>). Local names only: a changed namespace prefix is not a difference.
/// Namespace declarations and whitespace between elements are ignored.
/// </summary>
public sealed class XmlComparer : IDiffComparer
{
    private static readonly XmlReaderSettings Settings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreProcessingInstructions = true, IgnoreWhitespace = true };

    /// <inheritdoc />
    public string Name => "xml";

    /// <inheritdoc />
    public bool CanCompare(ExchangeBody body, Protocol protocol)
    {
        var media = body.MediaType;
        if (media is not null && media.Contains("xml", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var span = body.Content.Span.TrimStart(" \t\r\n"u8);
        return (protocol == Protocol.Soap || media is null) && span.Length > 1 && span[0] == (byte)'<';
    }

    /// <inheritdoc />
    public bool Compare(ExchangeBody expected, ExchangeBody actual, BodyDiffContext context, IDiffSink sink)
    {
        var left = Load(expected);
        var right = Load(actual);
        if (left?.Root is null || right?.Root is null)
        {
            return false;
        }

        var capped = new CappedSink(sink, context.MaxDifferences);
        if (left.Root.Name.LocalName != right.Root.Name.LocalName)
        {
            capped.Report("body:/", DifferenceKind.Changed, left.Root.Name.LocalName, right.Root.Name.LocalName);
            return true;
        }

        CompareElement("/" + left.Root.Name.LocalName, left.Root, right.Root, capped, context.IgnoreArrayOrder);
        return true;
    }

    /// <inheritdoc />
    public string? Pretty(ExchangeBody body) => Load(body)?.ToString();

    private static XDocument? Load(ExchangeBody body)
    {
        try
        {
            using var stream = new MemoryStream(body.Content.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, Settings);
            return XDocument.Load(reader);
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static void CompareElement(string path, XElement a, XElement b, CappedSink sink, bool ignoreOrder)
    {
        if (sink.Exhausted)
        {
            return;
        }

        CompareAttributes(path, a, b, sink);
        var aChildren = a.Elements().ToList();
        var bChildren = b.Elements().ToList();
        if (aChildren.Count == 0 && bChildren.Count == 0)
        {
            var x = a.Value.Trim();
            var y = b.Value.Trim();
            if (!string.Equals(x, y, StringComparison.Ordinal))
            {
                // A document escaped inside an element (UPnP's DIDL-Lite in a Browse <Result>, a SAML assertion, a
                // payload carried as text) is compared by its own element paths under this one: the change is shown,
                // not the start of two long documents.
                if (Embedded(x) is { } inner && Embedded(y) is { } other && inner.Name.LocalName == other.Name.LocalName)
                {
                    CompareElement(path + "/" + inner.Name.LocalName, inner, other, sink, ignoreOrder);
                }
                else
                {
                    sink.Report("body:" + path, DifferenceKind.Changed, x, y);
                }
            }

            return;
        }

        var repeated = aChildren.Concat(bChildren).GroupBy(c => c.Name.LocalName)
            .Where(g => aChildren.Count(c => c.Name.LocalName == g.Key) > 1 || bChildren.Count(c => c.Name.LocalName == g.Key) > 1)
            .Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        if (ignoreOrder && repeated.Count > 0)
        {
            bChildren = MatchedByContent(aChildren, bChildren, repeated);
        }

        var left = Indexed(path, aChildren, repeated);
        var right = Indexed(path, bChildren, repeated);
        foreach (var (childPath, element) in left)
        {
            if (right.TryGetValue(childPath, out var other))
            {
                CompareElement(childPath, element, other, sink, ignoreOrder);
            }
            else
            {
                sink.Report("body:" + childPath, DifferenceKind.Removed, Show(element), null);
            }
        }

        foreach (var (childPath, element) in right)
        {
            if (!left.ContainsKey(childPath))
            {
                sink.Report("body:" + childPath, DifferenceKind.Added, null, Show(element));
            }
        }
    }

    /// <summary>The root of a text that is a whole XML document (it starts with <c>&lt;</c> and parses), else null.</summary>
    private static XElement? Embedded(string text)
    {
        if (text.Length < 4 || text[0] != '<')
        {
            return null;
        }

        try
        {
            using var reader = XmlReader.Create(new StringReader(text), Settings);
            return XDocument.Load(reader).Root;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static void CompareAttributes(string path, XElement a, XElement b, CappedSink sink)
    {
        foreach (var attribute in a.Attributes().Where(x => !x.IsNamespaceDeclaration))
        {
            var other = b.Attributes().FirstOrDefault(x => !x.IsNamespaceDeclaration && x.Name.LocalName == attribute.Name.LocalName);
            if (other is null)
            {
                sink.Report($"body:{path}/@{attribute.Name.LocalName}", DifferenceKind.Removed, attribute.Value, null);
            }
            else if (other.Value != attribute.Value)
            {
                sink.Report($"body:{path}/@{attribute.Name.LocalName}", DifferenceKind.Changed, attribute.Value, other.Value);
            }
        }

        foreach (var attribute in b.Attributes().Where(x => !x.IsNamespaceDeclaration))
        {
            if (!a.Attributes().Any(x => !x.IsNamespaceDeclaration && x.Name.LocalName == attribute.Name.LocalName))
            {
                sink.Report($"body:{path}/@{attribute.Name.LocalName}", DifferenceKind.Added, null, attribute.Value);
            }
        }
    }

    /// <summary>
    /// With <c>--ignore-array-order</c> (or <c>ignoreArrayOrder: true</c>), repeated siblings are a set as JSON array elements
    /// are: <paramref name="actual"/> reordered so each element equal to a recorded sibling of its name takes that sibling's
    /// position, the others keeping their order in the positions left. XMPP's SASL <c>&lt;mechanism&gt;</c> list comes in
    /// another order from each Prosody process (a hash set): <c>mechanism[1]: PLAIN → SCRAM-SHA-1</c> on every
    /// stream-features answer, though the flag was given.
    /// </summary>
    private static List<XElement> MatchedByContent(List<XElement> expected, List<XElement> actual, HashSet<string> repeated)
    {
        var result = new List<XElement?>(actual.Count);
        var used = new bool[actual.Count];
        var slots = new List<int>();
        for (var i = 0; i < actual.Count; i++)
        {
            var name = actual[i].Name.LocalName;
            result.Add(repeated.Contains(name) ? null : actual[i]);
            if (repeated.Contains(name))
            {
                slots.Add(i);
            }
            else
            {
                used[i] = true;
            }
        }

        // Slots of each repeated name, in order: the recorded element at the n-th position of its name claims the n-th slot.
        foreach (var name in repeated)
        {
            var nameSlots = slots.Where(i => actual[i].Name.LocalName == name).ToList();
            var recorded = expected.Where(e => e.Name.LocalName == name).ToList();
            var free = new List<int>();
            for (var n = 0; n < nameSlots.Count; n++)
            {
                var twin = n < recorded.Count ? FindEqual(recorded[n], actual, used, name) : -1;
                if (twin >= 0)
                {
                    used[twin] = true;
                    result[nameSlots[n]] = actual[twin];
                }
                else
                {
                    free.Add(nameSlots[n]);
                }
            }

            var rest = nameSlots.Where(i => !used[i]).ToList();
            for (var k = 0; k < free.Count && k < rest.Count; k++)
            {
                used[rest[k]] = true;
                result[free[k]] = actual[rest[k]];
            }
        }

        return result.Select((e, i) => e ?? actual[i]).ToList();
    }

    private static int FindEqual(XElement recorded, List<XElement> actual, bool[] used, string name)
    {
        for (var i = 0; i < actual.Count; i++)
        {
            if (!used[i] && actual[i].Name.LocalName == name && XNode.DeepEquals(recorded, actual[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Child paths: <c>name</c>, or <c>name[n]</c> (1-based) when a name repeats among the siblings of either side.</summary>
    private static Dictionary<string, XElement> Indexed(string path, List<XElement> children, HashSet<string> repeated)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var map = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var child in children)
        {
            var name = child.Name.LocalName;
            var n = seen[name] = seen.GetValueOrDefault(name) + 1;
            map[repeated.Contains(name) ? $"{path}/{name}[{n}]" : $"{path}/{name}"] = child;
        }

        return map;
    }

    private static string Show(XElement element) =>
        Difference.Shorten(element.HasElements ? element.ToString(SaveOptions.DisableFormatting) : element.Value)!;
}
