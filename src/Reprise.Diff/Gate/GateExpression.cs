namespace Reprise.Diff.Gate;

/// <summary>
/// A parsed <c>--fail-if</c> expression. Grammar (recursive descent, lowest precedence first):
/// <code>
/// expr       := and ( ("||" | "or") and )*
/// and        := unary ( ("&amp;&amp;" | "and") unary )*
/// unary      := ("!" | "not") unary | comparison
/// comparison := primary ( (">" | ">=" | "&lt;" | "&lt;=" | "==" | "!=") primary )?
/// primary    := NUMBER [ "%" | "ms" ] | VARIABLE | "true" | "false" | "(" expr ")"
/// </code>
/// Comparisons take numbers; logic takes booleans; the whole expression must be a boolean.
/// </summary>
public sealed class GateExpression
{
    private readonly GateNode _root;
    private readonly List<GateToken> _tokens;
    private int _position;

    private GateExpression(string text)
    {
        Text = text;
        _tokens = GateTokenizer.Tokenize(text);
        _root = ParseOr();
        if (Current.Kind != GateTokenKind.End)
        {
            throw new GateSyntaxException(Current.Column, $"unexpected '{Current.Text}' (expected && or || or the end)");
        }

        if (!_root.IsBoolean)
        {
            throw new GateSyntaxException(1, $"'{text}' is a number, not a condition (compare it, e.g. '{text} > 0')");
        }
    }

    /// <summary>The expression as given.</summary>
    public string Text { get; }

    /// <summary>Parses; throws <see cref="GateSyntaxException"/> with the column of the problem.</summary>
    public static GateExpression Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new GateSyntaxException(1, "empty expression");
        }

        return new GateExpression(text);
    }

    /// <summary>True when the gate fails (the condition holds).</summary>
    public bool Evaluate(IReadOnlyDictionary<string, double> variables) => _root.Evaluate(variables) != 0;

    /// <summary>The comparisons that hold, with the values that made them hold (e.g. <c>diffs &gt; 0 (diffs = 3)</c>).</summary>
    public List<string> Explain(IReadOnlyDictionary<string, double> variables)
    {
        var reasons = new List<string>();
        Collect(_root, variables, reasons);
        return reasons;
    }

    private static void Collect(GateNode node, IReadOnlyDictionary<string, double> variables, List<string> reasons)
    {
        switch (node)
        {
            case CompareNode compare when compare.Evaluate(variables) != 0:
                var values = new[] { compare.Left, compare.Right }.OfType<VariableNode>()
                    .Select(v => $"{v.Name} = {Format(v.Name, v.Evaluate(variables))}");
                reasons.Add($"{compare} ({string.Join(", ", values)})");
                break;
            case LogicNode logic:
                Collect(logic.Left, variables, reasons);
                Collect(logic.Right, variables, reasons);
                break;
            case NotNode not when not.Evaluate(variables) != 0:
                reasons.Add(not.ToString());
                break;
        }
    }

    /// <summary>Formats a variable's value as written in expressions (fractions as %).</summary>
    public static string Format(string name, double value) =>
        name.EndsWith("_rate", StringComparison.Ordinal) || name.EndsWith("_regression", StringComparison.Ordinal)
            ? (value * 100).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "%"
            : value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private GateToken Current => _tokens[_position];

    private GateToken Advance() => _tokens[_position++];

    private GateNode ParseOr()
    {
        var left = ParseAnd();
        while (Current.Kind == GateTokenKind.Or)
        {
            var op = Advance();
            var right = ParseAnd();
            RequireBoolean(left, op, "left");
            RequireBoolean(right, op, "right");
            left = new LogicNode(GateTokenKind.Or, left, right);
        }

        return left;
    }

    private GateNode ParseAnd()
    {
        var left = ParseUnary();
        while (Current.Kind == GateTokenKind.And)
        {
            var op = Advance();
            var right = ParseUnary();
            RequireBoolean(left, op, "left");
            RequireBoolean(right, op, "right");
            left = new LogicNode(GateTokenKind.And, left, right);
        }

        return left;
    }

    private GateNode ParseUnary()
    {
        if (Current.Kind == GateTokenKind.Not)
        {
            var op = Advance();
            var operand = ParseUnary();
            RequireBoolean(operand, op, "operand");
            return new NotNode(operand);
        }

        return ParseComparison();
    }

    private GateNode ParseComparison()
    {
        var left = ParsePrimary();
        if (Current.Kind is GateTokenKind.Greater or GateTokenKind.GreaterOrEqual or GateTokenKind.Less or GateTokenKind.LessOrEqual or GateTokenKind.Equal or GateTokenKind.NotEqual)
        {
            var op = Advance();
            var right = ParsePrimary();
            if (left.IsBoolean || right.IsBoolean)
            {
                throw new GateSyntaxException(op.Column, $"'{op.Text}' compares numbers, not conditions");
            }

            if (Current.Kind is GateTokenKind.Greater or GateTokenKind.GreaterOrEqual or GateTokenKind.Less or GateTokenKind.LessOrEqual or GateTokenKind.Equal or GateTokenKind.NotEqual)
            {
                throw new GateSyntaxException(Current.Column, $"comparisons do not chain; use && (e.g. 'a > 1 && a < 5')");
            }

            return new CompareNode(op.Kind, op.Text, left, right);
        }

        return left;
    }

    private GateNode ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case GateTokenKind.Number:
                Advance();
                return new NumberNode(token.Value, token.Text);
            case GateTokenKind.True or GateTokenKind.False:
                Advance();
                return new BooleanNode(token.Kind == GateTokenKind.True);
            case GateTokenKind.Identifier:
                Advance();
                if (!GateVariables.Documented.ContainsKey(token.Text))
                {
                    throw new GateSyntaxException(token.Column, $"unknown variable '{token.Text}' (known: {string.Join(", ", GateVariables.Documented.Keys.Order(StringComparer.Ordinal))})");
                }

                return new VariableNode(token.Text);
            case GateTokenKind.LeftParen:
                Advance();
                var inner = ParseOr();
                if (Current.Kind != GateTokenKind.RightParen)
                {
                    throw new GateSyntaxException(Current.Column, Current.Kind == GateTokenKind.End ? "missing ')'" : $"expected ')' but found '{Current.Text}'");
                }

                Advance();
                return inner;
            case GateTokenKind.End:
                throw new GateSyntaxException(token.Column, "unexpected end of expression (expected a number, variable or '(')");
            default:
                throw new GateSyntaxException(token.Column, $"unexpected '{token.Text}' (expected a number, variable or '(')");
        }
    }

    private static void RequireBoolean(GateNode node, GateToken op, string side)
    {
        if (!node.IsBoolean)
        {
            throw new GateSyntaxException(op.Column, $"{(side == "operand" ? "the operand of" : $"the {side} side of")} '{op.Text}' is a number, not a condition (compare it, e.g. '{node} > 0')");
        }
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
