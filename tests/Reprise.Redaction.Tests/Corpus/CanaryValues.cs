using System.Globalization;
using System.Text;

namespace Reprise.Redaction.Tests.Corpus;

/// <summary>Deterministic generators for realistic secrets of every kind (seeded: the same corpus every run).</summary>
public sealed class CanaryValues(int seed)
{
    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string Hex = "0123456789abcdef";
    private static readonly string[] First = ["Olivia", "Liam", "Amara", "Noah", "Sofia", "Mateo", "Yuki", "Chidi", "Ingrid", "Rafael", "Priya", "Lukas", "Zanele", "Hiroshi", "Marisol", "Dmitri"];
    private static readonly string[] Last = ["Martinez", "Okafor", "Lindqvist", "Nakamura", "Hernandez", "Kowalski", "Fitzgerald", "Abernathy", "Castellanos", "Vasquez", "Oyelaran", "Thorsen"];
    private static readonly string[] Domains = ["gmail.com", "outlook.com", "acme-corp.io", "protonmail.ch", "uni-heidelberg.de", "yahoo.co.uk", "fastmail.fm"];

    private readonly Random _random = new(seed);

    public string Email() => $"{Pick(First).ToLowerInvariant()}.{Pick(Last).ToLowerInvariant()}{_random.Next(10, 9999)}@{Pick(Domains)}";

    public string Phone() => _random.Next(3) switch
    {
        0 => $"+1 415-{_random.Next(200, 999)}-{_random.Next(2000, 9999)}",
        1 => $"+44 20 7946 {_random.Next(1000, 9999)}",
        _ => $"({_random.Next(201, 989)}) {_random.Next(200, 999)}-{_random.Next(2000, 9999)}",
    };

    public string PersonName() => $"{Pick(First)} {Pick(Last)}";

    public string Ipv4() => $"{_random.Next(11, 223)}.{_random.Next(1, 255)}.{_random.Next(1, 255)}.{_random.Next(1, 254)}";

    public string Ipv6() => $"2a03:2880:{_random.Next(0x1000, 0xffff):x}:{_random.Next(1, 0xff):x}:face:b00c:{_random.Next(1, 0xfff):x}:{_random.Next(1, 0xffff):x}";

    public string Card()
    {
        var prefix = _random.Next(3) switch { 0 => "4", 1 => "5" + _random.Next(1, 6), _ => "6011" };
        var digits = new StringBuilder(prefix);
        while (digits.Length < 15)
        {
            digits.Append((char)('0' + _random.Next(10)));
        }

        for (var check = 0; check < 10; check++)
        {
            var candidate = digits.ToString() + (char)('0' + check);
            if (Reprise.Redaction.Detection.Luhn.IsValid(candidate))
            {
                return _random.Next(3) switch
                {
                    0 => candidate,
                    1 => string.Join(' ', candidate.Chunk(4).Select(c => new string(c))),
                    _ => string.Join('-', candidate.Chunk(4).Select(c => new string(c))),
                };
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    public string Iban()
    {
        var (country, bban) = _random.Next(3) switch
        {
            0 => ("GB", "NWBK" + Digits(14)),
            1 => ("DE", Digits(18)),
            _ => ("FR", Digits(23)),
        };
        var numeric = new StringBuilder();
        foreach (var c in bban + country + "00")
        {
            numeric.Append(char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString(CultureInfo.InvariantCulture));
        }

        var remainder = 0;
        foreach (var c in numeric.ToString())
        {
            remainder = ((remainder * 10) + (c - '0')) % 97;
        }

        var iban = $"{country}{98 - remainder:00}{bban}";
        return _random.Next(2) == 0 ? iban : string.Join(' ', iban.Chunk(4).Select(c => new string(c)));
    }

    public string Ssn() => $"{_random.Next(1, 665):000}-{_random.Next(1, 99):00}-{_random.Next(1, 9999):0000}";

    public string AccountId() => _random.Next(2) == 0 ? $"CUST-{Digits(8)}" : $"acct_{Chars(Alnum, 14)}";

    public string Jwt()
    {
        static string B64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{B64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")}.{B64($"{{\"sub\":\"{Digits(9)}\",\"name\":\"{PersonName()}\",\"iat\":{_random.Next()}}}")}.{Chars(Alnum + "-_", 43)}";
    }

    public string BearerCredential() => Chars(Alnum, 40);

    public string ApiKey() => _random.Next(16) switch
    {
        0 => "AKIA" + Chars(Upper, 16),
        1 => "AIza" + Chars(Alnum + "-_", 35),
        2 => "ghp_" + Chars(Alnum, 36),
        3 => "glpat-" + Chars(Alnum + "-_", 20),
        4 => $"xoxb-{Digits(11)}-{Digits(12)}-{Chars(Alnum, 24)}",
        5 => "sk_live_" + Chars(Alnum, 24),
        6 => $"SG.{Chars(Alnum + "-_", 22)}.{Chars(Alnum + "-_", 43)}",
        7 => "npm_" + Chars(Alnum, 36),
        8 => "sk-proj-" + Chars(Alnum, 48),
        9 => "AccountKey=" + Chars(Alnum + "+/", 86) + "==",
        10 => "SK" + Chars(Hex, 32),
        11 => "shpat_" + Chars(Hex, 32),
        12 => "dop_v1_" + Chars(Hex, 64),
        13 => "hvs." + Chars(Alnum, 24),
        14 => "github_pat_" + Chars(Alnum + "_", 82),
        _ => "sk-ant-api03-" + Chars(Alnum + "-_", 60),
    };

    public string PrivateKey() => "-----BEGIN PRIVATE KEY-----\n" + Chars(Alnum + "+/", 64) + "\n" + Chars(Alnum + "+/", 64) + "\n-----END PRIVATE KEY-----";

    public string Secret() => Chars(Alnum, 24 + _random.Next(16));

    public string Password() => $"{Pick(["Summer", "Winter", "Dragon", "Sunshine", "Monkey"])}{_random.Next(1990, 2030)}!{Chars(Alnum, 3)}";

    private string Digits(int n) => Chars("0123456789", n);

    private string Chars(string alphabet, int n)
    {
        var chars = new char[n];
        for (var i = 0; i < n; i++)
        {
            chars[i] = alphabet[_random.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}
