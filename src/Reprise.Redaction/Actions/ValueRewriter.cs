using System.Buffers;
using System.Globalization;
using System.Text;
using Bogus;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Policy;

namespace Reprise.Redaction.Actions;

/// <summary>Applies an action to one value. Thread-safe; deterministic for a given key.</summary>
public sealed class ValueRewriter
{
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    // Fake emails live under the RFC 6761 .test name, which the email detector skips: redaction stays idempotent.
    internal const string FakeEmailDomain = "example.test";

    // Public test numbers (Stripe, Adyen, ISO examples): realistic, valid, and known to be nobody's. Detectors skip them.
    internal static readonly string[] TestCards = ["4242424242424242", "4000056655665556", "5555555555554444", "2223003122003222", "5200828282828210", "378282246310005", "6011111111111117", "3056930009020004", "3566002020360505", "6200000000000005"];
    internal static readonly string[] ExampleIbans = ["GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606", "NL91ABNA0417164300", "ES9121000418450200051332", "IT60X0542811101000000123456"];

    private readonly RedactionKey _key;

    public ValueRewriter(RedactionKey key) => _key = key;

    /// <summary>Rewrites a text value; null means drop.</summary>
    public string? Apply(string value, DataKind kind, ActionSpec action) => Apply(value, kind, action, cache: null);

    /// <summary><see cref="Apply(string, DataKind, ActionSpec)"/>, taking tokens and fakes from a stream's cache (same results).</summary>
    internal string? Apply(string value, DataKind kind, ActionSpec action, TokenCache? cache) => ApplyKnown(value, kind == DataKind.Generic ? KindInference.Infer(value) : kind, action, cache);

    private string? ApplyKnown(string value, DataKind kind, ActionSpec action, TokenCache? cache) => action.Action switch
    {
        RedactionAction.Mask => Masker.Mask(value, kind, action.KeepLast ?? Masker.DefaultKeepLast(kind)),
        RedactionAction.Tokenize => Tokenize(value, kind, cache),
        RedactionAction.Fake => Fake(value, kind, cache),
        RedactionAction.Keep => value,
        _ => null,
    };

    /// <summary>Rewrites a JSON number so it stays a number; null means drop.</summary>
    public string? ApplyNumber(string number, DataKind kind, ActionSpec action) => ApplyNumber(number, kind, action, cache: null);

    /// <summary><see cref="ApplyNumber(string, DataKind, ActionSpec)"/>, taking digits from a stream's cache (same results).</summary>
    internal string? ApplyNumber(string number, DataKind kind, ActionSpec action, TokenCache? cache) => action.Action switch
    {
        RedactionAction.Mask => Masker.MaskNumber(number, action.KeepLast ?? Masker.DefaultKeepLast(kind)),
        RedactionAction.Fake when FakeInteger(number, kind, cache) is { } fake => fake,
        RedactionAction.Tokenize or RedactionAction.Fake => Cached(number, kind, TokenCache.Operation.Digits, cache, static (self, v, k) => self.Digits(v, k)),
        RedactionAction.Keep => number,
        _ => null,
    };

    /// <summary>
    /// The fake of a non-negative integer when the fake is itself one (a card's public test number): the value gets the
    /// fake it gets as text elsewhere, known to be nobody's; null when the fake is not an integer (keyed digits then).
    /// </summary>
    private string? FakeInteger(string number, DataKind kind, TokenCache? cache)
    {
        if (number.Length == 0 || !char.IsAsciiDigit(number[0]))
        {
            return null;
        }

        var fake = Apply(number, kind, ActionSpec.Fake, cache);
        return fake is { Length: > 0 } && !fake.AsSpan().ContainsAnyExceptInRange('0', '9') && (fake.Length == 1 || fake[0] != '0') ? fake : null;
    }

    /// <summary><see cref="Tokenize(string, DataKind)"/>, from a stream's cache when the value was tokenized before (same result).</summary>
    internal string Tokenize(string value, DataKind kind, TokenCache? cache) =>
        Cached(value, kind, TokenCache.Operation.Tokenize, cache, static (self, v, k) => self.Tokenize(v, k));

    /// <summary><see cref="Fake(string, DataKind)"/>, from a stream's cache when the value was faked before (same result).</summary>
    internal string Fake(string value, DataKind kind, TokenCache? cache) =>
        Cached(value, kind, TokenCache.Operation.Fake, cache, static (self, v, k) => self.Fake(v, k));

    private string Cached(string value, DataKind kind, TokenCache.Operation operation, TokenCache? cache, Func<ValueRewriter, string, DataKind, string> compute)
    {
        if (cache is null)
        {
            return compute(this, value, kind);
        }

        if (cache.TryGet(value, kind, operation, out var cached))
        {
            return cached;
        }

        var result = compute(this, value, kind);
        cache.Add(value, kind, operation, result);
        return result;
    }

