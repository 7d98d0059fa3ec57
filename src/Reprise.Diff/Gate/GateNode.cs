namespace Reprise.Diff.Gate;

/// <summary>A node of a parsed gate expression. Values are numbers; booleans are 1 and 0.</summary>
internal abstract record GateNode
{
    /// <summary>Evaluates against the variables.</summary>
    public abstract double Evaluate(IReadOnlyDictionary<string, double> variables);

    /// <summary>True when the node yields a boolean (comparison, logic, literal).</summary>
    public abstract bool IsBoolean { get; }
}

internal sealed record NumberNode(double Value, string Text) : GateNode
{
    public override double Evaluate(IReadOnlyDictionary<string, double> variables) => Value;

    public override bool IsBoolean => false;

    public override string ToString() => Text;
}

internal sealed record BooleanNode(bool Value) : GateNode
{
    public override double Evaluate(IReadOnlyDictionary<string, double> variables) => Value ? 1 : 0;

    public override bool IsBoolean => true;

    public override string ToString() => Value ? "true" : "false";
}

internal sealed record VariableNode(string Name) : GateNode
{
    public override double Evaluate(IReadOnlyDictionary<string, double> variables) => variables.TryGetValue(Name, out var v) ? v : 0;

    public override bool IsBoolean => false;

    public override string ToString() => Name;
}

internal sealed record NotNode(GateNode Operand) : GateNode
{
    public override double Evaluate(IReadOnlyDictionary<string, double> variables) => Operand.Evaluate(variables) != 0 ? 0 : 1;

    public override bool IsBoolean => true;

    public override string ToString() => $"!{Operand}";
}

internal sealed record LogicNode(GateTokenKind Operator, GateNode Left, GateNode Right) : GateNode
{
    public override double Evaluate(IReadOnlyDictionary<string, double> variables) => Operator == GateTokenKind.And
        ? (Left.Evaluate(variables) != 0 && Right.Evaluate(variables) != 0 ? 1 : 0)
        : (Left.Evaluate(variables) != 0 || Right.Evaluate(variables) != 0 ? 1 : 0);

    public override bool IsBoolean => true;

    public override string ToString() => $"({Left} {(Operator == GateTokenKind.And ? "&&" : "||")} {Right})";
}

internal sealed record CompareNode(GateTokenKind Operator, string Symbol, GateNode Left, GateNode Right) : GateNode
{
    /// <summary>Tolerance for == and != on fractions (0.1 + 0.2 == 0.3).</summary>
    private const double Epsilon = 1e-9;

    public override double Evaluate(IReadOnlyDictionary<string, double> variables)
    {
        var a = Left.Evaluate(variables);
        var b = Right.Evaluate(variables);
        var result = Operator switch
        {
            GateTokenKind.Greater => a > b + Epsilon,
            GateTokenKind.GreaterOrEqual => a >= b - Epsilon,
            GateTokenKind.Less => a < b - Epsilon,
            GateTokenKind.LessOrEqual => a <= b + Epsilon,
            GateTokenKind.Equal => Math.Abs(a - b) <= Epsilon,
            _ => Math.Abs(a - b) > Epsilon,
        };
        return result ? 1 : 0;
    }

    public override bool IsBoolean => true;

    public override string ToString() => $"{Left} {Symbol} {Right}";
}
