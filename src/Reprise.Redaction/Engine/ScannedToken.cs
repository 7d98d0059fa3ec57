using System.Text.Json;

namespace Reprise.Redaction.Engine;

/// <summary>One token of <see cref="JsonScanner"/>: where its value bytes start (after a string's opening quote), how many there are, its type, and whether it holds escapes.</summary>
internal readonly record struct ScannedToken(int ValueStart, int Length, JsonTokenType Type, bool Escaped);
