using Reprise.Core.Model;

namespace Reprise.Diff.Bodies;

/// <summary>Compares two bodies of one format semantically and reports located differences.</summary>
public interface IDiffComparer
{
    /// <summary>A stable name for output and logs (json, xml, form, text, grpc, binary).</summary>
    string Name { get; }

    /// <summary>True when this comparer understands the body (by media type, then by sniffing).</summary>
    bool CanCompare(ExchangeBody body, Protocol protocol);

    /// <summary>Compares; returns false when either side does not parse (the caller falls back to text).</summary>
    bool Compare(ExchangeBody expected, ExchangeBody actual, BodyDiffContext context, IDiffSink sink);

    /// <summary>A readable rendering for side-by-side views (e.g. indented JSON), or null to use the raw text.</summary>
    string? Pretty(ExchangeBody body);
}
