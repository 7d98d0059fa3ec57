using System.Collections.Frozen;
using Reprise.Redaction.Actions;

namespace Reprise.Redaction.Policy;

/// <summary>
/// Which headers are masked whole (deny), which are never touched (allow), and the action for denied
/// headers. Other headers are scanned by the detectors like any text. Names are compared case-insensitively.
/// </summary>
public sealed class HeaderPolicy
{
    /// <summary>Headers that always carry credentials or session state.</summary>
    public static readonly IReadOnlyList<string> DefaultDeny =
    [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "apikey", "x-auth-token", "x-access-token", "x-refresh-token",
        "x-csrf-token", "x-xsrf-token", "x-amz-security-token", "x-goog-api-key", "ocp-apim-subscription-key", "x-functions-key", "private-token", "job-token",
        "x-gitlab-token", "x-github-token", "x-vault-token", "x-session-id", "x-session-token", "x-client-secret", "x-shopify-access-token", "x-figma-token",
        "x-slack-signature", "x-hub-signature", "x-hub-signature-256", "stripe-signature", "x-twilio-signature", "x-goog-iap-jwt-assertion", "x-ms-token-aad-id-token",
        "x-forwarded-client-cert", "authentication", "www-authenticate-token",
    ];

    /// <summary>Name fragments that make any other header a denied one (e.g. <c>x-custom-token</c>).</summary>
    public static readonly IReadOnlyList<string> DefaultDenyFragments = ["token", "secret", "api-key", "apikey", "password", "passwd", "credential", "session", "signature", "cookie", "auth"];

    /// <summary>
    /// Protocol headers that never hold personal data; not scanned, so their values stay exact for replay.
    /// <c>:path</c> is not here: it is the request URL and goes through the same URL redaction.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultAllow =
    [
        "host", ":authority", ":method", ":scheme", ":status", "content-type", "content-length", "content-encoding", "transfer-encoding", "accept", "accept-encoding",
        "accept-language", "accept-ranges", "connection", "keep-alive", "upgrade", "cache-control", "pragma", "expires", "age", "date", "etag", "last-modified", "if-none-match",
        "if-modified-since", "vary", "server", "traceparent", "tracestate", "content-range", "range", "te", "trailer", "grpc-status", "grpc-encoding", "grpc-accept-encoding",
        "www-authenticate", "access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers", "access-control-allow-credentials",
        "access-control-max-age", "access-control-expose-headers", "access-control-request-method", "access-control-request-headers", "x-content-type-options",
        "strict-transport-security", "content-security-policy", "x-frame-options", "referrer-policy", "sec-fetch-mode", "sec-fetch-site", "sec-fetch-dest",
    ];

    private readonly FrozenSet<string> _allow;
    private readonly FrozenSet<string> _deny;
    private readonly string[] _fragments;

    public HeaderPolicy(IEnumerable<string> allow, IEnumerable<string> deny, IEnumerable<string> denyFragments, ActionSpec action)
    {
        _allow = allow.Select(h => h.ToLowerInvariant()).ToFrozenSet(StringComparer.Ordinal);
        _deny = deny.Select(h => h.ToLowerInvariant()).Except(_allow).ToFrozenSet(StringComparer.Ordinal);
        _fragments = [.. denyFragments.Select(f => f.ToLowerInvariant())];
        Action = action;
    }

    /// <summary>The action for denied headers (default: mask).</summary>
    public ActionSpec Action { get; }

    public IEnumerable<string> Allow => _allow.Order(StringComparer.Ordinal);

    public IEnumerable<string> Deny => _deny.Order(StringComparer.Ordinal);

    public IEnumerable<string> DenyFragments => _fragments;

    /// <summary>True when the header is allow-listed (left exactly as is).</summary>
    public bool IsAllowed(string lowerName) => _allow.Contains(lowerName);

    /// <summary>True when the header is redacted whole.</summary>
    public bool IsDenied(string lowerName)
    {
        if (_allow.Contains(lowerName))
        {
            return false;
        }

        if (_deny.Contains(lowerName))
        {
            return true;
        }

        foreach (var fragment in _fragments)
        {
            if (lowerName.Contains(fragment, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
