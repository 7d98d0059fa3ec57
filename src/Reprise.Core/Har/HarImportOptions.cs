using Reprise.Core.Model;

namespace Reprise.Core.Har;

/// <summary>How HAR entries become exchanges.</summary>
public sealed record HarImportOptions
{
    /// <summary>Direction given to imported exchanges (a browser's HAR is traffic into the services it called).</summary>
    public Direction Direction { get; init; } = Direction.Inbound;

    /// <summary>Service name for every exchange; null uses each request's host.</summary>
    public string? Service { get; init; }
}
