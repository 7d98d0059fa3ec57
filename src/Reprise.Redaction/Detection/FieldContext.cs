namespace Reprise.Redaction.Detection;

/// <summary>The name of the field holding a value and of its enclosing object, both normalised by <see cref="FieldNames.Normalize"/>.</summary>
/// <param name="Field">E.g. <c>firstname</c> for <c>first_name</c>.</param>
/// <param name="Parent">The enclosing object's field (e.g. <c>customer</c>), or empty.</param>
/// <param name="ParentInferred">
/// True when <paramref name="Parent"/> is not an enclosing field but inferred for a value at the top of a
/// body: the resource the request names (<c>/users/1</c>, GraphQL <c>createUser</c>) or <c>person</c>
/// when sibling fields (email, phone, first name, birth date) show the object describes one.
/// </param>
/// <param name="InRequest">True when the value is in a request (what a client typed or sent), not in a response or a served script.</param>
public readonly record struct FieldContext(string Field, string Parent, bool ParentInferred = false, bool InRequest = false);