    /// <summary><c>tok_&lt;hint&gt;_&lt;16 base32 of HMAC-SHA256(key, hint:value)&gt;</c>; emails are compared case-insensitively.</summary>
    public string Tokenize(string value, DataKind kind)
    {
        if (kind is DataKind.AccountId or DataKind.Generic && IsWholeEmail(value))
        {
            // A username or login that is an email gets the email's token, so it correlates with the same address
            // tokenized elsewhere (a page echoing it, a JSON email field).
            kind = DataKind.Email;
        }

        if (kind == DataKind.PersonName && value.AsSpan().Trim().ContainsAny(' ', '\t'))
        {
            return TokenizeWords(value);
        }

        var hint = TokenFormat.Hint(kind);
        Span<byte> mac = stackalloc byte[32];
        HashValue(_key, hint, value, mac, lowerCase: kind == DataKind.Email);
        Span<char> chars = stackalloc char[17];
        chars[0] = '_';
        for (var i = 0; i < 16; i++)
        {
            chars[i + 1] = Base32[mac[i] & 31];
        }

        // One string: tok_<hint>_<16 base32 characters of the MAC>[@redacted.example.com]. The domain is under example.com
        // (RFC 2606: reserved, never delivered) rather than the special-use .invalid, which validators that check the
        // top-level domain against IANA's list reject (Joi's string().email(): Directus answered a replayed login and
        // user creation "email must be a valid email", QA round 12c).
        return string.Concat("tok_", hint, chars, kind == DataKind.Email ? "@redacted.example.com" : string.Empty);
    }

    /// <summary>
    /// A name of several words is tokenized word by word, its spacing kept: a name a server composes from parts the client
    /// sent (PostGraphile's <c>fullName</c> = first + ' ' + last, a greeting) is then the tokens of those parts, so replay
    /// and diff see the same value (one token for the whole name differed from the two its parts got on replay).
    /// </summary>
    private string TokenizeWords(string value)
    {
        var sb = new StringBuilder(value.Length * 2);
        var at = 0;
        while (at < value.Length)
        {
            var start = at;
            while (at < value.Length && char.IsWhiteSpace(value[at]))
            {
                at++;
            }

            sb.Append(value, start, at - start);
            start = at;
            while (at < value.Length && !char.IsWhiteSpace(value[at]))
            {
                at++;
            }

            // Punctuation written around a word ("Doe, Jane", "J. Smith", "(Jane)") is not the name: it is kept, so the
            // word gets the token it gets alone (the "Doe" of a lastName) and "Doe, Jane" is its parts' tokens. Only
            // punctuation: a combining mark, a symbol or a surrogate half (a letter outside the BMP) is part of the word.
            var wordStart = start;
            while (wordStart < at && char.IsPunctuation(value[wordStart]))
            {
                wordStart++;
            }

            var wordEnd = at;
            while (wordEnd > wordStart && char.IsPunctuation(value[wordEnd - 1]))
            {
                wordEnd--;
            }

            sb.Append(value, start, wordStart - start);
            if (wordEnd > wordStart)
            {
                sb.Append(Tokenize(value[wordStart..wordEnd], DataKind.PersonName));
            }

            sb.Append(value, wordEnd, at - wordEnd);
        }

        return sb.ToString();
    }

    private static bool IsWholeEmail(string value)
    {
        if (value.Length < 6 || value.IndexOf('@') <= 0 || value.AsSpan().ContainsAny(' ', '\t'))
        {
            return false;
        }

        return Detection.EmailDetector.IsWhole(value);
    }

