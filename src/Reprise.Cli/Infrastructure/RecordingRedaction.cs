using Reprise.Core.Pipeline;
using Reprise.Core.Recording;

namespace Reprise.Cli.Infrastructure;

/// <summary>How a recording was redacted, from its header: the policy name and digest, or none.</summary>
/// <param name="Path">The recording.</param>
/// <param name="Policy">The policy name in the header; null (or <c>none</c>) when it was stored unredacted.</param>
/// <param name="Digest">The policy digest in the header (rules and key id).</param>
/// <param name="MaxBody">The body cap the recording was captured with (its header's <c>capture.maxBody</c>); null when unknown.</param>
internal sealed record RecordingRedaction(string Path, string? Policy, string? Digest, long? MaxBody = null)
{
    /// <summary>True when the header names a redaction policy.</summary>
    public bool Redacted => Policy is not null && !string.Equals(Policy, NoRedaction.Instance.PolicyName, StringComparison.Ordinal);

    /// <summary>Reads the header of a recording (a HAR file carries no policy: unredacted).</summary>
    public static async Task<RecordingRedaction> ReadAsync(string path, RecordingReadOptions? options, CancellationToken cancellationToken)
    {
        if (ExchangeSources.IsHar(path))
        {
            return new RecordingRedaction(path, null, null);
        }

        var header = await new RecordingReader(path, options).ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
        var maxBody = header.Capture.TryGetValue("maxBody", out var cap) && long.TryParse(cap, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes) ? bytes : (long?)null;
        return new RecordingRedaction(path, header.RedactionPolicy, header.RedactionDigest, maxBody);
    }
}
