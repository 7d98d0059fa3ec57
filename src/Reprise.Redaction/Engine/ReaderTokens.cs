using System.Text.Json;

namespace Reprise.Redaction.Engine;

/// <summary>The general path: tokens straight from <see cref="Utf8JsonReader"/> (comments, trailing commas, NDJSON, truncated bodies).</summary>
internal ref struct ReaderTokens(Utf8JsonReader reader) : IJsonTokens
{
    private Utf8JsonReader _reader = reader;

    public bool Read() => _reader.Read();

    public readonly bool Failed => false;

    public JsonTokenType TokenType => _reader.TokenType;

    public int TokenStart => (int)_reader.TokenStartIndex;

    public long BytesConsumed => _reader.BytesConsumed;

    public ReadOnlySpan<byte> ValueSpan => _reader.ValueSpan;

    public bool ValueIsEscaped => _reader.ValueIsEscaped;

    public string GetString() => _reader.GetString()!;

    public string GetComment() => _reader.GetComment();
}
