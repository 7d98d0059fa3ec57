using System.Text.Json;

namespace Reprise.Redaction.Engine;

/// <summary>
/// The tokens of a JSON body as <see cref="JsonBodyRedactor"/> reads them: <see cref="ReaderTokens"/> (the general
/// <see cref="Utf8JsonReader"/>) or <see cref="ScannedTokens"/> (the strict pre-scan). Both give the same token type,
/// start, value bytes, escape flag and decoded string for every token of a body the scanner accepts.
/// </summary>
internal interface IJsonTokens
{
    bool Read();

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
