using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text.Json;

namespace Reprise.Redaction.Engine;

/// <summary>
/// A strict pre-scan of a whole JSON body into a token list, for <see cref="ScannedTokens"/>: one value (object, array
/// or scalar) in RFC 8259 syntax, valid UTF-8, at most <see cref="MaxDepth"/> levels. Anything else (comments, trailing
/// commas, several top-level values, deeper nesting, any syntax error) makes it return -1 before any token is used,
/// and the body goes to <see cref="Utf8JsonReader"/>, which decides what it is: the scan never has to be undone. For a
/// body it accepts, <see cref="Utf8JsonReader"/> (with the redactor's options) reads the same tokens: same type, start,
/// value bytes and escape flag (property-tested in <c>JsonScannerTests</c>).
/// </summary>
internal static class JsonScanner
{
    public const int MaxDepth = 64;

    // Bytes that end a run of plain string content: the closing quote, a backslash, a control character.
    private static readonly SearchValues<byte> StringSpecial = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, (byte)'"', (byte)'\\']);

    private enum State : byte
    {
        Value,
        ValueOrEnd,
        NameOrEnd,
        Name,
        After,
    }

    /// <summary>The number of tokens written to <paramref name="tokens"/> (grown from the shared pool as needed), or -1.</summary>
    public static int Scan(ReadOnlySpan<byte> json, ref ScannedToken[] tokens)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            return -1;
        }

        var count = 0;
        var p = 0;
        var n = json.Length;
        ulong arrays = 0; // bit d set: the container at depth d + 1 is an array
        var depth = 0;
        var state = State.Value;
        while (true)
        {
            while (p < n && json[p] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                p++;
            }

            if (p == n)
            {
                break;
            }

            var c = json[p];
            if (count == tokens.Length)
            {
                Grow(ref tokens);
            }

            switch (state)
            {
                case State.Value:
                case State.ValueOrEnd:
                    switch (c)
                    {
                        case (byte)'"':
                            var close = StringEnd(json, p + 1, out var escaped);
                            if (close < 0)
                            {
                                return -1;
                            }

                            tokens[count++] = new ScannedToken(p + 1, close - p - 1, JsonTokenType.String, escaped);
                            p = close + 1;
                            state = State.After;
                            break;
                        case (byte)'{':
                        case (byte)'[':
                            if (depth == MaxDepth)
                            {
                                return -1;
                            }

                            var isArray = c == '[';
                            arrays = isArray ? arrays | (1UL << depth) : arrays & ~(1UL << depth);
                            depth++;
                            tokens[count++] = new ScannedToken(p, 1, isArray ? JsonTokenType.StartArray : JsonTokenType.StartObject, false);
                            p++;
                            state = isArray ? State.ValueOrEnd : State.NameOrEnd;
                            break;
                        case (byte)']' when state == State.ValueOrEnd:
                            depth--;
                            tokens[count++] = new ScannedToken(p, 1, JsonTokenType.EndArray, false);
                            p++;
                            state = State.After;
                            break;
                        case (byte)'t':
                        case (byte)'f':
                        case (byte)'n':
                            var literal = c == 't' ? "true"u8 : c == 'f' ? "false"u8 : "null"u8;
                            if (!json[p..].StartsWith(literal))
                            {
                                return -1;
                            }

                            tokens[count++] = new ScannedToken(p, literal.Length, c == 't' ? JsonTokenType.True : c == 'f' ? JsonTokenType.False : JsonTokenType.Null, false);
                            p += literal.Length;
                            state = State.After;
                            break;
                        default:
                            var end = NumberEnd(json, p);
                            if (end < 0)
                            {
                                return -1;
                            }

                            tokens[count++] = new ScannedToken(p, end - p, JsonTokenType.Number, false);
                            p = end;
                            state = State.After;
                            break;
                    }

                    break;
                case State.NameOrEnd:
                case State.Name:
                    if (c == '"')
                    {
                        var close = StringEnd(json, p + 1, out var escaped);
                        if (close < 0)
                        {
                            return -1;
                        }

                        tokens[count++] = new ScannedToken(p + 1, close - p - 1, JsonTokenType.PropertyName, escaped);
                        p = close + 1;
                        while (p < n && json[p] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
                        {
                            p++;
                        }

                        if (p == n || json[p] != ':')
                        {
                            return -1;
                        }

                        p++;
                        state = State.Value;
                    }
                    else if (c == '}' && state == State.NameOrEnd)
                    {
                        depth--;
                        tokens[count++] = new ScannedToken(p, 1, JsonTokenType.EndObject, false);
                        p++;
                        state = State.After;
                    }
                    else
                    {
                        return -1;
                    }

                    break;
                default: // After a value
                    if (depth == 0)
                    {
                        return -1; // a second top-level value (NDJSON) or stray bytes: the reader decides
                    }

                    var inArray = (arrays & (1UL << (depth - 1))) != 0;
                    if (c == ',')
                    {
                        p++;
                        state = inArray ? State.Value : State.Name;
                    }
                    else if (c == (inArray ? ']' : '}'))
                    {
                        depth--;
                        tokens[count++] = new ScannedToken(p, 1, inArray ? JsonTokenType.EndArray : JsonTokenType.EndObject, false);
                        p++;
                    }
                    else
                    {
                        return -1;
                    }

                    break;
            }
        }

        return depth == 0 && state == State.After ? count : -1;
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

    private static void Grow(ref ScannedToken[] tokens)
    {
        var larger = ArrayPool<ScannedToken>.Shared.Rent(Math.Max(64, tokens.Length * 2));
        tokens.AsSpan().CopyTo(larger);
        if (tokens.Length > 0)
        {
            ArrayPool<ScannedToken>.Shared.Return(tokens);
        }

        tokens = larger;
    }
}
