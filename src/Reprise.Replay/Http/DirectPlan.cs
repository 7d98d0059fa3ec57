using Reprise.Replay.Results;

namespace Reprise.Replay.Http;

/// <summary>
/// What the direct path (<see cref="DirectRequest"/>) reads of a template per request, in one small object allocated
/// next to its own copy of the request bytes: a replay cycles through thousands of templates, so each request's template
/// data is usually out of the CPU caches, and reading flags, the wire and the stats from one object (instead of three
/// cache lines of the template, its cached wire record and the bytes) saves memory round trips per request.
/// </summary>
internal sealed class DirectPlan(byte[] wire, EndpointStats stats, bool headRequest, bool noBody)
{
    /// <summary>The request as HTTP/1.1 bytes (no bearer token).</summary>
    public byte[] Wire { get; } = wire;

    /// <summary>The template's endpoint stats.</summary>
    public EndpointStats Stats { get; } = stats;

    public bool HeadRequest { get; } = headRequest;

    /// <summary>True when the request has no body (a failure on a stale connection may then be retried).</summary>
    public bool NoBody { get; } = noBody;
}
