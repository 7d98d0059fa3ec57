namespace Reprise.Replay.Correlation;

/// <summary>One form of a page: its anti-forgery field and token, and its other hidden fields (name, decoded value).</summary>
internal sealed record PageForm(string Field, string Token, (string Name, string Value)[] Hidden);
