using System.Buffers;
using System.Text.RegularExpressions;

namespace Reprise.Redaction.Detection;

/// <summary>Credentials after an HTTP auth scheme in free text: <c>Bearer ...</c>, <c>Basic ...</c>, <c>Token ...</c>. Only the credential is matched; the scheme stays readable.</summary>
public sealed partial class BearerTokenDetector : IValueDetector
{
    // [Bb]earer|BEARER|[Bb]asic|BASIC|[Tt]oken|[Dd]igest: every match contains one of these.
    private static readonly SearchValues<string> Schemes = SearchValues.Create(["earer", "EARER", "asic", "ASIC", "oken", "igest"], StringComparison.Ordinal);

    public string Name => "bearer-token";

    public DataKind Kind => DataKind.BearerToken;

    public bool MayMatch(in TextStats stats) => stats.Length >= 14 && stats.Separators >= 1 && stats.MaxRun >= 8 && stats.Letters >= 5;

    public void Find(string text, List<(int Start, int Length)> matches)
    {
        if (!MayContain(text))
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

    /// <summary>
    /// False when the text holds none of the scheme names the pattern requires (each alternative of
    /// <see cref="Pattern"/> contains one of these literals, case as written): one vectorized search
    /// instead of a regex run on every long value.
    /// </summary>
    internal static bool MayContain(ReadOnlySpan<char> text) => text.ContainsAny(Schemes);

    [GeneratedRegex(@"(?<![A-Za-z])(?:[Bb]earer|BEARER|[Bb]asic|BASIC|[Tt]oken|[Dd]igest)\s+(?<c>[A-Za-z0-9\-._~+/]{8,}=*)", RegexOptions.CultureInvariant)]
    internal static partial Regex Pattern();
}
