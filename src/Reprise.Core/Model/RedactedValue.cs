using System.Text.RegularExpressions;

namespace Reprise.Core.Model;

/// <summary>
/// The shapes redaction writes in place of a value, known to every stage that reads a redacted recording
/// (redaction itself, to stay idempotent; replay correlation, which must never learn them): tokens and
/// generated fakes <c>tok_&lt;hint&gt;_&lt;16 base32&gt;</c> (emails: <c>tok_email_…@redacted.example.com</c>; <c>@redacted.invalid</c>, written before, is read too),
/// and masks (mostly <c>*</c>, at most a few kept characters).
/// </summary>
public static partial class RedactedValue
{
    /// <summary>True for a whole tokenize-action token (<c>tok_&lt;hint&gt;_…</c>): a keyed hash of one value (fakes excluded).</summary>
    public static bool IsKeyedToken(string value) => value.StartsWith("tok_", StringComparison.Ordinal) && IsToken(value);

    /// <summary>The <c>tok_&lt;hint&gt;</c> prefix of a keyed token: tokens of one kind share it.</summary>
    public static string TokenKind(string token) => token[..Math.Max(4, token.IndexOf('_', 4))];

    /// <summary>True when the whole value is a token or generated fake (a name's word tokens, space-separated, are one).</summary>
    public static bool IsToken(ReadOnlySpan<char> value) =>
        value.Length >= 21 && (value.StartsWith("tok_") || value.StartsWith("fake_")) && Whole().IsMatch(value);

    /// <summary>True when the value is a token, or nothing but mask characters, separators and at most four kept letters or digits.</summary>
    public static bool IsRedactionOutput(ReadOnlySpan<char> value)
    {
        if (IsToken(value))
        {
            return true;
        }

        if (!value.Contains('*'))
        {
            return false; // no mask character: the count below would find none (one vectorized search for most values)
        }

        var stars = 0;
        var alnum = 0;
        foreach (var c in value)
        {
            if (c == '*')
            {
                stars++;
            }
            else if (char.IsLetterOrDigit(c))
            {
                alnum++;
            }
        }

        return stars > 0 && alnum <= 4 && stars >= alnum;
    }

    /// <summary>Finds tokens inside text.</summary>
    public static Regex.ValueMatchEnumerator FindTokens(string text) => Anywhere().EnumerateMatches(text);

    /// <summary>
    /// <paramref name="text"/> with every email token written before QA round 12c (<c>tok_email_…@redacted.invalid</c>) in
    /// today's domain (<c>@redacted.example.com</c>): one token in two spellings, compared as one (a recording made
    /// before holds the old spelling, a live request redacted now the new).
    /// </summary>
    public static string WithCurrentEmailDomain(string text) =>
        text.Contains("@redacted.invalid", StringComparison.Ordinal) ? LegacyEmailToken().Replace(text, "${token}@redacted.example.com") : text;

    // A name of several words is tokenized word by word (its spacing, and punctuation around a word, "Doe, Jane", kept): its
    // tokens together are one token.
    [GeneratedRegex(@"^(?:(?:tok|fake)_[a-z]+_[a-z2-7]{16}(?:@redacted\.(?:example\.com|invalid))?|tok_name_[a-z2-7]{16}(?:(?:[^\sA-Za-z0-9_]*[ \t]+)+[^\sA-Za-z0-9_]*tok_name_[a-z2-7]{16})+[^\sA-Za-z0-9_]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Whole();

    [GeneratedRegex(@"(?:tok|fake)_[a-z]+_[a-z2-7]{16}(?:@redacted\.(?:example\.com|invalid))?", RegexOptions.CultureInvariant)]
    private static partial Regex Anywhere();

    [GeneratedRegex(@"(?<token>(?:tok|fake)_[a-z]+_[a-z2-7]{16})@redacted\.invalid(?![A-Za-z0-9-])", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex LegacyEmailToken();
}
