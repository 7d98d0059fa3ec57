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
            // A lower-case word after the scheme's name is prose (13c: "basic performance metrics"); after "basic" only base64
            // of user:password is strong evidence (13b: dojo's "basic selectors").
            if (IsWord(credential.ValueSpan))
            {
                continue;
            }

            var scheme = text[match.Index];
            var strong = (scheme is 'B' or 'b') && (text[match.Index + 1] is 'e' or 'E' || IsBasicCredential(credential.ValueSpan));
            if (strong || credential.ValueSpan.IndexOfAnyInRange('0', '9') >= 0)
            {
                matches.Add((credential.Index, credential.Length));
            }
        }
    }

    /// <summary>
    /// A lower-case word after the scheme's name is prose, not a credential: Netdata's chart help says "basic performance
    /// metrics", and "performance" was masked, then everywhere in the script (QA round 13c). Tokens mix cases, digits or
    /// symbols.
    /// </summary>
    private static bool IsWord(ReadOnlySpan<char> credential)
    {
        foreach (var c in credential)
        {
            if (!char.IsAsciiLetterLower(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A Basic credential is base64 of <c>user-id ":" password</c> (RFC 7617): "basic selectors" or "Basic comparison
    /// function" in a script's comments is prose (dojo's comments were masked, and the masked word then carried into
    /// every later script, <c>Sizzle.*********</c>), so a word after "basic" counts only when it decodes so, or holds a
    /// digit as any other scheme's credential must.
    /// </summary>
    internal static bool IsBasicCredential(ReadOnlySpan<char> credential)
    {
        if (credential.Length % 4 != 0 || credential.Length > 1024)
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[credential.Length / 4 * 3];
        return Convert.TryFromBase64Chars(credential, decoded, out var written) && decoded[..written].Contains((byte)':');
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
