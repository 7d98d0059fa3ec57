using System.Text.RegularExpressions;

namespace Reprise.Redaction.Detection;

/// <summary>JSON Web Tokens (RFC 7519): base64url header and payload that both decode to a JSON object (<c>eyJ</c>), and a signature.</summary>
public sealed partial class JwtDetector : IValueDetector
{
    public string Name => "jwt";

    public DataKind Kind => DataKind.Jwt;

    public bool MayMatch(in TextStats stats) => stats.Length >= 20 && stats.Dots >= 1 && stats.MaxRun >= 8;

    public void Find(string text, List<(int Start, int Length)> matches)
    {
        if (!text.Contains("eyJ", StringComparison.Ordinal))
        {
            return;
        }

        foreach (var match in Pattern().EnumerateMatches(text))
        {
            matches.Add((match.Index, match.Length));
        }
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{2,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
