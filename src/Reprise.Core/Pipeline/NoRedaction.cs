using Reprise.Core.Model;

namespace Reprise.Core.Pipeline;

/// <summary>The explicit opt-out (<c>--no-redact</c>): exchanges are stored as captured.</summary>
public sealed class NoRedaction : IExchangeRedactor
{
    /// <summary>The single instance.</summary>
    public static readonly NoRedaction Instance = new();

    private NoRedaction()
    {
    }

    /// <inheritdoc />
    public string PolicyName => "none";

    /// <inheritdoc />
    public string PolicyDigest => "none";

    /// <inheritdoc />
    public Exchange Redact(Exchange exchange) => exchange;
}
