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
            if (IsWord(credential.ValueSpan) || (text[match.Index + 1] is 'a' or 'A' && !IsBasicCredential(credential.ValueSpan)))
            {
                continue;
            }

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

    /// <summary>A Basic credential is base64 of <c>user:password</c> (RFC 7617); other text after "basic" is not one.</summary>
    private static bool IsBasicCredential(ReadOnlySpan<char> credential)
    {
        Span<byte> decoded = stackalloc byte[512];
        if (credential.Length > 680 || !Convert.TryFromBase64Chars(credential, decoded, out var written))
        {
            return false;
        }

        return decoded[..written].IndexOf((byte)':') >= 0;
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
