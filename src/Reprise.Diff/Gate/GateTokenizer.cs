using System.Globalization;

namespace Reprise.Diff.Gate;

/// <summary>
/// Hand-written tokenizer: numbers (<c>10</c>, <c>0.5</c>, <c>10%</c> = 0.1, <c>50ms</c> = 50), identifiers
/// (<c>[a-z_][a-z0-9_]*</c>), <c>true</c>/<c>false</c>, <c>&amp;&amp; || !</c> (also <c>and or not</c>), comparisons
/// <c>&gt; &gt;= &lt; &lt;= == !=</c>, parentheses.
/// </summary>
internal static class GateTokenizer
{
    public static List<GateToken> Tokenize(string text)
    {
        var tokens = new List<GateToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var column = i + 1;
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                var literal = text[start..i];
                if (!double.TryParse(literal, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
                {
                    throw new GateSyntaxException(column, $"bad number '{literal}'");
                }

                if (i < text.Length && text[i] == '%')
                {
                    value /= 100;
                    i++;
                }
                else if (i + 1 < text.Length && text[i] == 'm' && text[i + 1] == 's' && (i + 2 >= text.Length || !char.IsAsciiLetterOrDigit(text[i + 2])))
                {
                    i += 2;
                }
                else if (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_'))
                {
                    throw new GateSyntaxException(i + 1, $"unexpected '{text[i]}' after number '{literal}' (units: % or ms)");
                }

                tokens.Add(new GateToken(GateTokenKind.Number, text[start..i], value, column));
                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                var word = text[start..i];
                var kind = word.ToLowerInvariant() switch
                {
                    "and" => GateTokenKind.And,
                    "or" => GateTokenKind.Or,
                    "not" => GateTokenKind.Not,
                    "true" => GateTokenKind.True,
                    "false" => GateTokenKind.False,
                    _ => GateTokenKind.Identifier,
                };
                tokens.Add(new GateToken(kind, word, 0, column));
                continue;
            }

            var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
            var (tokenKind, length) = two switch
            {
                "&&" => (GateTokenKind.And, 2),
                "||" => (GateTokenKind.Or, 2),
                ">=" => (GateTokenKind.GreaterOrEqual, 2),
                "<=" => (GateTokenKind.LessOrEqual, 2),
                "==" => (GateTokenKind.Equal, 2),
                "!=" => (GateTokenKind.NotEqual, 2),
                _ => c switch
                {
                    '>' => (GateTokenKind.Greater, 1),
                    '<' => (GateTokenKind.Less, 1),
                    '!' => (GateTokenKind.Not, 1),
                    '(' => (GateTokenKind.LeftParen, 1),
                    ')' => (GateTokenKind.RightParen, 1),
                    '=' => throw new GateSyntaxException(column, "'=' is not an operator; use '==' to compare"),
                    '&' => throw new GateSyntaxException(column, "'&' is not an operator; use '&&'"),
                    '|' => throw new GateSyntaxException(column, "'|' is not an operator; use '||'"),
                    _ => throw new GateSyntaxException(column, $"unexpected character '{c}'"),
                },
            };
            tokens.Add(new GateToken(tokenKind, text.Substring(i, length), 0, column));
            i += length;
        }

        tokens.Add(new GateToken(GateTokenKind.End, string.Empty, 0, text.Length + 1));
        return tokens;
    }
}
