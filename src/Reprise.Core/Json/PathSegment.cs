namespace Reprise.Core.Json;

/// <summary>One step of a concrete location in a JSON document: a member name or an array index.</summary>
/// <param name="Name">The member name, or null for an array element.</param>
/// <param name="Index">The array index (when <paramref name="Name"/> is null).</param>
public readonly record struct PathSegment(string? Name, int Index)
{
    /// <summary>A member of an object.</summary>
    public static PathSegment Member(string name) => new(name, -1);

    /// <summary>An element of an array.</summary>
    public static PathSegment Element(int index) => new(null, index);
}
