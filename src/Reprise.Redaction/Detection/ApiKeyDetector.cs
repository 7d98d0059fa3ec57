using System.Buffers;
using System.Text.RegularExpressions;

namespace Reprise.Redaction.Detection;

/// <summary>
/// Well-known credential formats with a recognisable prefix: AWS access key ids, Google API keys and
/// OAuth tokens, Azure storage keys and client secrets, GitHub, GitLab, Slack, Stripe, Twilio, SendGrid,
/// npm, PyPI, OpenAI, Anthropic, Shopify, Mailgun, Square, DigitalOcean, HashiCorp Vault, Atlassian,
/// Braintree tokens and PEM private keys. <see cref="Provider"/> names which one matched.
/// </summary>
public sealed partial class ApiKeyDetector : IValueDetector
{
    private static readonly string[] Providers =
    [
        "aws", "gcp", "gcp-oauth", "azure-storage", "azure-client-secret", "github", "gitlab", "slack", "slack-webhook", "stripe", "twilio",
        "sendgrid", "npm", "pypi", "anthropic", "openai", "shopify", "mailgun", "square", "digitalocean", "vault", "atlassian", "braintree", "private-key",
    ];

    private static readonly SearchValues<string> Anchors = SearchValues.Create(
    [
        "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "A3T", // aws
        "AIza", "ya29.", // gcp, gcp-oauth
        "AccountKey=", "Q~", // azure-storage, azure-client-secret
        "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", // github
        "glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "gloas-", "GR1348941", // gitlab
        "xox", "xapp-", "hooks.slack.com/", // slack, slack-webhook
        "k_live_", "k_test_", "whsec_", // stripe
        "SK", "SG.", "npm_", "pypi-", "sk-", "shp", "key-", // twilio, sendgrid, npm, pypi, anthropic/openai, shopify, mailgun
        "sq0", "EAAA", "_v1_", "hvs.", "hvb.", "ATATT3", "access_token$", "-----BEGIN", // square, digitalocean, vault, atlassian, braintree, private-key
    ], StringComparison.Ordinal);

    public string Name => "api-key";

    public DataKind Kind => DataKind.ApiKey;

    public bool MayMatch(in TextStats stats) => stats.MaxRun >= 16 || (stats.MaxRun >= 10 && stats.EqualSigns > 0);

    public void Find(string text, List<(int Start, int Length)> matches)
    {
        if (!MayContain(text))
        {
            // The pattern's leading classes (Azure's [A-Za-z0-9_~.-]{3}) make it try a match at almost every position of a long value.
            return;
        }

        foreach (var match in Pattern().EnumerateMatches(text))
        {
            matches.Add((match.Index, match.Length));
        }
    }

    /// <summary>
    /// False when the text holds none of the literals that every alternative of <see cref="Pattern"/>
    /// contains (a provider prefix, <c>Q~</c> for Azure client secrets, <c>-----BEGIN</c> for PEM keys):
    /// one vectorized search rules out UUIDs, URLs, hashes and base64 blobs before the regex runs.
    /// A property test checks that no text the pattern matches is ruled out; a new alternative needs its literal here.
    /// </summary>
    internal static bool MayContain(ReadOnlySpan<char> text) => text.ContainsAny(Anchors);

    /// <summary>Which provider's format a matched key has (for scan output), or null.</summary>
    public static string? Provider(string key)
    {
        var match = Pattern().Match(key);
        if (!match.Success)
        {
            return null;
        }

        foreach (var name in Providers)
        {
            if (match.Groups[name.Replace('-', '_')].Success)
            {
                return name;
            }
        }

        return null;
    }

    [GeneratedRegex("""
        (?<![A-Za-z0-9_/+=-])(?:
          (?<aws>(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16})
        | (?<gcp>AIza[0-9A-Za-z_-]{35})
        | (?<gcp_oauth>ya29\.[0-9A-Za-z_-]{20,})
        | (?<azure_storage>AccountKey=[A-Za-z0-9+/]{60,}={0,2})
        | (?<azure_client_secret>[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})
        | (?<github>(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{50,})
        | (?<gitlab>(?:glpat|gldt|glrt|glptt|glcbt|gloas)-[A-Za-z0-9_-]{20,}|GR1348941[A-Za-z0-9_-]{20,})
        | (?<slack>xox[abposre]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+)
        | (?<slack_webhook>https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9/_-]{20,})
        | (?<stripe>(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,})
        | (?<twilio>SK[0-9a-f]{32})
        | (?<sendgrid>SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,})
        | (?<npm>npm_[A-Za-z0-9]{36})
        | (?<pypi>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})
        | (?<anthropic>sk-ant-[A-Za-z0-9_-]{20,})
        | (?<openai>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,})
        | (?<shopify>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})
        | (?<mailgun>key-[0-9a-f]{32})
        | (?<square>sq0(?:atp|csp)-[0-9A-Za-z_-]{22,}|EAAA[A-Za-z0-9_-]{60})
        | (?<digitalocean>do[opr]_v1_[a-f0-9]{64})
        | (?<vault>hv[sb]\.[A-Za-z0-9_-]{24,})
        | (?<atlassian>ATATT3[A-Za-z0-9_=-]{50,})
        | (?<braintree>access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32})
        | (?<private_key>-----BEGIN[ A-Z]*PRIVATE\ KEY-----[\s\S]{16,}?-----END[ A-Z]*PRIVATE\ KEY-----)
        )(?![A-Za-z0-9_])
        """, RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture)]
    internal static partial Regex Pattern();
}
