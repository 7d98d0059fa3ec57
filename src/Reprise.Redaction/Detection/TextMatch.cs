namespace Reprise.Redaction.Detection;

/// <summary>A detected span inside a text value, with the detector (or rule) that found it and what to do.</summary>
/// <param name="Start">Offset of the first character.</param>
/// <param name="Length">Number of characters.</param>
/// <param name="Rule">Stable name of the detector or rule.</param>
/// <param name="Kind">What the value is.</param>
/// <param name="Action">What to do with it.</param>
public readonly record struct TextMatch(int Start, int Length, string Rule, DataKind Kind, Actions.ActionSpec Action)
{
    public int End => Start + Length;
}
