namespace Reprise.Redaction.Detection;

/// <summary>Finds sensitive values inside free text (any string: JSON value, header, query value, text body).</summary>
public interface IValueDetector
{
    /// <summary>Stable name used in rules files, findings and <c>Redactions</c>.</summary>
    string Name { get; }

    /// <summary>What the detector finds.</summary>
    DataKind Kind { get; }

    /// <summary>Cheap pre-check on character statistics; false means <see cref="Find"/> cannot match.</summary>
    bool MayMatch(in TextStats stats);

    /// <summary>Adds the (start, length) of every match in <paramref name="text"/>.</summary>
    void Find(string text, List<(int Start, int Length)> matches);
}
