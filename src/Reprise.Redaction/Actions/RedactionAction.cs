namespace Reprise.Redaction.Actions;

/// <summary>What happens to a sensitive value.</summary>
public enum RedactionAction
{
    /// <summary>Format-preserving mask: same length, separators kept, letters and digits replaced by '*' except the last few.</summary>
    Mask,

    /// <summary>HMAC-SHA256 with the project key: the same input always gives the same token (<c>tok_…</c>), so correlation and mock matching still work.</summary>
    Tokenize,

    /// <summary>A realistic fake value of the same kind, chosen deterministically from the HMAC (Bogus).</summary>
    Fake,

    /// <summary>Removed: JSON values become null, headers/fields/parameters are removed, text is cut.</summary>
    Drop,

    /// <summary>Left exactly as is: an exemption for a rule's selection (e.g. a reference number that passes the card check). Never recorded.</summary>
    Keep,
}
