using System.Security.Cryptography;
using Reprise.Core.Model;
using Reprise.Diff.Model;

namespace Reprise.Diff.Bodies;

/// <summary>The fallback for bodies no other comparer understands: equal bytes or one <c>body:bytes</c> difference (size and SHA-256 prefix).</summary>
public sealed class BinaryComparer : IDiffComparer
{
    /// <inheritdoc />
    public string Name => "binary";

    /// <inheritdoc />
    public bool CanCompare(ExchangeBody body, Protocol protocol) => true;

    /// <inheritdoc />
    public bool Compare(ExchangeBody expected, ExchangeBody actual, BodyDiffContext context, IDiffSink sink)
    {
        if (!expected.Content.Span.SequenceEqual(actual.Content.Span))
        {
            sink.Report("body:bytes", DifferenceKind.Changed, Describe(expected), Describe(actual));
        }

        return true;
    }

    /// <inheritdoc />
    public string? Pretty(ExchangeBody body) => Describe(body);

    private static string Describe(ExchangeBody body) =>
        $"{body.Content.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(body.Content.Span))[..16]}";
}
