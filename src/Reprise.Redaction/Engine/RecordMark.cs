namespace Reprise.Redaction.Engine;

/// <summary>How many redactions, findings and values to spread a <see cref="RedactionSession"/> held (-1: no list of values yet).</summary>
internal readonly record struct RecordMark(int Redactions, int Findings, int SpreadValues);
