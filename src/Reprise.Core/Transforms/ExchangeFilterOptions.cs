using Reprise.Core.Model;

namespace Reprise.Core.Transforms;

/// <summary>Criteria shared by <c>filter</c>, <c>record</c>, <c>replay</c> and <c>mock</c>. All set criteria must hold.</summary>
public sealed record ExchangeFilterOptions
{
    /// <summary>Methods to keep (case-insensitive); empty keeps all.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>Path globs to keep (any matches); empty keeps all.</summary>
    public IReadOnlyList<PathGlob> Paths { get; init; } = [];

    /// <summary>Path globs to drop (any matches).</summary>
    public IReadOnlyList<PathGlob> ExcludePaths { get; init; } = [];

    /// <summary>Hosts to keep (exact, or <c>*.example.com</c>); empty keeps all.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>Statuses to keep.</summary>
    public StatusMatcher? Status { get; init; }

    /// <summary>Direction to keep.</summary>
    public Direction? Direction { get; init; }

    /// <summary>Services to keep; empty keeps all.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>True when no criterion is set.</summary>
    public bool IsEmpty => Methods.Count == 0 && Paths.Count == 0 && ExcludePaths.Count == 0 && Hosts.Count == 0
        && Status is null && Direction is null && Services.Count == 0;
}
