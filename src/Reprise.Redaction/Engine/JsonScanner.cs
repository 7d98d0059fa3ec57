using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;

namespace Reprise.Redaction.Engine;

/// <summary>
/// A strict JSON tokenizer for <see cref="JsonBodyRedactor"/>, read token by token like <see cref="Utf8JsonReader"/>: one
/// value (object, array or scalar) in RFC 8259 syntax, valid UTF-8, at most <see cref="MaxDepth"/> levels. At anything
/// else (comments, trailing commas, several top-level values, deeper nesting, any syntax error) <see cref="Read"/>
/// returns false with <see cref="Failed"/> set, and the redactor undoes what it recorded (<see cref="RedactionSession.Rollback"/>)
/// and reads the body again with <see cref="Utf8JsonReader"/>, which decides what it is. For a body it reads to the end,
/// its tokens are the reader's (same type, start, value bytes, escape flag and decoded string: property-tested in
/// <c>JsonScannerTests</c>); before a failure they may not be (the reader rejects <c>0{</c> at the number, the scanner
/// at the brace), which the rollback makes irrelevant.
/// </summary>
internal ref struct JsonScanner : IJsonTokens
{
    public const int MaxDepth = 64;

    // Bytes that end a run of plain string content: the closing quote, a backslash, a control character.
    private static readonly SearchValues<byte> StringSpecial = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, (byte)'"', (byte)'\\']);

    private readonly ReadOnlySpan<byte> _json;
    private int _p;
    private ulong _arrays; // bit d set: the container at depth d + 1 is an array
    private int _depth;
    private State _state;
    private int _valueStart;
    private int _length;
    private JsonTokenType _type;
    private bool _escaped;

    public JsonScanner(ReadOnlySpan<byte> json)
    {
        _json = json;
        Failed = !System.Text.Unicode.Utf8.IsValid(json);
    }

    private enum State : byte
    {
        Value,
        ValueOrEnd,
        NameOrEnd,
        Name,
        After,
    }

    /// <summary>True when the body is not one the scanner reads (set when <see cref="Read"/> returns false early).</summary>
    public bool Failed { get; private set; }

    public readonly JsonTokenType TokenType => _type;

    public readonly int TokenStart => _type is JsonTokenType.String or JsonTokenType.PropertyName ? _valueStart - 1 : _valueStart;

    /// <summary>As the reader counts: past a property name's colon, past a string's closing quote, else past the token.</summary>
    public readonly long BytesConsumed => _type == JsonTokenType.PropertyName ? _p : _valueStart + _length + (_type == JsonTokenType.String ? 1 : 0);

    public readonly ReadOnlySpan<byte> ValueSpan => _json.Slice(_valueStart, _length);

    public readonly bool ValueIsEscaped => _escaped;

    public readonly string GetString()
    {
        if (!_escaped)
        {
            return Encoding.UTF8.GetString(ValueSpan); // valid UTF-8 (checked): decodes as the reader decodes it
        }

        // The quoted token alone is a JSON document: the reader unescapes it exactly as it would in place (and throws the same way on a lone surrogate).
        var reader = new Utf8JsonReader(_json.Slice(_valueStart - 1, _length + 2));
        reader.Read();
        return reader.GetString()!;
    }

    public readonly string GetComment() => throw new InvalidOperationException("The scanner reads no comments.");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Read()
    {
        if (Failed)
        {
            return false;
        }

        var json = _json;
        var p = _p;
        while (true)
        {
            while (p < json.Length && json[p] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                p++;
            }

            if (p == json.Length)
            {
                _p = p;
                return Fail(_depth == 0 && _state == State.After);
            }

            var c = json[p];
            switch (_state)
            {
                case State.Value:
                case State.ValueOrEnd:
                    switch (c)
                    {
                        case (byte)'"':
                            return String(p, JsonTokenType.String);
                        case (byte)'{':
                        case (byte)'[':
                            if (_depth == MaxDepth)
                            {
                                return Fail(false);
                            }

                            var isArray = c == '[';
                            _arrays = isArray ? _arrays | (1UL << _depth) : _arrays & ~(1UL << _depth);
                            _depth++;
                            _state = isArray ? State.ValueOrEnd : State.NameOrEnd;
                            return Token(p, 1, isArray ? JsonTokenType.StartArray : JsonTokenType.StartObject);
                        case (byte)']' when _state == State.ValueOrEnd:
                            _depth--;
                            _state = State.After;
                            return Token(p, 1, JsonTokenType.EndArray);
                        case (byte)'t':
                        case (byte)'f':
                        case (byte)'n':
                            var literal = c == 't' ? "true"u8 : c == 'f' ? "false"u8 : "null"u8;
                            if (!json[p..].StartsWith(literal))
                            {
                                return Fail(false);
                            }

                            _state = State.After;
                            return Token(p, literal.Length, c == 't' ? JsonTokenType.True : c == 'f' ? JsonTokenType.False : JsonTokenType.Null);
                        default:
                            var end = NumberEnd(json, p);
                            if (end < 0)
                            {
                                return Fail(false);
                            }

                            _state = State.After;
                            return Token(p, end - p, JsonTokenType.Number);
                    }

                case State.NameOrEnd:
                case State.Name:
                    if (c == '"')
                    {
                        return String(p, JsonTokenType.PropertyName);
                    }

                    if (c == '}' && _state == State.NameOrEnd)
                    {
                        _depth--;
                        _state = State.After;
                        return Token(p, 1, JsonTokenType.EndObject);
                    }

                    return Fail(false);
                default: // after a value
                    if (_depth == 0)
                    {
                        return Fail(false); // a second top-level value (NDJSON) or stray bytes: the reader decides
                    }

                    var inArray = (_arrays & (1UL << (_depth - 1))) != 0;
                    if (c == ',')
                    {
                        p++;
                        _state = inArray ? State.Value : State.Name;
                        continue;
                    }

                    if (c == (inArray ? ']' : '}'))
                    {
                        _depth--;
                        return Token(p, 1, inArray ? JsonTokenType.EndArray : JsonTokenType.EndObject);
                    }

                    return Fail(false);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Token(int start, int length, JsonTokenType type)
    {
        _valueStart = start;
        _length = length;
        _type = type;
        _escaped = false;
        _p = start + length;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool String(int quote, JsonTokenType type)
    {
        var json = _json;
        var close = StringEnd(json, quote + 1, out var escaped);
        if (close < 0)
        {
            return Fail(false);
        }

        _valueStart = quote + 1;
        _length = close - quote - 1;
        _type = type;
        _escaped = escaped;
        var p = close + 1;
        if (type == JsonTokenType.PropertyName)
        {
            while (p < json.Length && json[p] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                p++;
            }

            if (p == json.Length || json[p] != ':')
            {
                return Fail(false);
            }

            p++;
            _state = State.Value;
        }
        else
        {
            _state = State.After;
        }

        _p = p;
        return true;
    }

    /// <summary>Ends the token stream: at the end of a complete value (<paramref name="complete"/>), or failed.</summary>
    private bool Fail(bool complete)
    {
        Failed = !complete;
        return false;
    }

    /// <summary>The index of the closing quote of a string whose content starts at <paramref name="i"/>, or -1.</summary>
    private static int StringEnd(ReadOnlySpan<byte> json, int i, out bool escaped)
    {
        escaped = false;
        while (true)
        {
            var run = PlainRun(json, i);
            if (run < 0)
            {
                return -1;
            }

            i += run;
            var c = json[i];
            if (c == '"')
            {
                return i;
            }

            if (c != '\\')
            {
                return -1; // a raw control character
            }

            escaped = true;
            if (++i == json.Length)
            {
                return -1;
            }

            switch (json[i])
            {
                case (byte)'"':
                case (byte)'\\':
                case (byte)'/':
                case (byte)'b':
                case (byte)'f':
                case (byte)'n':
                case (byte)'r':
                case (byte)'t':
                    i++;
                    break;
                case (byte)'u':
                    if (i + 4 >= json.Length || !IsHex(json[i + 1]) || !IsHex(json[i + 2]) || !IsHex(json[i + 3]) || !IsHex(json[i + 4]))
                    {
                        return -1;
                    }

                    i += 5;
                    break;
                default:
                    return -1;
            }
        }
    }

    /// <summary>How many bytes from <paramref name="i"/> are plain string content (-1: the body ends first); short runs in one vector compare.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PlainRun(ReadOnlySpan<byte> json, int i)
    {
        if (Vector128.IsHardwareAccelerated && json.Length - i >= Vector128<byte>.Count)
        {
            var v = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(json), (nuint)i);
            var special = Vector128.Equals(v, Vector128.Create((byte)'"')) | Vector128.Equals(v, Vector128.Create((byte)'\\')) | Vector128.LessThan(v, Vector128.Create((byte)' '));
            var bits = special.ExtractMostSignificantBits();
            if (bits != 0)
            {
                return BitOperations.TrailingZeroCount(bits);
            }

            var rest = json[(i + Vector128<byte>.Count)..].IndexOfAny(StringSpecial);
            return rest < 0 ? -1 : rest + Vector128<byte>.Count;
        }

        return json[i..].IndexOfAny(StringSpecial);
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    /// <summary>The end of a number (RFC 8259 grammar) starting at <paramref name="i"/>, or -1.</summary>
    private static int NumberEnd(ReadOnlySpan<byte> json, int i)
    {
        var n = json.Length;
        if (json[i] == '-' && ++i == n)
        {
            return -1;
        }

        if (json[i] == '0')
        {
            i++;
        }
        else if (IsDigit(json[i]))
        {
            i = Digits(json, i + 1);
        }
        else
        {
            return -1;
        }

        if (i < n && json[i] == '.')
        {
            if (++i == n || !IsDigit(json[i]))
            {
                return -1;
            }

            i = Digits(json, i + 1);
        }

        if (i < n && json[i] is (byte)'e' or (byte)'E')
        {
            if (++i < n && json[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            if (i == n || !IsDigit(json[i]))
            {
                return -1;
            }

            i = Digits(json, i + 1);
        }

        return i;
    }

    private static int Digits(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && IsDigit(json[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
