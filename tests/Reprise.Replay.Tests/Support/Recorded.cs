using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Reprise.Core.Model;

namespace Reprise.Replay.Tests.Support;

/// <summary>Builders for recorded traffic.</summary>
internal static class Recorded
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static Exchange Request(string method, string path, double atSeconds, string? session = null, string? body = null, string? responseBody = null, int status = 200, ImmutableArray<HeaderField>? responseHeaders = null, string? id = null)
    {
        var headers = ImmutableArray.CreateBuilder<HeaderField>();
        headers.Add(new HeaderField("Accept", "application/json"));
        if (session is not null)
        {
            headers.Add(new HeaderField("Authorization", "Bearer " + session));
        }

        if (body is not null)
        {
            headers.Add(new HeaderField("Content-Type", "application/json"));
        }

        return new Exchange
        {
            Id = id ?? Guid.NewGuid().ToString("N"),
            StartedAt = Start.AddSeconds(atSeconds),
            Duration = TimeSpan.FromMilliseconds(5),
            Service = "shop",
            Request = new ExchangeRequest
            {
                Method = method,
                Url = "http://recorded.example" + path,
                Headers = headers.ToImmutable(),
                Body = body is null ? null : ExchangeBody.FromText(body, "application/json"),
            },
            Response = new ExchangeResponse
            {
                Status = status,
                Headers = responseHeaders ?? [new HeaderField("Content-Type", "application/json")],
                Body = responseBody is null ? null : ExchangeBody.FromText(responseBody, "application/json"),
            },
        };
    }

    /// <summary>A recorded POST of session "s" whose request carries this body (any content type).</summary>
    public static Exchange Post(double atSeconds, string path, string body, string contentType) =>
        Request("POST", path, atSeconds, session: "s") is var e
            ? e with { Request = e.Request with { Body = ExchangeBody.FromText(body, contentType) } }
            : null!;

    public static async IAsyncEnumerable<Exchange> Stream(IEnumerable<Exchange> exchanges, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var exchange in exchanges)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return exchange;
        }
    }

    /// <summary>A re-enumerable async sequence (for --duration loops).</summary>
    public static IAsyncEnumerable<Exchange> Replayable(IReadOnlyList<Exchange> exchanges) => new Sequence(exchanges);

    private sealed class Sequence(IReadOnlyList<Exchange> exchanges) : IAsyncEnumerable<Exchange>
    {
        public IAsyncEnumerator<Exchange> GetAsyncEnumerator(CancellationToken cancellationToken = default) => Stream(exchanges, cancellationToken).GetAsyncEnumerator(cancellationToken);
    }
}
