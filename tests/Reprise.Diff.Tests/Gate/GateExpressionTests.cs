using System.Globalization;
using CsCheck;
using Reprise.Diff.Gate;

namespace Reprise.Diff.Tests.Gate;

public sealed class GateExpressionTests
{
    private static Dictionary<string, double> Vars(params (string Name, double Value)[] values)
    {
        var vars = GateVariables.Documented.Keys.ToDictionary(k => k, _ => 0.0, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            vars[name] = value;
        }

        return vars;
    }

    [Fact]
    public void DefaultGate_FailsOnDiffsLatencyOrErrors()
    {
        var gate = GateExpression.Parse(GateVariables.DefaultGate);

        Assert.False(gate.Evaluate(Vars()));
        Assert.True(gate.Evaluate(Vars(("diffs", 1))));
        Assert.False(gate.Evaluate(Vars(("p95_regression", 0.10))));
        Assert.True(gate.Evaluate(Vars(("p95_regression", 0.1001))));
        Assert.False(gate.Evaluate(Vars(("error_rate", 0.001))));
        Assert.True(gate.Evaluate(Vars(("error_rate", 0.0011))));
    }

    [Theory]
    [InlineData("diffs > 0 && errors > 0 || noise > 5", 0, 0, 6, true)] // && binds tighter than ||
    [InlineData("diffs > 0 && (errors > 0 || noise > 5)", 0, 0, 6, false)]
    [InlineData("!(diffs > 0)", 0, 0, 0, true)]
    [InlineData("not diffs > 0 or errors >= 2", 1, 2, 0, true)]
    [InlineData("diffs == 3 and errors != 3", 3, 1, 0, true)]
    [InlineData("true && !false", 0, 0, 0, true)]
    [InlineData("diffs <= 2 && errors < 1", 2, 0, 0, true)]
    public void Operators_FollowPrecedence(string expression, double diffs, double errors, double noise, bool expected) =>
        Assert.Equal(expected, GateExpression.Parse(expression).Evaluate(Vars(("diffs", diffs), ("errors", errors), ("noise", noise))));

    [Theory]
    [InlineData("10%", 0.1)]
    [InlineData("0.1%", 0.001)]
    [InlineData("50ms", 50)]
    [InlineData(".5", 0.5)]
    public void Literals_CarryUnits(string literal, double value)
    {
        Assert.True(GateExpression.Parse($"p95_regression == {literal}").Evaluate(Vars(("p95_regression", value))));
    }

    [Theory]
    [InlineData("", 1, "empty expression")]
    [InlineData("diffs", 1, "is a number, not a condition")]
    [InlineData("diffs > > 1", 9, "unexpected '>'")]
    [InlineData("(diffs > 1", 11, "missing ')'")]
    [InlineData("diffs > 1)", 10, "unexpected ')'")]
    [InlineData("1 < diffs < 5", 11, "comparisons do not chain")]
    [InlineData("diffs > 1 & errors > 1", 11, "use '&&'")]
    [InlineData("diffs > 1 | errors > 1", 11, "use '||'")]
    [InlineData("diffs > 1.2.3", 9, "bad number")]
    [InlineData("(diffs > 1) > 2", 13, "compares numbers, not conditions")]
    [InlineData("!diffs", 1, "the operand of '!' is a number")]
    [InlineData("diffs > 0 # x", 11, "unexpected character '#'")]
    public void BadExpressions_NameTheColumn(string expression, int column, string message)
    {
        var ex = Assert.Throws<GateSyntaxException>(() => GateExpression.Parse(expression));

        Assert.Equal(column, ex.Column);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith($"column {column}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_NamesTheConditionsThatHold()
    {
        var gate = GateExpression.Parse("diffs > 0 || p95_regression > 10% || error_rate > 0.1%");

        var reasons = gate.Explain(Vars(("diffs", 3), ("error_rate", 0.25)));

        Assert.Equal(["diffs > 0 (diffs = 3)", "error_rate > 0.1% (error_rate = 25%)"], reasons);
    }

    [Fact]
    public void Comparisons_AgreeWithCSharp_Property()
    {
        var ops = new[] { ">", ">=", "<", "<=", "==", "!=" };
        Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.Int[0, 5]).Sample((a, b, op) =>
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"diffs {ops[op]} {b}");
            var expected = op switch { 0 => a > b, 1 => a >= b, 2 => a < b, 3 => a <= b, 4 => a == b, _ => a != b };
            return GateExpression.Parse(text).Evaluate(Vars(("diffs", a))) == expected;
        });
    }

    [Fact]
    public void Parser_NeverThrowsAnythingButSyntaxErrors_Property()
    {
        var alphabet = "diffs errors > < = ! & | ( ) 0 1 5 % . ms true and or not _x".Split(' ');
        Gen.Int[0, alphabet.Length - 1].Array[0, 12].Sample(tokens =>
        {
            var text = string.Join(' ', tokens.Select(i => alphabet[i]));
            try
            {
                GateExpression.Parse(text).Evaluate(Vars());
            }
            catch (GateSyntaxException ex)
            {
                return ex.Column >= 1 && ex.Column <= text.Length + 1;
            }

            return true;
        });
    }
}
