using Reprise.Replay.Results;

namespace Reprise.Replay.Http;

/// <summary>
/// What the direct path (<see cref="DirectRequest"/>) reads of a template per request, as a value carried in the
/// dispatcher's cached entries and the work items: a replay cycles through thousands of templates, so a template's
/// objects are usually out of the CPU caches when its turn comes, and a virtual user on the direct path then reads only
/// the request bytes, not the template (or another object) first.
/// </summary>
/// <param name="Wire">The request as HTTP/1.1 bytes (no bearer token).</param>
/// <param name="Stats">The template's endpoint stats.</param>
/// <param name="HeadRequest">True for HEAD (the response has no body).</param>
/// <param name="NoBody">True when the request has no body (a failure on a stale connection may then be retried).</param>
internal readonly record struct DirectPlan(byte[] Wire, EndpointStats Stats, bool HeadRequest, bool NoBody);
