using System.Collections.Immutable;

namespace Reprise.Core.Model;

/// <summary>Case-insensitive lookups over ordered header lists.</summary>
public static class HeaderExtensions
{
    /// <summary>The first value of a header, or null.</summary>
    public static string? Get(this ImmutableArray<HeaderField> headers, string name)
    {
        foreach (var header in headers)
        {
            if (string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }

    /// <summary>True when the header is present.</summary>
    public static bool Has(this ImmutableArray<HeaderField> headers, string name) => headers.Get(name) is not null;

    /// <summary>A copy with every header of that name removed.</summary>
    public static ImmutableArray<HeaderField> Without(this ImmutableArray<HeaderField> headers, string name) =>
        headers.RemoveAll(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A copy with the header set to one value (first occurrence replaced, others removed; appended when absent).</summary>
    public static ImmutableArray<HeaderField> With(this ImmutableArray<HeaderField> headers, string name, string value)
    {
        var builder = ImmutableArray.CreateBuilder<HeaderField>(headers.Length + 1);
        var replaced = false;
        foreach (var header in headers)
        {
            if (string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                if (!replaced)
                {
                    builder.Add(new HeaderField(header.Name, value));
                    replaced = true;
                }

                continue;
            }

            builder.Add(header);
        }

        if (!replaced)
        {
            builder.Add(new HeaderField(name, value));
        }

        return builder.ToImmutable();
    }
}
