using System.Text;
using System.Text.Json;
using CsCheck;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Engine;
using Reprise.Redaction.Policy;
using Reprise.Redaction.Tests.Corpus;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Detection;

/// <summary>
/// The hot path's cheap pre-checks must never rule out a value the full detector would flag: each is
/// checked against the real detector on random text and on generated secrets of every supported format
/// embedded in random text.
/// </summary>
public sealed class PrefilterPropertyTests
{
    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string Hex = "0123456789abcdef";

    // One template per alternative of ApiKeyDetector's pattern ('#' = random alnum, '%' = hex, '^' = upper or digit, '!' = digit).
    private static readonly string[] ApiKeyTemplates =
    [
        "AKIA^^^^^^^^^^^^^^^^", "ASIA^^^^^^^^^^^^^^^^", "AGPA^^^^^^^^^^^^^^^^", "AIDA^^^^^^^^^^^^^^^^", "AROA^^^^^^^^^^^^^^^^",
        "AIPA^^^^^^^^^^^^^^^^", "ANPA^^^^^^^^^^^^^^^^", "ANVA^^^^^^^^^^^^^^^^", "A3T^^^^^^^^^^^^^^^^^",
        "AIza###################################", "ya29.######################", "AccountKey=" + new string('#', 64) + "==",
        "###!Q~##################################", "ghp_####################################", "gho_####################################",
        "ghu_####################################", "ghs_####################################", "ghr_####################################",
        "github_pat_" + new string('#', 60), "glpat-####################", "gldt-####################", "glrt-####################",
        "glptt-####################", "glcbt-####################", "gloas-####################", "GR1348941####################",
        "xoxb-##########", "xoxp-##########", "xoxa-##########", "xoxo-##########", "xoxs-##########", "xoxr-##########", "xoxe-##########",
        "xapp-!-^^^^-!!!!-%%%%", "https://hooks.slack.com/services/####################", "https://hooks.slack.com/workflows/####################",
        "sk_live_################", "sk_test_################", "rk_live_################", "rk_test_################", "whsec_########################",
        "SK%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%", "SG.################.################", "npm_####################################",
        "pypi-AgEIcHlwaS5vcmc" + new string('#', 50), "sk-ant-####################", "sk-################################",
        "sk-proj-################################", "shpat_%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%", "shpca_%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%",
        "shppa_%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%", "shpss_%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%", "key-%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%",
        "sq0atp-######################", "sq0csp-######################", "EAAA" + new string('#', 60),
        "doo_v1_" + new string('%', 64), "dop_v1_" + new string('%', 64), "dor_v1_" + new string('%', 64),
        "hvs.########################", "hvb.########################", "ATATT3" + new string('#', 50),
        "access_token$production$%%%%%%%%%%%%%%%%$%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%",
        "-----BEGIN RSA PRIVATE KEY-----\n################\n-----END RSA PRIVATE KEY-----",
    ];

    private static readonly string[] Schemes = ["Bearer", "bearer", "BEARER", "Basic", "basic", "BASIC", "Token", "token", "Digest", "digest"];

    private static readonly Gen<string> Noise = Gen.String[Gen.Char[Alnum + " .:=_-@/+\"'<>{}"], 0, 24];

    private static readonly IValueDetector[] Detectors = [.. BuiltInDetectors.ValueDetectors.Values.Select(make => make())];

    [Fact]
    public void ApiKeyTemplates_EachMatchesTheDetector()
    {
        // Guards the generator below: a template the pattern does not accept would test nothing.
        foreach (var template in ApiKeyTemplates)
        {
            Assert.True(ApiKeyDetector.Pattern().IsMatch(Fill(template, new Random(1))), template);
        }
    }

