using CsCheck;
using Reprise.Core.Recording;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;
using Reprise.Redaction.Tests.Corpus;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Actions;

/// <summary>A stream's cache of tokens, fakes and digits must return exactly what the rewriter computes, for every value, kind and operation.</summary>
public sealed class TokenCacheTests
{
    private static readonly DataKind[] Kinds = Enum.GetValues<DataKind>();

    private static readonly ActionSpec[] Actions = [ActionSpec.Tokenize, ActionSpec.Fake, ActionSpec.Mask(), ActionSpec.Mask(2), ActionSpec.Drop];

    [Fact]
    public void CachedRewrites_EqualUncached_ForEveryKindAndAction()
    {
        var rewriter = new ValueRewriter(Policies.Key);
        // One cache for every sample (on several threads): the same value under another kind or operation must not hit.
        var cache = new TokenCache();
        var values = Gen.OneOf(
            Gen.String[Gen.Char["abcXYZ019@.-_ +"], 1, 40],
            Gen.Int[0, 9999].Select(i => $"user{i}@example.org"),
            Gen.Int[0, 9999].Select(i => $"USER{i}@Example.org"),
            Gen.Long[0, long.MaxValue].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.String[Gen.Char.AlphaNumeric, 250, 300]);
        Gen.Select(values, Gen.Int[0, Kinds.Length - 1], Gen.Int[0, Actions.Length - 1]).Sample((value, k, a) =>
        {
            var kind = Kinds[k];
            var action = Actions[a];
            for (var round = 0; round < 2; round++)
            {
                // Every operation on the same value: a hit keyed on the value alone would hand one operation's result to another.
                Assert.Equal(rewriter.Apply(value, kind, action), rewriter.Apply(value, kind, action, cache));
                Assert.Equal(rewriter.Tokenize(value, kind), rewriter.Tokenize(value, kind, cache));
                Assert.Equal(rewriter.Fake(value, kind), rewriter.Fake(value, kind, cache));
                Assert.Equal(rewriter.ApplyNumber(value, kind, action), rewriter.ApplyNumber(value, kind, action, cache));
            }
        }, iter: 3000);
        Assert.InRange(cache.Count, 1, TokenCache.Capacity);
    }

    [Fact]
    public void Cache_IsBounded_AndSkipsLongValues()
    {
        var cache = new TokenCache();
        for (var i = 0; i < TokenCache.Capacity * 3; i++)
        {
            cache.Add("value-" + i, DataKind.Secret, TokenCache.Operation.Tokenize, "tok_" + i);
            Assert.InRange(cache.Count, 1, TokenCache.Capacity);
        }

        var longValue = new string('k', TokenCache.MaxValueLength + 1);
        cache.Add(longValue, DataKind.Secret, TokenCache.Operation.Tokenize, "tok_long");
        Assert.False(cache.TryGet(longValue, DataKind.Secret, TokenCache.Operation.Tokenize, out _));
        Assert.True(cache.TryGet("value-" + ((TokenCache.Capacity * 3) - 1), DataKind.Secret, TokenCache.Operation.Tokenize, out var last));
        Assert.Equal("tok_" + ((TokenCache.Capacity * 3) - 1), last);
    }

    [Fact]
    public void Cache_SameValueUnderOtherKindsAndOperations_EachItsOwnEntry()
    {
        // Entries are grouped by value: each (kind, operation) of one value is its own entry, counted against the capacity,
        // and a value that differs only in case is another value.
        var cache = new TokenCache();
        cache.Add("Ann.Lee@example.org", DataKind.Email, TokenCache.Operation.Tokenize, "t-email");
        cache.Add("Ann.Lee@example.org", DataKind.AccountId, TokenCache.Operation.Tokenize, "t-id");
        cache.Add("Ann.Lee@example.org", DataKind.Email, TokenCache.Operation.Fake, "f-email");
        cache.Add("Ann.Lee@example.org", DataKind.Email, TokenCache.Operation.Fake, "f-email");
        cache.Add("ann.lee@example.org", DataKind.Email, TokenCache.Operation.Tokenize, "t-lower");
        Assert.Equal(4, cache.Count);
        Assert.True(cache.TryGet("Ann.Lee@example.org", DataKind.Email, TokenCache.Operation.Tokenize, out var a));
        Assert.True(cache.TryGet("Ann.Lee@example.org", DataKind.AccountId, TokenCache.Operation.Tokenize, out var b));
        Assert.True(cache.TryGet("Ann.Lee@example.org", DataKind.Email, TokenCache.Operation.Fake, out var c));
        Assert.True(cache.TryGet("ann.lee@example.org", DataKind.Email, TokenCache.Operation.Tokenize, out var d));
        Assert.Equal(["t-email", "t-id", "f-email", "t-lower"], [a, b, c, d]);
        Assert.False(cache.TryGet("Ann.Lee@example.org", DataKind.Email, TokenCache.Operation.Digits, out _));
        Assert.False(cache.TryGet("Ann.Lee@example.org", DataKind.Phone, TokenCache.Operation.Tokenize, out _));
        Assert.False(cache.TryGet("ANN.LEE@example.org", DataKind.Email, TokenCache.Operation.Tokenize, out _));
    }

    [Fact]
    public void Stream_RepeatedExchanges_SameOutputAsAFreshStream()
    {
        // The second and third redaction of an exchange in one stream are served from the cache; each must equal what a
        // new stream (empty cache) writes for it.
        Gen.Int.Sample(seed =>
        {
            var values = new CanaryValues(seed);
            var json = $$"""{"email":"{{values.Email()}}","note":"call {{values.Phone()}} or write {{values.Email()}}","card":"{{values.Card()}}","token":"{{values.Secret()}}"}""";
            var exchange = Policies.Json(json, json) with
            {
                Request = new ExchangeRequest
                {
                    Method = "POST",
                    Url = $"https://api.acme.test/u/{Uri.EscapeDataString(values.Email())}?token={values.Secret()}",
                    Headers = [new("Authorization", "Bearer " + values.BearerCredential()), new("Cookie", "sid=" + values.Secret())],
                    Body = ExchangeBody.FromText(json, "application/json"),
                },
            };
            var expected = ExchangeJson.Serialize(Policies.Default.Redact(exchange));
            var stream = Policies.Default;
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(expected, ExchangeJson.Serialize(stream.Redact(exchange)));
            }

            Assert.True(stream.Tokens!.Count > 0);
        }, iter: 100);
    }
}
