namespace Reprise.Core.Json;

/// <summary>One selector of a <see cref="JsonPath"/>: a member name, an array index or a wildcard, as a child or a descendant.</summary>
/// <param name="Descendant">Selects at any depth below (<c>..</c>) rather than direct children.</param>
/// <param name="Name">The member name, or null for an index or a wildcard.</param>
/// <param name="Index">The array index, or -1.</param>
/// <param name="Wildcard">Selects every member or element (<c>*</c>).</param>
public readonly record struct JsonPathStep(bool Descendant, string? Name, int Index, bool Wildcard)
{
    /// <summary>A child member step (<c>.name</c>).</summary>
    public static JsonPathStep Member(string name) => new(false, name, -1, false);

    /// <summary>A child index step (<c>[n]</c>).</summary>
    public static JsonPathStep Element(int index) => new(false, null, index, false);

    /// <summary>True when this step selects exactly one child (a name or an index, not a descendant).</summary>
    public bool IsSingular => !Descendant && !Wildcard;

    /// <summary>True when the step selects the concrete segment.</summary>
    public bool Accepts(PathSegment segment) =>
        Wildcard || (Name is not null ? string.Equals(segment.Name, Name, StringComparison.Ordinal) : segment.Name is null && segment.Index == Index);
}
