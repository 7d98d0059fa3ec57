namespace Reprise.Core.Model;

/// <summary>One header line. Lists of these keep wire order and repeated names.</summary>
/// <param name="Name">The header name as seen on the wire (case kept).</param>
/// <param name="Value">The header value.</param>
public readonly record struct HeaderField(string Name, string Value);
