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
            // A lower-case word after the scheme's name, in a sentence that goes on, is prose (13c: "basic performance
            // metrics"); after "basic" only base64 of user:password is strong evidence (13b: dojo's "basic selectors").
            if (IsProseWord(text, credential.Index, credential.Length))
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
    /// A lower-case word after the scheme's name is prose, not a credential, when it is word-sized and the sentence goes on
    /// after it: Netdata's chart help says "basic performance metrics", and "performance" was masked, then everywhere in
    /// the script (QA round 13c). A credential ends its line, its quote or its value (<c>Authorization: Bearer
    /// kqzvhtrwpmxn</c>, <c>'Bearer mysecretaccesstoken'</c>) and may be lower-case letters only; a run longer than
    /// <see cref="LongestWord"/> is no word.
    /// </summary>
    private static bool IsProseWord(string text, int start, int length)
    {
        while (length > 0 && text[start + length - 1] == '.')
        {
            length--; // the pattern takes a sentence's full stop into the credential
        }

        if (length > LongestWord || text.AsSpan(start, length).ContainsAnyExceptInRange('a', 'z'))
        {
            return false;
        }

        var i = start + length;
        if (i < text.Length && text[i] is '.' or ',' or ';' or ':' or '!' or '?' or ')')
        {
            return i + 1 == text.Length || char.IsWhiteSpace(text[i + 1]);
        }

        var spaces = i;
        while (spaces < text.Length && text[spaces] is ' ' or '\t')
        {
            spaces++;
        }

        return spaces > i && spaces < text.Length && char.IsAsciiLetter(text[spaces]);
    }

    /// <summary>The longest lower-case run read as a word of prose after a scheme's name ("internationalization" is 20).</summary>
    private const int LongestWord = 20;

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
