namespace Reprise.Mock.Matching;

/// <summary>The outcome of matching one request: the entry to serve (null on a miss) and the tier.</summary>
internal readonly record struct MatchResult(MockEntry? Entry, MatchTier Tier, double Score);