    /// <summary>A realistic value of the same kind, chosen by the HMAC of the input (same input, same fake).</summary>
    public string Fake(string value, DataKind kind)
    {
        if (kind == DataKind.IpAddress)
        {
            return IpAddressFake.Fake(value, _key);
        }

        Span<byte> mac = stackalloc byte[32];
        HashValue(_key, "fake:" + TokenFormat.Hint(kind), value, mac);
        var seed = BitConverter.ToInt32(mac) & int.MaxValue;
        var pick = (int)(BitConverter.ToUInt32(mac[4..]) % 1_000_000);
        switch (kind)
        {
            case DataKind.CardNumber:
                return Reshape(TestCards[pick % TestCards.Length], value);
            case DataKind.Iban:
                return ExampleIbans[pick % ExampleIbans.Length];
            case DataKind.NationalId:
                return string.Create(CultureInfo.InvariantCulture, $"9{pick % 100:00}-{(pick / 100 % 90) + 10:00}-{(pick % 9000) + 1000:0000}");
            case DataKind.Phone:
                return string.Create(CultureInfo.InvariantCulture, $"+1 {200 + (pick % 700)}-555-01{pick % 100:00}");
            case DataKind.Email or DataKind.PersonName or DataKind.PostalAddress or DataKind.BirthDate:
                var faker = new Faker("en") { Random = new Randomizer(seed) };
                return kind switch
                {
                    DataKind.Email => faker.Internet.Email(faker.Name.FirstName(), faker.Name.LastName(), FakeEmailDomain).ToLowerInvariant(),
                    DataKind.PersonName => value.Contains(' ', StringComparison.Ordinal) ? faker.Name.FullName() : faker.Name.FirstName(),
                    DataKind.PostalAddress => faker.Address.StreetAddress(),
                    _ => faker.Date.Past(60, new DateTime(2005, 1, 1, 0, 0, 0, DateTimeKind.Utc)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                };
            default:
                Span<char> chars = stackalloc char[16];
                for (var i = 0; i < 16; i++)
                {
                    chars[i] = Base32[mac[8 + i] & 31];
                }

                return string.Concat("fake_", TokenFormat.Hint(kind), "_", new string(chars));
        }
    }

    private string Digits(string number, DataKind kind)
    {
        Span<byte> mac = stackalloc byte[32];
        HashValue(_key, "num:" + TokenFormat.Hint(kind), number, mac);
        var chars = number.ToCharArray();
        var j = 0;
        var first = true;
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiDigit(chars[i]))
            {
                continue;
            }

            var d = mac[j++ % 32] % 10;
            chars[i] = (char)('0' + (first && d == 0 ? 1 : d));
            first = false;
        }

        KeepInRange(number, chars);
        return new string(chars);
    }

    /// <summary>
    /// An integer that fitted 32 (or 64) bits still fits them: same-length digits of a 10-digit Int (19-digit long) can
    /// overflow it (a GraphQL <c>Int</c> argument, a <c>long</c> field a client parses), so the first digit becomes 1 then.
    /// </summary>
    private static void KeepInRange(string number, char[] digits)
    {
        var sign = number.StartsWith('-') ? 1 : 0;
        if (!long.TryParse(number.AsSpan(sign), NumberStyles.None, CultureInfo.InvariantCulture, out var original))
        {
            return; // not a plain integer, or already beyond 64 bits
        }

        var limit = original <= int.MaxValue ? int.MaxValue : long.MaxValue;
        if (!long.TryParse(digits.AsSpan(sign), NumberStyles.None, CultureInfo.InvariantCulture, out var result) || result > limit)
        {
            digits[sign] = '1';
        }
    }

    private static string Reshape(string digits, string like)
    {
        // Keep the grouping of the original (spaces or dashes) when the lengths agree.
        var count = 0;
        foreach (var c in like)
        {
            count += char.IsAsciiDigit(c) ? 1 : 0;
        }

        if (count != digits.Length)
        {
            return digits;
        }

        var chars = like.ToCharArray();
        var j = 0;
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsAsciiDigit(chars[i]))
            {
                chars[i] = digits[j++];
            }
        }

        return new string(chars);
    }

    /// <summary>
    /// HMAC of <c>hint:value</c> (UTF-8); with <paramref name="lowerCase"/>, of <c>hint:value.ToLowerInvariant()</c>: an
    /// ASCII value is lower-cased in the UTF-8 bytes (the same bytes, no lower-cased copy of the string), any other the
    /// way it always was. Keyed by <paramref name="key"/> (the rewriter's; the IP fake's hash of a value holding no address too).
    /// </summary>
    internal static void HashValue(RedactionKey key, string hint, string value, Span<byte> mac, bool lowerCase = false)
    {
        var asciiLower = lowerCase && Ascii.IsValid(value);
        var text = lowerCase && !asciiLower ? value.ToLowerInvariant() : value;
        // Hints are ASCII; a UTF-16 character is at most 3 UTF-8 bytes, so short values need no exact count.
        var bound = hint.Length + 1 + (text.Length * 3);
        var length = bound <= 256 ? bound : Encoding.UTF8.GetByteCount(hint) + 1 + Encoding.UTF8.GetByteCount(text);
        var rented = length > 256 ? ArrayPool<byte>.Shared.Rent(length) : null;
        // Most values fit on the stack; either buffer is cleared after use (it held the plain value).
        var buffer = rented is null ? stackalloc byte[256] : rented;
        try
        {
            var n = Encoding.UTF8.GetBytes(hint, buffer);
            buffer[n++] = (byte)':';
            var written = Encoding.UTF8.GetBytes(text, buffer[n..]);
            if (asciiLower)
            {
                Ascii.ToLowerInPlace(buffer.Slice(n, written), out _);
            }

            n += written;
            key.Hash(buffer[..n], mac);
            buffer[..n].Clear();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented, clearArray: true);
            }
        }
    }
}
