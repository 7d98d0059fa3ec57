using System.Text.RegularExpressions;

namespace Reprise.Redaction.Detection;

/// <summary>Credentials after an HTTP auth scheme in free text: <c>Bearer ...</c>, <c>Basic ...</c>, <c>Token ...</c>. Only the credential is matched; the scheme stays readable.</summary>
public sealed partial class BearerTokenDetector : IValueDetector
{
    public string Name => "bearer-token";

    public DataKind Kind => DataKind.BearerToken;

    public bool MayMatch(in TextStats stats) => stats.Length >= 14 && stats.Separators >= 1 && stats.MaxRun >= 8 && stats.Letters >= 5;

    public void Find(string text, List<(int Start, int Length)> matches)
    {
        if (!text.Contains("earer", StringComparison.OrdinalIgnoreCase) && !text.Contains("asic", StringComparison.OrdinalIgnoreCase)
            && !text.Contains("oken", StringComparison.OrdinalIgnoreCase) && !text.Contains("igest", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        foreach (Match match in Pattern().Matches(text))
        {
            var credential = match.Groups["c"];
            var strong = text[match.Index] is 'B' or 'b';
            if (strong || credential.ValueSpan.IndexOfAnyInRange('0', '9') >= 0)
            {
                matches.Add((credential.Index, credential.Length));
            }
        }
    }

    [GeneratedRegex(@"(?<![A-Za-z])(?:[Bb]earer|BEARER|[Bb]asic|BASIC|[Tt]oken|[Dd]igest)\s+(?<c>[A-Za-z0-9\-._~+/]{8,}=*)", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
