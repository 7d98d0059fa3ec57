using System.Text.RegularExpressions;

namespace Reprise.Redaction.Detection;

/// <summary>
/// Email addresses. Addresses under the RFC 6761 special-use top-level names (<c>.invalid</c>, <c>.test</c>,
/// <c>.example</c>, <c>.localhost</c>) are nobody's and are where tokens and fakes point, which keeps redaction
/// idempotent. <c>example.com</c> and its siblings are masked like any address: they are the placeholder people
/// type in test data, and a tool that left them raw would look, to anyone checking it that way, like one that
/// leaks emails.
/// </summary>
public sealed partial class EmailDetector : IValueDetector
{
    public string Name => "email";

    public DataKind Kind => DataKind.Email;

    public bool MayMatch(in TextStats stats) => stats.At > 0 && stats.Dots > 0 && stats.Length >= 6;

    public void Find(string text, List<(int Start, int Length)> matches)
    {
        Addresses(text, matches);
    }

    /// <summary>Adds the (start, length) of every address in <paramref name="text"/> this detector redacts.</summary>
    internal static void Addresses(string text, List<(int Start, int Length)> matches)
    {
        foreach (var match in Pattern().EnumerateMatches(text))
        {
            if (!IsReserved(text.AsSpan(match.Index, match.Length)))
            {
                matches.Add((match.Index, match.Length));
            }
        }
    }

    /// <summary>True when the whole value is one address this detector redacts (not a reserved one).</summary>
    internal static bool IsWhole(string value)
    {
        foreach (var match in Pattern().EnumerateMatches(value))
        {
            return match.Index == 0 && match.Length == value.Length && !IsReserved(value);
        }

        return false;
    }

    internal static bool IsReserved(ReadOnlySpan<char> email)
    {
        var at = email.LastIndexOf('@');
        var domain = at >= 0 ? email[(at + 1)..] : email;
        return domain.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase)
            || domain.EndsWith(".test", StringComparison.OrdinalIgnoreCase)
            || domain.EndsWith(".example", StringComparison.OrdinalIgnoreCase)
            || domain.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    // The local part may hold any letter (RFC 6531: oliver.müller@…); ASCII-only, the match started after the
    // last non-ASCII letter and left "oliver.mü" raw in front of the token.
    [GeneratedRegex(@"(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}](?:[\p{L}\p{N}._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})\.)+[A-Za-z]{2,24}(?![A-Za-z-]|[0-9]*[A-Za-z-])", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
