namespace Reprise.Diff.Model;

/// <summary>One compared exchange, compactly, for the report's virtualised table.</summary>
/// <param name="Endpoint">Index into <see cref="DiffReport.Endpoints"/>.</param>
/// <param name="Path">Path and query (shortened).</param>
/// <param name="ExpectedStatus">Recorded status (0 when no response).</param>
/// <param name="ActualStatus">New status (0 when no response).</param>
/// <param name="ExpectedMs">Recorded duration.</param>
/// <param name="ActualMs">New duration.</param>
/// <param name="Differences">Differences after noise.</param>
/// <param name="Sample">Index into <see cref="DiffReport.Samples"/>, or −1.</param>
/// <param name="NewError">True when this is a new error.</param>
public readonly record struct ExchangeRow(int Endpoint, string Path, int ExpectedStatus, int ActualStatus, float ExpectedMs, float ActualMs, int Differences, int Sample, bool NewError);
