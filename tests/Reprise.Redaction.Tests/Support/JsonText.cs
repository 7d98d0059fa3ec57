using System.Globalization;
using System.Text;
using Reprise.Redaction.Tests.Corpus;

namespace Reprise.Redaction.Tests.Support;

/// <summary>
/// Random JSON text from a seed, written by hand rather than by a serializer so that it holds what real bodies hold:
/// every escape form (<c>\"</c>, <c>\/</c>, <c>\u00e9</c>, escaped letters, surrogate pairs, lone surrogates), raw
/// non-ASCII text, whitespace between tokens, numbers of every shape, nesting up to 70 levels, and personal data
/// (emails, phones, cards, SSNs, IPs, names, JWTs, keys, base64 of text) as values, in keys and inside free text.
/// </summary>
public static class JsonText
{
    private static readonly string[] Keys =
    [
        "id", "status", "email", "name", "firstName", "first", "last", "note", "phone", "card", "ssn", "ip", "token", "data", "items",
        "customer", "user", "address", "password", "query", "variables", "total", "qty", "createdAt", "tags", "value", "e", "", "名前", "émail",
    ];

    private static readonly string[] Plain =
    [
        "SHIPPED", "PAID", "SKU-32379", "EUR", "2026-03-01T10:00:00Z", "2026-03-01T10:00:00.123Z", "leave at the door", "widget",
        "https://cdn.shop.test/avatars/a.png?size=128", "en-GB", "Europe/London", "", "a", "in stock \"quoted\" \\ back\nslash é",
        "Chloé Dubois", "名前 テスト", "😀 emoji 😀", "9f1c2b7e-3d4a-4e5f-8a9b-0c1d2e3f4a5b", "true", "null", "0", "1.5",
    ];

    public static string Document(int seed)
    {
        var random = new Random(seed);
        var values = new CanaryValues(seed);
        var sb = new StringBuilder();
        var wrap = random.Next(25) == 0 ? 60 + random.Next(12) : 0; // past the scanner's 64 levels now and then
        Ws(sb, random);
        sb.Append('[', wrap);
        Value(sb, random, values, random.Next(1, 5));
        sb.Append(']', wrap);
        Ws(sb, random);
        return sb.ToString();
    }

    private static void Value(StringBuilder sb, Random random, CanaryValues values, int depth)
    {
        switch (depth <= 0 ? random.Next(4) : random.Next(7))
        {
            case 0:
                sb.Append(Number(random));
                break;
            case 1:
                sb.Append(random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" });
                break;
            case 2 or 3:
                Quoted(sb, random, Text(random, values));
                break;
            case 4 or 5:
                sb.Append('{');
                var members = random.Next(0, 6);
                for (var i = 0; i < members; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Ws(sb, random);
                    Quoted(sb, random, random.Next(12) switch { 0 => values.Email(), 1 => values.Card(), 2 => values.PersonName(), _ => Keys[random.Next(Keys.Length)] });
                    Ws(sb, random);
                    sb.Append(':');
                    Ws(sb, random);
                    Value(sb, random, values, depth - 1);
                    Ws(sb, random);
                }

                sb.Append('}');
                break;
            default:
                sb.Append('[');
                var length = random.Next(0, 5);
                for (var i = 0; i < length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    Ws(sb, random);
                    Value(sb, random, values, depth - 1);
                    Ws(sb, random);
                }

                sb.Append(']');
                break;
        }
    }

    private static string Text(Random random, CanaryValues values) => random.Next(22) switch
    {
        0 => values.Email(),
        1 => values.Phone(),
        2 => values.Card(),
        3 => values.Ssn(),
        4 => values.Ipv4(),
        5 => values.Ipv6(),
        6 => values.PersonName(),
        7 => values.Jwt(),
        8 => values.ApiKey(),
        9 => "Bearer " + values.BearerCredential(),
        10 => values.Iban(),
        11 => values.Password(),
        12 => values.PrivateKey(),
        13 => "contact " + values.Email() + " or call " + values.Phone() + " after 5pm",
        14 => Convert.ToBase64String(Encoding.UTF8.GetBytes("contact " + values.Email() + " please")),
        15 => "Bob " + values.Secret(),
        16 => string.Concat(Enumerable.Repeat("lorem ipsum ", random.Next(1, 30))) + values.Email(),
        17 => values.AccountId(),
        _ => Plain[random.Next(Plain.Length)],
    };

    private static string Number(Random random) => random.Next(14) switch
    {
        0 => random.Next(-1000, 100000).ToString(CultureInfo.InvariantCulture),
        1 => random.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture),
        2 => "4111111111111111",
        3 => "-0",
        4 => "0.5",
        5 => "1e10",
        6 => "-1.25E-7",
        7 => "12345678901234567890123",
        8 => (random.NextDouble() * 1e6).ToString("R", CultureInfo.InvariantCulture),
        9 => "1752000000000",
        10 => "0",
        11 => "2E+3",
        12 => "123456789012",
        _ => (random.Next(100, 99999) / 100.0).ToString(CultureInfo.InvariantCulture),
    };

    private static void Ws(StringBuilder sb, Random random)
    {
        switch (random.Next(8))
        {
            case 0: sb.Append(' '); break;
            case 1: sb.Append("\n  "); break;
            case 2: sb.Append("\r\n\t"); break;
        }
    }

    /// <summary>A JSON string of <paramref name="text"/>, each character written plainly or escaped (at a rate chosen per string).</summary>
    private static void Quoted(StringBuilder sb, Random random, string text)
    {
        var rate = random.Next(4) switch { 0 => 0, 1 => 0, 2 => 5, _ => 40 }; // percent of characters escaped
        sb.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '"' or '\\' || c < ' ')
            {
                sb.Append(c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\t' => "\\t", '\r' => "\\r", '\b' => "\\b", '\f' => "\\f", _ => $"\\u{(int)c:x4}" });
            }
            else if (random.Next(100) < rate)
            {
                sb.Append(c == '/' && random.Next(2) == 0 ? "\\/" : $"\\u{(int)c:X4}");
            }
            else
            {
                sb.Append(c);
            }
        }

        if (random.Next(60) == 0)
        {
            sb.Append(random.Next(2) == 0 ? "\\ud800" : "\\udc00x"); // a lone surrogate: the reader reads it, decoding it throws
        }

        sb.Append('"');
    }
}
