namespace Reprise.Diff.Gate;

/// <summary>Token kinds of the gate language.</summary>
internal enum GateTokenKind
{
    Number,
    Identifier,
    True,
    False,
    And,
    Or,
    Not,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Equal,
    NotEqual,
    LeftParen,
    RightParen,
    End,
}

/// <summary>One token: kind, text, numeric value (percentages already divided by 100), 1-based column.</summary>
internal readonly record struct GateToken(GateTokenKind Kind, string Text, double Value, int Column);
