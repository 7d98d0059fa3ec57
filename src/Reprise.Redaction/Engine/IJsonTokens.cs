using System.Text.Json;

namespace Reprise.Redaction.Engine;

/// <summary>
/// The tokens of a JSON body as <see cref="JsonBodyRedactor"/> reads them: <see cref="ReaderTokens"/> (the general
/// <see cref="Utf8JsonReader"/>) or <see cref="JsonScanner"/> (strict JSON only). Both give the same token type,
/// start, value bytes, escape flag and decoded string for every token the scanner gives.
/// </summary>
internal interface IJsonTokens
{
    /// <summary>The next token; false at the end of the body, or when <see cref="Failed"/>.</summary>
    bool Read();

    /// <summary>True when the source stopped before the end because it does not read this body (the scanner only).</summary>
    bool Failed { get; }

    JsonTokenType TokenType { get; }

    /// <summary>The token's first byte (a string's or property name's opening quote).</summary>
    int TokenStart { get; }

    long BytesConsumed { get; }

    /// <summary>The token's bytes without quotes, escapes not decoded.</summary>
    ReadOnlySpan<byte> ValueSpan { get; }

    bool ValueIsEscaped { get; }

    /// <summary>The decoded string of a string or property name token.</summary>
    string GetString();

    string GetComment();
}
