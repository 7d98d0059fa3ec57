namespace Reprise.Redaction.Detection;

/// <summary>The name of the field holding a value and of its enclosing object, both normalised by <see cref="FieldNames.Normalize"/>.</summary>
/// <param name="Field">E.g. <c>firstname</c> for <c>first_name</c>.</param>
/// <param name="Parent">The enclosing object's field (e.g. <c>customer</c>), or empty.</param>
public readonly record struct FieldContext(string Field, string Parent);
