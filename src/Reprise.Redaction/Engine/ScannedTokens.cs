using System.Text;
using System.Text.Json;

namespace Reprise.Redaction.Engine;

/// <summary>
/// The tokens <see cref="JsonScanner"/> found in a body it accepted (valid UTF-8, so an unescaped string decodes as
/// <see cref="Utf8JsonReader.GetString"/> decodes it; an escaped one is decoded by that reader itself).
/// </summary>
internal ref struct ScannedTokens(ReadOnlySpan<byte> json, ReadOnlySpan<ScannedToken> tokens) : IJsonTokens
{
    private readonly ReadOnlySpan<byte> _json = json;
    private readonly ReadOnlySpan<ScannedToken> _tokens = tokens;
    private ScannedToken _current;
    private int _next;

    public bool Read()
    {
        if (_next == _tokens.Length)
        {
            return false;
        }

        _current = _tokens[_next++];
        return true;
    }

    public readonly JsonTokenType TokenType => _current.Type;

    public readonly int TokenStart => _current.Type is JsonTokenType.String or JsonTokenType.PropertyName ? _current.ValueStart - 1 : _current.ValueStart;

    /// <summary>As the reader counts: past a property name's colon, past a string's closing quote, else past the token.</summary>
    public readonly long BytesConsumed
    {
        get
        {
            var end = _current.ValueStart + _current.Length;
            return _current.Type switch
            {
                JsonTokenType.String => end + 1,
                JsonTokenType.PropertyName => _json.Slice(end + 1).IndexOf((byte)':') + end + 2,
                _ => end,
            };
        }
    }

    public readonly ReadOnlySpan<byte> ValueSpan => _json.Slice(_current.ValueStart, _current.Length);

    public readonly bool ValueIsEscaped => _current.Escaped;

    public readonly string GetString()
    {
        if (!_current.Escaped)
        {
            return Encoding.UTF8.GetString(ValueSpan);
        }

        // The quoted token alone is a JSON document: the reader unescapes it exactly as it would in place (and throws the same way on a lone surrogate).
        var reader = new Utf8JsonReader(_json.Slice(_current.ValueStart - 1, _current.Length + 2));
        reader.Read();
        return reader.GetString()!;
    }

    public readonly string GetComment() => throw new InvalidOperationException("The scanner accepts no comments.");
}