    [Fact]
    public void ApiKeyPrefilter_NeverRejectsAKeyThePatternFinds()
    {
        var keys = Gen.Int.Select(seed =>
        {
            var random = new Random(seed);
            var canary = new CanaryValues(seed);
            return random.Next(3) switch
            {
                0 => Fill(ApiKeyTemplates[random.Next(ApiKeyTemplates.Length)], random),
                1 => canary.ApiKey(),
                _ => canary.PrivateKey(),
            };
        });
        Gen.Select(Noise, keys, Noise).Sample((before, key, after) =>
        {
            var text = before + " " + key + " " + after;
            Assert.True(ApiKeyDetector.Pattern().IsMatch(key) || ApiKeyDetector.Pattern().IsMatch(key + " "), "template must match: " + key);
            if (ApiKeyDetector.Pattern().IsMatch(text))
            {
                Assert.True(ApiKeyDetector.MayContain(text), text);
            }
        }, iter: 3000);
    }

    [Fact]
    public void ApiKeyAndBearerPrefilters_NeverRejectRandomTextThePatternMatches()
    {
        Gen.String[Gen.Char[Alnum + " ._~$=/+-"], 0, 120].Sample(text =>
        {
            if (ApiKeyDetector.Pattern().IsMatch(text))
            {
                Assert.True(ApiKeyDetector.MayContain(text), text);
            }

            if (BearerTokenDetector.Pattern().IsMatch(text))
            {
                Assert.True(BearerTokenDetector.MayContain(text), text);
            }
        }, iter: 5000);
    }

    [Fact]
    public void BearerPrefilter_NeverRejectsACredentialThePatternFinds()
    {
        Gen.Select(Noise, Gen.Int[0, Schemes.Length - 1], Gen.String[Gen.Char[Alnum + "-._~+/"], 8, 60], Noise).Sample((before, scheme, credential, after) =>
        {
            var text = before + " " + Schemes[scheme] + " " + credential + " " + after;
            Assert.True(BearerTokenDetector.MayContain(text), text);
            var spans = new List<(int, int)>();
            new BearerTokenDetector().Find(text, spans);
            if (BearerTokenDetector.Pattern().IsMatch(text) && (Schemes[scheme][0] is 'B' or 'b') && text.IndexOf(Schemes[scheme], StringComparison.Ordinal) == before.Length + 1)
            {
                Assert.NotEmpty(spans);
            }
        }, iter: 3000);
    }

    [Fact]
    public void BuiltInPrefilter_CoversEveryBuiltInDetectorAndTheKeyValueScanner()
    {
        var values = Gen.Int.Select(seed =>
        {
            var random = new Random(seed);
            var canary = new CanaryValues(seed);
            return random.Next(14) switch
            {
                0 => canary.Email(),
                1 => canary.Phone(),
                2 => canary.Ipv4(),
                3 => canary.Card(),
                4 => canary.Iban(),
                5 => canary.Ssn(),
                6 => canary.Jwt(),
                7 => "Bearer " + canary.BearerCredential(),
                8 => canary.ApiKey(),
                9 => "password=" + canary.Password(),
                10 => Fill(ApiKeyTemplates[random.Next(ApiKeyTemplates.Length)], random),
                11 => "fe80::" + random.Next(1, 65535).ToString("x", System.Globalization.CultureInfo.InvariantCulture),
                _ => string.Empty,
            };
        });
        Gen.Select(Noise, values, Noise, Gen.String).Sample((before, value, after, random) =>
        {
            foreach (var text in new[] { before + value + after, value, random })
            {
                var stats = TextStats.Of(text);
                var any = (stats.EqualSigns > 0 || stats.Colons > 0 || stats.Angles > 0) && stats.Letters >= 3;
                var spans = new List<(int, int)>();
                foreach (var detector in Detectors)
                {
                    any |= detector.MayMatch(stats);
                    detector.Find(text, spans);
                }

                Assert.True(!any || BuiltInPrefilter.MayMatchAny(stats), "MayMatch: " + text);
                Assert.True(spans.Count == 0 || BuiltInPrefilter.MayMatchAny(stats), "Find: " + text);
                var utf8 = TextStats.Of(Encoding.UTF8.GetBytes(text));
                Assert.True(spans.Count == 0 || BuiltInPrefilter.MayMatchAny(utf8), "Find (UTF-8 statistics): " + text);
            }
        }, iter: 3000);
    }

