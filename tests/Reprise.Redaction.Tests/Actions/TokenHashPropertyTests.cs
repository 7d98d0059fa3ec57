using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Policy;
using Xunit;

namespace Reprise.Redaction.Tests.Actions;

/// <summary>
/// Tokens are HMAC-SHA256(key, <c>hint:value</c>), an email's value lower-cased by <see cref="string.ToLowerInvariant()"/>
/// first. <see cref="ValueRewriter"/> lower-cases an ASCII email in its UTF-8 bytes instead of making a lower-cased copy,
/// and sizes its buffer without counting bytes for short values: each token must still be the one computed the plain way.
/// </summary>
public sealed class TokenHashPropertyTests
{
    private const string KeyText = "token-hash-test-key-0123456789";

    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    private static readonly DataKind[] Kinds = Enum.GetValues<DataKind>();

    // ASCII of both cases and the email's marks; letters whose lower case changes the UTF-8 length or is a surrogate pair
    // (İ -> i, ẞ -> ß, Ω/K/Å signs, Deseret capitals); accents, Greek, Cyrillic, CJK, an emoji, lone surrogates.
    private static readonly Gen<char> Chars = Gen.OneOf(
        Gen.Char["abcXYZmnoQRS0123456789@.-_+ "],
        Gen.Char["İẞΩKÅÉéΣσςДдЖ中"],
        Gen.Const('\uD801'),
        Gen.Char['\uDC00', '\uDC4F'],
        Gen.Const('\uD83D'),
        Gen.Const('\uDE00'));

    private static readonly Gen<string> Values = Gen.OneOf(
        Gen.String[Gen.Char["abcXYZmnoQRS0123456789@.-_+"], 0, 40],
        Gen.String[Chars, 0, 40],
        Gen.Select(Gen.String[Gen.Char["abcdefXYZ0189._"], 1, 20], Gen.String[Gen.Char["abcdefXYZ"], 1, 12]).Select((local, domain) => $"{local}@{domain}.Example.ORG"),
        Gen.Select(Gen.String[Chars, 1, 12], Gen.String[Gen.Char["abcXYZ"], 1, 8]).Select((local, domain) => $"{local}@{domain}.test"),
        Gen.String[Gen.Char["abcXYZ019@."], 70, 95], // past 256 bytes by the 3-bytes-a-character bound, under it by count
        Gen.String[Gen.Char["abcXYZ019@."], 250, 300], // past the stack buffer
        Gen.String[Chars, 80, 200]);

    [Fact]
    public void Tokenize_EveryKind_SameAsHmacOfTheLowerCasedString()
    {
        var rewriter = new ValueRewriter(RedactionKey.FromText(KeyText));
        var key = Encoding.UTF8.GetBytes(KeyText);
        var emails = 0;
        var nonAsciiEmails = 0;
        Gen.Select(Values, Gen.Int[0, Kinds.Length - 1]).Sample((value, k) =>
        {
            var token = rewriter.Tokenize(value, Kinds[k]);
            if (Kinds[k] == DataKind.PersonName && value.AsSpan().Trim().ContainsAny(' ', '\t'))
            {
                // A name of several words is tokenized word by word, its spacing kept (QA round 11a).
                Assert.Equal(WordByWord(value, word => Expected(key, DataKind.PersonName, word)), token);
                return;
            }

            // The kind the token was made for (an AccountId or Generic value that is a whole email gets the email's).
            var kind = TokenFormat.KindOf(token) ?? throw new InvalidOperationException("not a token: " + token);
            var hint = TokenFormat.Hint(kind);
            var hashed = kind == DataKind.Email ? value.ToLowerInvariant() : value;
            var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(hint + ":" + hashed));
            var expected = new StringBuilder("tok_").Append(hint).Append('_');
            for (var i = 0; i < 16; i++)
            {
                expected.Append(Base32[mac[i] & 31]);
            }

            if (kind == DataKind.Email)
            {
                expected.Append("@redacted.example.com");
                Interlocked.Increment(ref emails);
                if (!Ascii.IsValid(value) && value != hashed)
                {
                    Interlocked.Increment(ref nonAsciiEmails);
                }
            }

            Assert.Equal(expected.ToString(), token);
        }, iter: 40_000);
        Assert.True(emails > 2_000, $"{emails} email tokens");
        Assert.True(nonAsciiEmails > 100, $"{nonAsciiEmails} non-ASCII email tokens lower-cased");
    }

    private static string Expected(byte[] key, DataKind kind, string value)
    {
        var hint = TokenFormat.Hint(kind);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(hint + ":" + value));
        var expected = new StringBuilder("tok_").Append(hint).Append('_');
        for (var i = 0; i < 16; i++)
        {
            expected.Append(Base32[mac[i] & 31]);
        }

        return expected.ToString();
    }

    // Punctuation around a word ("Doe, Jane") is kept outside its token (review of round 11a).
    private static string WordByWord(string value, Func<string, string> token) =>
        System.Text.RegularExpressions.Regex.Replace(value, @"[^\s]+", m =>
        {
            var word = m.Value;
            var start = 0;
            while (start < word.Length && char.IsPunctuation(word[start]))
            {
                start++;
            }

            var end = word.Length;
            while (end > start && char.IsPunctuation(word[end - 1]))
            {
                end--;
            }

            return word[..start] + (end > start ? token(word[start..end]) : string.Empty) + word[end..];
        });
}
