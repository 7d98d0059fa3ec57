using YamlDotNet.RepresentationModel;

namespace Reprise.Mock.Config;

/// <summary>
/// Where a validated value sits in the config file, so each error names its line like every other rules file
/// (<c>FILE:LINE: where: what</c>): the options are deserialized into records that keep no position, so the
/// line comes from the document tree, found by the error's own path (<c>routes[0].chaos.rate-limit</c>).
/// </summary>
internal static class YamlLines
{
    /// <summary>The root of the file's first document, or null when there is none.</summary>
    public static YamlNode? Root(string text)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return null; // deserializing it succeeded, so this does not happen; without a tree errors keep no line
        }
    }

    /// <summary>
    /// The 1-based line of the node at <paramref name="path"/> (<c>name</c> and <c>[index]</c> parts), or of the deepest
    /// part of it that exists; null when not even the first part does.
    /// </summary>
    public static int? Of(YamlNode root, string path)
    {
        int? line = null;
        var node = root;
        var rest = path.AsSpan();
        while (!rest.IsEmpty)
        {
            if (rest[0] == '.')
            {
                rest = rest[1..];
                continue;
            }

            if (rest[0] == '[')
            {
                var close = rest.IndexOf(']');
                if (close < 0 || !int.TryParse(rest[1..close], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                    || node is not YamlSequenceNode sequence || index >= sequence.Children.Count)
                {
                    return line;
                }

                node = sequence.Children[index];
                line = (int)node.Start.Line;
                rest = rest[(close + 1)..];
                continue;
            }

            var end = rest.IndexOfAny('.', '[');
            var name = (end < 0 ? rest : rest[..end]).ToString();
            if (node is not YamlMappingNode mapping || !TryGet(mapping, name, out var key, out var value))
            {
                return line;
            }

            line = (int)key.Start.Line;
            node = value;
            rest = end < 0 ? default : rest[end..];
        }

        return line;
    }

    private static bool TryGet(YamlMappingNode mapping, string name, out YamlNode key, out YamlNode value)
    {
        foreach (var (k, v) in mapping.Children)
        {
            if (k is YamlScalarNode { Value: { } text } && text.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                key = k;
                value = v;
                return true;
            }
        }

        key = value = null!;
        return false;
    }
}