    [Fact]
    public void ShortValuePrefilter_NeverRejectsAValueTheStatisticsAccept()
    {
        // Short strings over an alphabet rich in the characters the statistics look at, and random ones.
        var shortText = Gen.Char["@:=<.+-()/ _09azAZé"].Array[0, 8].Select(chars => new string(chars));
        Gen.OneOf(shortText, Gen.String[0, 8]).Sample(text =>
        {
            var utf8 = Encoding.UTF8.GetBytes(text);
            Assert.True(BuiltInPrefilter.MayMatchShort(utf8) || !BuiltInPrefilter.MayMatchAny(TextStats.Of(utf8)), "UTF-8: " + text);
            Assert.True(BuiltInPrefilter.MayMatchShort(utf8) || !BuiltInPrefilter.MayMatchAny(TextStats.Of(text)), "chars: " + text);
        }, iter: 20000);
        Assert.False(BuiltInPrefilter.MayMatchShort("PAID"u8));
        Assert.True(BuiltInPrefilter.MayMatchShort("a@b.io"u8));
        Assert.True(BuiltInPrefilter.MayMatchShort("SHIPPED"u8));
    }

    [Fact]
    public void BuiltInPrefilter_UsedOnlyWhenEveryValueDetectorIsBuiltIn()
    {
        Assert.True(Model(Policies.Default).BuiltInValueDetectorsOnly);
        var withRegex = Policies.FromYaml("""
            name: custom
            rules:
              - regex: 'ORD-\d+'
                action: mask
            """);
        Assert.False(Model(withRegex).BuiltInValueDetectorsOnly);
    }

    [Fact]
    public void Quote_PlainAsciiFastPath_SameBytesAsTheEncoder()
    {
        Gen.OneOf(Gen.String, Gen.String[Gen.Char[' ', '~'], 0, 40], Gen.String.AlphaNumeric).Sample(value =>
        {
            var expected = "\"" + Encoding.UTF8.GetString(JsonEncodedText.Encode(value, JsonBodyRedactor.Encoder).EncodedUtf8Bytes) + "\"";
            Assert.Equal(expected, Encoding.UTF8.GetString(JsonBodyRedactor.Quote(value)));
        }, iter: 3000);
    }

    [Fact]
    public void FieldNameOfUtf8_SameAsDecodedName()
    {
        var model = Model(Policies.Default);
        Gen.OneOf(Gen.String, Gen.Const("customerId"), Gen.Const("first_name"), Gen.Const("Passwort"), Gen.Const("e-mail"), Gen.Const("ünïcode_Name")).Sample(name =>
        {
            var viaBytes = model.FieldNameOfUtf8(Encoding.UTF8.GetBytes(name));
            var viaChars = model.FieldNameOf(name);
            Assert.Equal(viaChars.Raw, viaBytes.Raw);
            Assert.Equal(viaChars.Normalized, viaBytes.Normalized);
            Assert.Equal(viaChars.Candidates.Select(c => c.Detector.Name), viaBytes.Candidates.Select(c => c.Detector.Name));
            Assert.Equal(viaChars.NeedsParent, viaBytes.NeedsParent);
        }, iter: 2000);
    }

    private static RedactionModel Model(RedactionPolicy policy) =>
        (RedactionModel)typeof(RedactionPolicy).GetField("_model", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(policy)!;

    private static string Fill(string template, Random random)
    {
        var chars = template.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                '#' => Alnum[random.Next(Alnum.Length)],
                '%' => Hex[random.Next(Hex.Length)],
                '^' => "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[random.Next(36)],
                '!' => (char)('0' + random.Next(10)),
                var c => c,
            };
        }

        return new string(chars);
    }
}
