namespace Reprise.Redaction.Actions;

/// <summary>An action with its parameters.</summary>
/// <param name="Action">mask, tokenize, fake or drop.</param>
/// <param name="KeepLast">For mask: how many trailing letters/digits stay readable (only when at least twice as many are hidden); null = the kind's default.</param>
public readonly record struct ActionSpec(RedactionAction Action, int? KeepLast = null)
{
    public static ActionSpec Mask(int? keepLast = null) => new(RedactionAction.Mask, keepLast);

    public static readonly ActionSpec Tokenize = new(RedactionAction.Tokenize);

    public static readonly ActionSpec Fake = new(RedactionAction.Fake);

    public static readonly ActionSpec Drop = new(RedactionAction.Drop);

    /// <summary>The wire name (<c>mask</c>, <c>tokenize</c>, <c>fake</c>, <c>drop</c>) written into <c>Redactions</c>.</summary>
    public string WireName => Action switch
    {
        RedactionAction.Mask => "mask",
        RedactionAction.Tokenize => "tokenize",
        RedactionAction.Fake => "fake",
        RedactionAction.Keep => "keep",
        _ => "drop",
    };

    public override string ToString() => KeepLast is { } k ? $"{WireName}(keepLast={k})" : WireName;

    /// <summary>Parses a wire name.</summary>
    public static bool TryParse(string? text, out RedactionAction action)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "mask": action = RedactionAction.Mask; return true;
            case "tokenize" or "tokenise": action = RedactionAction.Tokenize; return true;
            case "fake": action = RedactionAction.Fake; return true;
            case "drop": action = RedactionAction.Drop; return true;
            case "keep": action = RedactionAction.Keep; return true;
            default: action = default; return false;
        }
    }
}
