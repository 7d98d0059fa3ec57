using System.Text.RegularExpressions;
using Reprise.Core.Model;

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
        var from = FirstPossibleStart(text);
        if (from < 0)
        {
            return;
        }

        // Lookbehinds still see the text before the start position: the matches are the ones a scan from 0 finds.
        foreach (var match in Pattern().EnumerateMatches(text.AsSpan(), from))
        {
            var (start, length) = (match.Index, match.Length);
            if (AfterUnicodeEscape(text, start) && length > 6 && char.IsLetterOrDigit(text[start + 5]))
            {
                // "\u003cjane@corp.com" in JSON a page embeds (Next.js, Go templates escape '<'): the escape's hex digits
                // are no part of the address (taken in, the token left "\" before "tok_…" and wrote a "\t" escape).
                (start, length) = (start + 5, length - 5);
            }

            if (!IsReserved(text.AsSpan(start, length)))
            {
                matches.Add((start, length));
            }
        }
    }

    /// <summary>
    /// Where the pattern's scan may start without missing a match: every match holds an '@' and its local part (at most
    /// 64 characters of <c>[\p{L}\p{N}._%+-]</c>, none an '@', after none of them) ends right before its '@', so no match
    /// starts before the run of those characters that ends at the first '@' (walked back over ASCII ones; a non-ASCII one
    /// leaves it to the pattern from 64 characters before that '@'). -1 when there is no '@'. The scan from 0 tried every
    /// letter or digit of the words in front of an address ("contact ann.lee@…" in a note).
    /// </summary>
    internal static int FirstPossibleStart(string text)
    {
        var at = text.AsSpan().IndexOf('@');
        if (at < 0)
        {
            return -1;
        }

        var start = at;
        while (start > 0 && at - start <= 64)
        {
            var c = text[start - 1];
            if (c >= 128)
            {
                return Math.Max(0, at - 64);
            }

            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '%' or '+' or '-'))
            {
                break;
            }

            start--;
        }

        return start;
    }

    /// <summary>The address pattern (tests compare <see cref="Addresses"/> with a scan of it from the start).</summary>
    internal static Regex AddressPattern => Pattern();

    /// <summary>Whether <c>text[start..]</c> is the <c>uXXXX</c> of a <c>\uXXXX</c> escape (an odd run of backslashes before it).</summary>
    internal static bool AfterUnicodeEscape(string text, int start)
    {
        if (start < 1 || text[start - 1] != '\\' || start + 5 > text.Length || text[start] != 'u' || !char.IsAsciiHexDigit(text[start + 1])
            || !char.IsAsciiHexDigit(text[start + 2]) || !char.IsAsciiHexDigit(text[start + 3]) || !char.IsAsciiHexDigit(text[start + 4]))
        {
            return false;
        }

        var backslashes = 0;
        for (var i = start - 1; i >= 0 && text[i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    /// <summary>True when the whole value is one address this detector redacts (not a reserved one).</summary>
    internal static bool IsWhole(string value) => IsWholeAddress(value) && !IsReserved(value);

    /// <summary>True when the whole value is an address the <c>fake</c> action writes (at <see cref="Actions.ValueRewriter.FakeEmailDomain"/>).</summary>
    internal static bool IsFake(string value) =>
        value.EndsWith("@" + Actions.ValueRewriter.FakeEmailDomain, StringComparison.OrdinalIgnoreCase) && IsWholeAddress(value);

    /// <summary>True when the whole value is one address, reserved (a fake at <c>example.test</c>, a token) or not.</summary>
    internal static bool IsWholeAddress(string value)
    {
        foreach (var match in Pattern().EnumerateMatches(value))
        {
            return match.Index == 0 && match.Length == value.Length;
        }

        return false;
    }

    internal static bool IsReserved(ReadOnlySpan<char> email)
    {
        var at = email.LastIndexOf('@');
        var domain = at >= 0 ? email[(at + 1)..] : email;
        // An email token (tok_email_…@redacted.example.com) is redaction output under a reserved, delegated domain.
        // Its domain in any case too: a target that upper-cases what it stores (ASP.NET Identity's NormalizedEmail) echoes
        // TOK_EMAIL_…@REDACTED.EXAMPLE.COM, re-tokenized as a new address where TOK_…@REDACTED.INVALID was left alone.
        return RedactedValue.IsToken(email)
            || domain.Equals("redacted.example.com", StringComparison.OrdinalIgnoreCase)
            || domain.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase)
            || domain.EndsWith(".test", StringComparison.OrdinalIgnoreCase)
            || domain.EndsWith(".example", StringComparison.OrdinalIgnoreCase)
            || domain.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || IsFileExtension(domain[(domain.LastIndexOf('.') + 1)..]);
    }

    /// <summary>
    /// True for a file name's extension that no registry delegates as a top-level domain: <c>pfbg_992@2x.jpg</c>, a retina
    /// image's name in a style sheet (and the script that inlines it), was tokenized as an address. Extensions that are also
    /// delegated domains (<c>.zip</c>, <c>.mov</c>, <c>.app</c>, <c>.map</c>) stay addresses.
    /// </summary>
    private static bool IsFileExtension(ReadOnlySpan<char> label) =>
        label.Equals("jpg", StringComparison.OrdinalIgnoreCase) || label.Equals("jpeg", StringComparison.OrdinalIgnoreCase)
        || label.Equals("png", StringComparison.OrdinalIgnoreCase) || label.Equals("gif", StringComparison.OrdinalIgnoreCase)
        || label.Equals("webp", StringComparison.OrdinalIgnoreCase) || label.Equals("svg", StringComparison.OrdinalIgnoreCase)
        || label.Equals("avif", StringComparison.OrdinalIgnoreCase) || label.Equals("ico", StringComparison.OrdinalIgnoreCase)
        || label.Equals("bmp", StringComparison.OrdinalIgnoreCase) || label.Equals("tiff", StringComparison.OrdinalIgnoreCase)
        || label.Equals("css", StringComparison.OrdinalIgnoreCase) || label.Equals("js", StringComparison.OrdinalIgnoreCase)
        || label.Equals("mjs", StringComparison.OrdinalIgnoreCase) || label.Equals("woff", StringComparison.OrdinalIgnoreCase) || label.Equals("ttf", StringComparison.OrdinalIgnoreCase);

    // The local part may hold any letter (RFC 6531: oliver.müller@…); ASCII-only, the match started after the
    // last non-ASCII letter and left "oliver.mü" raw in front of the token.
    [GeneratedRegex(@"(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}](?:[\p{L}\p{N}._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})\.)+[A-Za-z]{2,24}(?![A-Za-z-]|[0-9]*[A-Za-z-])", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
