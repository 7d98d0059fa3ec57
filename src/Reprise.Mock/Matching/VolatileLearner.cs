using System.Text;

namespace Reprise.Mock.Matching;

/// <summary>
/// Learns volatile leaves from a recording: within one method+host group, a leaf is volatile when
/// two recorded requests are identical except for that leaf's value. Path segments are never
/// learned (ids in paths select resources, they are not noise).
/// </summary>
internal static class VolatileLearner
{
    private const int MaxLeavesPerRequest = 64;

    public static HashSet<string> Learn(IReadOnlyList<RequestShape> group)
    {
        var learned = new HashSet<string>(StringComparer.Ordinal);
        if (group.Count < 2)
        {
            return learned;
        }

        var seen = new Dictionary<(string Name, string Others), string>();
        var builder = new StringBuilder();
        foreach (var shape in group)
        {
            var leaves = shape.Leaves;
            if (leaves.Length > MaxLeavesPerRequest)
            {
                continue;
            }

            for (var skip = 0; skip < leaves.Length; skip++)
            {
                var name = leaves[skip].Key;
                if (name.StartsWith("path[", StringComparison.Ordinal) || learned.Contains(name))
                {
                    continue;
                }

                builder.Clear().Append(shape.SoapAction).Append('\n');
                for (var i = 0; i < leaves.Length; i++)
                {
                    if (i != skip)
                    {
                        builder.Append(leaves[i].Key).Append('=').Append(leaves[i].Value).Append('\n');
                    }
                }

                var key = (name, builder.ToString());
                if (seen.TryGetValue(key, out var value))
                {
                    if (!string.Equals(value, leaves[skip].Value, StringComparison.Ordinal))
                    {
                        learned.Add(name);
                    }
                }
                else
                {
                    seen[key] = leaves[skip].Value;
                }
            }
        }

        return learned;
    }
}
