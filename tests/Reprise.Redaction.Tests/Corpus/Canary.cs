namespace Reprise.Redaction.Tests.Corpus;

/// <summary>One planted secret: its raw value and what it is.</summary>
public sealed record Canary(string Kind, string Value);
