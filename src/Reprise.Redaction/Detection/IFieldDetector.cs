namespace Reprise.Redaction.Detection;

/// <summary>
/// Decides from a field's name (JSON property, form field, query parameter, XML element, multipart
/// part) that its whole value is sensitive, e.g. <c>password</c>, <c>customerId</c>, <c>lastName</c>.
/// </summary>
public interface IFieldDetector
{
    /// <summary>Stable name used in rules files, findings and <c>Redactions</c>.</summary>
    string Name { get; }

    /// <summary>What the detector finds.</summary>
    DataKind Kind { get; }

    /// <summary>True when <paramref name="value"/> under this field is sensitive.</summary>
    bool Matches(in FieldContext field, string value);
}
