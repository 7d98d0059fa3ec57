using System.Text;
using System.Text.Json;
using CsCheck;
using Reprise.Redaction.Engine;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// <see cref="JsonScanner"/> stands in for <see cref="Utf8JsonReader"/>: every token it gives must be the reader's, it
/// must read to the end only bodies the reader reads, and redacting with it (undoing its records when it stops early)
/// must equal redacting with the reader.
/// </summary>
public sealed class JsonScannerTests
{
    private static readonly JsonReaderOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Allow,
        MaxDepth = 512,
        AllowMultipleValues = true,
    };

    private static readonly byte[] MutationBytes = ",]}[{\"\\/*:0-.eEx \u0001\n+"u8.ToArray().Concat(new byte[] { 0xFF, 0xC3, 0x80, 0x7F }).ToArray();

    [Fact]
    public void Scan_AcceptedBodies_SameTokensAsTheReader()
    {
        // Generated documents, and the same documents with one to three bytes replaced, inserted or deleted (so that most
        // are invalid in some small way): whatever the scanner accepts, the reader must read without error, token for token.
        var accepted = 0;
        var rejected = 0;
        Gen.Select(Gen.Int, Gen.Int[0, 3], Gen.Int).Sample((seed, mutations, mutationSeed) =>
        {
            var json = Mutate(Encoding.UTF8.GetBytes(JsonText.Document(seed)), mutations, mutationSeed);
            if (CompareTokens(json))
            {
                Interlocked.Increment(ref accepted);
            }
            else
            {
                Interlocked.Increment(ref rejected);
            }
        }, iter: 20000);
        Assert.True(accepted > 8000, $"accepted {accepted}");
        Assert.True(rejected > 4000, $"rejected {rejected}");
    }

    [Theory]
    [InlineData("{\"a\":1}", true)]
    [InlineData(" [1, -0.5e+3, \"x\\u00e9\\/\", true, false, null, {}] ", true)]
    [InlineData("\"top\"", true)]
    [InlineData("12", true)]
    [InlineData("{\"a\":1,}", false)] // trailing comma: the reader allows it, the scanner leaves it to the reader
    [InlineData("[1,]", false)]
    [InlineData("{\"a\":1} {\"b\":2}", false)] // NDJSON
    [InlineData("{\"a\":1}\n{\"b\":2}", false)]
    [InlineData("{\"a\":/* c */1}", false)]
    [InlineData("[1 // c\n]", false)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("[01]", false)]
    [InlineData("[1.]", false)]
    [InlineData("[-]", false)]
    [InlineData("[.5]", false)]
    [InlineData("[1e]", false)]
    [InlineData("[tru]", false)]
    [InlineData("[truex]", false)]
    [InlineData("[\"a\\x\"]", false)]
    [InlineData("[\"a\\u12g4\"]", false)]
    [InlineData("[\"a\tb\"]", false)]
    [InlineData("[\"abc", false)]
    [InlineData("{\"a\" 1}", false)]
    [InlineData("{1:2}", false)]
    [InlineData("[1 2]", false)]
    [InlineData("[1}", false)]
    [InlineData("{\"a\":1]", false)]
    [InlineData("[[1]", false)]
    [InlineData("[1]]", false)]
    public void Scan_KnownInputs(string json, bool accepts)
    {
        Assert.Equal(accepts, CompareTokens(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Scan_DeepNestingAndInvalidUtf8_LeftToTheReader()
    {
        Assert.True(CompareTokens(Encoding.UTF8.GetBytes(new string('[', 64) + new string(']', 64))));
        Assert.False(CompareTokens(Encoding.UTF8.GetBytes(new string('[', 65) + new string(']', 65))));
        Assert.False(CompareTokens([(byte)'[', (byte)'"', 0xC3, (byte)'"', (byte)']']));
        Assert.False(CompareTokens([0xEF, 0xBB, 0xBF, (byte)'1'])); // a byte order mark is stripped before the scanner
    }

    [Fact]
    public void Redact_ScannedBody_SameAsTheReadersAndTheSlowPath()
    {
        // Three ways over the same generated bodies (personal data in every position, every escape form, nesting past the
        // scanner's limit, lone surrogates that make decoding throw): the default policy on scanned tokens; the default policy
        // on the reader's tokens; and the same policy plus a JSON-path rule matching nothing on the reader's tokens, which
        // sends every value through the full check. Same request and response bodies, same redaction lists.
        var slow = Policies.FromYaml("""
            name: slow-path
            rules:
              - json: $.never.matched.anywhere
                action: drop
            """);
        var redacted = 0;
        Gen.Int.Sample(seed =>
        {
            var json = Variant(JsonText.Document(seed), seed);
            var exchange = Policies.Json(json, json);
            var fast = Policies.Default.Redact(exchange);
            Exchange reader;
            Exchange reference;
            JsonBodyRedactor.ReaderOnly = true;
            try
            {
                reader = Policies.Default.Redact(exchange);
                reference = slow.NewStream().Redact(exchange);
            }
            finally
            {
                JsonBodyRedactor.ReaderOnly = false;
            }

            foreach (var other in new[] { reader, reference })
            {
                Assert.Equal(Policies.RequestText(other), Policies.RequestText(fast));
                Assert.Equal(Policies.ResponseText(other), Policies.ResponseText(fast));
                Assert.Equal(Describe(other), Describe(fast));
            }

            if (fast.Redactions.Length > 0)
            {
                Interlocked.Increment(ref redacted);
            }
        }, iter: 6000);
        Assert.True(redacted > 2000, $"only {redacted} bodies had redactions");
    }

    [Fact]
    public void Redact_ScannerStopsAfterRedacting_ItsRecordsAreUndone()
    {
        // The scanner redacts the email and the card number, then stops at the letter after the number. The reader redacts
        // the email too, but rejects the number itself (a number must end at a delimiter) and throws: the body is then
        // redacted as text. The scanner's record of the card number at $.b must not remain.
        var json = """{"a":"ann.lee@gmail.com","b":4111111111111111x}""";
        var redacted = Policies.Default.Redact(Policies.Json(json, "{}"));
        JsonBodyRedactor.ReaderOnly = true;
        try
        {
            var reader = Policies.Default.Redact(Policies.Json(json, "{}"));
            Assert.Equal(Describe(reader), Describe(redacted));
            Assert.Equal(Policies.RequestText(reader), Policies.RequestText(redacted));
        }
        finally
        {
            JsonBodyRedactor.ReaderOnly = false;
        }

        Assert.Contains(redacted.Redactions, r => r.Location.EndsWith(":text", StringComparison.Ordinal));
        Assert.DoesNotContain(redacted.Redactions, r => r.Location.EndsWith("$.b", StringComparison.Ordinal));
    }

    [Fact]
    public void Redact_EscapedAndUnicodeValues_RedactedOnTheScannedPath()
    {
        // Escaped emails and keys, non-ASCII text: decoded exactly as the reader decodes them.
        var json = """{"n\u006fte":"mail ann\u002elee@gmail.com","ann.lee@gmail.com":1,"名前":"Chloé \/ ok","x":"\ud83d\ude00"}""";
        var fast = Policies.Default.Redact(Policies.Json(json, json));
        JsonBodyRedactor.ReaderOnly = true;
        Exchange reader;
        try
        {
            reader = Policies.Default.Redact(Policies.Json(json, json));
        }
        finally
        {
            JsonBodyRedactor.ReaderOnly = false;
        }

        Assert.Equal(Policies.ResponseText(reader), Policies.ResponseText(fast));
        Assert.Equal(Describe(reader), Describe(fast));
        Assert.DoesNotContain("ann", Policies.ResponseText(fast), StringComparison.Ordinal);
    }

    /// <summary>
    /// Two bodies in seven as generated; the others hold something the scanner leaves to the reader after it may have
    /// redacted values (NDJSON, a comment, a trailing comma, nesting past 64 levels, a stray byte at the end, one or two bytes changed, inserted or
    /// deleted, which the reader mostly rejects, so the body is redacted as text): what it recorded must be undone exactly.
    /// </summary>
    private static string Variant(string json, int seed) => ((uint)seed % 7) switch
    {
        0 or 1 => json,
        2 => json + "\n" + JsonText.Document(seed + 1),
        3 => json + " /* end */",
        4 => "[" + json + ",]",
        5 => "[" + json + "," + new string('[', 70) + new string(']', 70) + "]",
        6 when (seed & 256) == 0 => json + " x", // the reader throws at the end: text redaction, and nothing of the scanner's pass may remain
        _ => Encoding.UTF8.GetString(Mutate(Encoding.UTF8.GetBytes(json), 1 + ((seed >> 9) & 1), seed)), // mostly invalid: the reader throws, the body is redacted as text
    };

    private static string[] Describe(Exchange exchange) => [.. exchange.Redactions.Select(r => $"{r.Location} {r.Rule} {r.Action}")];

    /// <summary>
    /// True when the scanner reads <paramref name="json"/> to the end; then the reader must read it without error and give
    /// the same tokens (type, start, bytes consumed, value bytes, escape flag, decoded string). A body the scanner stops in
    /// is redone with the reader (its records undone), so its tokens before that point need not be the reader's.
    /// </summary>
    private static bool CompareTokens(byte[] json)
    {
        var scanner = new JsonScanner(json);
        var tokens = new List<(JsonTokenType Type, int Start, long Consumed, string Value, bool Escaped, string? Decoded)>();
        while (scanner.Read())
        {
            tokens.Add((scanner.TokenType, scanner.TokenStart, scanner.BytesConsumed, Convert.ToHexString(scanner.ValueSpan), scanner.ValueIsEscaped,
                scanner.TokenType is JsonTokenType.String or JsonTokenType.PropertyName ? DecodeScanned(ref scanner) : null));
        }

        if (scanner.Failed)
        {
            return false;
        }

        var reader = new Utf8JsonReader(json, isFinalBlock: true, new JsonReaderState(Options));
        var text = Encoding.UTF8.GetString(json);
        for (var i = 0; i < tokens.Count; i++)
        {
            Assert.True(reader.Read(), $"the reader ended before token {i} of {text}");
            var decoded = reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName ? Decode(ref reader) : null;
            Assert.Equal((reader.TokenType, (int)reader.TokenStartIndex, reader.BytesConsumed, Convert.ToHexString(reader.ValueSpan), reader.ValueIsEscaped, decoded), tokens[i]);
        }

        Assert.False(reader.Read(), $"the reader found more tokens in {text}");
        return true;
    }

    private static string Decode(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return "<throws>";
        }
    }

    private static string DecodeScanned(ref JsonScanner scanner)
    {
        try
        {
            return scanner.GetString();
        }
        catch (InvalidOperationException)
        {
            return "<throws>";
        }
    }

    private static byte[] Mutate(byte[] json, int mutations, int seed)
    {
        var random = new Random(seed);
        var list = json.ToList();
        for (var m = 0; m < mutations && list.Count > 0; m++)
        {
            var at = random.Next(list.Count);
            var b = MutationBytes[random.Next(MutationBytes.Length)];
            switch (random.Next(3))
            {
                case 0: list[at] = b; break;
                case 1: list.Insert(at, b); break;
                default: list.RemoveAt(at); break;
            }
        }

        return [.. list];
    }
}
