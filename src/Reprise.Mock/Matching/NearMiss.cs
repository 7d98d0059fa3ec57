namespace Reprise.Mock.Matching;

/// <summary>A recorded request close to a missed one, with its similarity and the fields that differ.</summary>
internal sealed record NearMiss(MockEntry Entry, double Score, IReadOnlyList<string> Differences);
