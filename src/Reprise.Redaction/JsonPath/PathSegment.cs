namespace Reprise.Redaction.JsonPath;

/// <summary>One step of a concrete location in a JSON document: a member name or an array index.</summary>
/// <param name="Name">The member name, or null for an array element.</param>
/// <param name="Index">The array index (when <paramref name="Name"/> is null).</param>
public readonly record struct PathSegment(string? Name, int Index)
{
    public static PathSegment Member(string name) => new(name, -1);

    public static PathSegment Element(int index) => new(null, index);
}
