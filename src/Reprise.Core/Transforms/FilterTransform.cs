using System.Runtime.CompilerServices;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;

namespace Reprise.Core.Transforms;

/// <summary>Keeps the exchanges that meet every criterion of <see cref="ExchangeFilterOptions"/>.</summary>
public sealed class FilterTransform : IExchangeTransform
{
    private readonly ExchangeFilterOptions _options;

    public FilterTransform(ExchangeFilterOptions options) => _options = options;

    /// <inheritdoc />
    public string Name => "filter";

    /// <summary>True when the exchange meets every criterion.</summary>
    public bool Matches(Exchange exchange)
    {
        var o = _options;
        if (o.Direction is { } direction && exchange.Direction != direction)
        {
            return false;
        }

        if (o.Methods.Count > 0 && !Contains(o.Methods, exchange.Request.Method))
        {
            return false;
        }

        if (o.Services.Count > 0 && (exchange.Service is null || !Contains(o.Services, exchange.Service)))
        {
            return false;
        }

        if (o.Status is { } status && !status.IsMatch(exchange.Response?.Status))
        {
            return false;
        }

        if (o.Hosts.Count > 0 && !HostMatches(o.Hosts, UrlParts.Host(exchange.Request.Url)))
        {
            return false;
        }

        if (o.Paths.Count > 0 || o.ExcludePaths.Count > 0)
        {
            var path = UrlParts.Path(exchange.Request.Url);
            if (o.Paths.Count > 0 && !PathGlob.AnyMatch(o.Paths, path))
            {
                return false;
            }

            if (PathGlob.AnyMatch(o.ExcludePaths, path))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Exchange> TransformAsync(IAsyncEnumerable<Exchange> input, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var exchange in input.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (Matches(exchange))
            {
                yield return exchange;
            }
        }
    }

    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        foreach (var candidate in values)
        {
            if (string.Equals(candidate, value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // A pattern is written as a host or an authority: api.test, API.test:8443, ::1, [::1], [::1]:8080 all name one host.
    private static bool HostMatches(IReadOnlyList<string> hosts, string host)
    {
        foreach (var pattern in hosts)
        {
            if (pattern.StartsWith("*.", StringComparison.Ordinal)
                ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
                : string.Equals(UrlParts.HostOfAuthority(pattern), host, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
