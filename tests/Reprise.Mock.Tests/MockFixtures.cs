using System.Collections.Immutable;
using System.Text;
using Reprise.Core.Model;
using Reprise.Mock.Config;
using Reprise.Mock.Matching;
using Reprise.Mock.Serving;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests;

/// <summary>Outbound exchange builders and an in-process mock server for tests.</summary>
internal static class MockFixtures
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static Exchange Get(string url, string json = "{}", int status = 200, int offsetMs = 0) =>
        Exchanges.Get(url, json, status, offsetMs: offsetMs) with { Direction = Direction.Outbound };

    public static Exchange Send(string method, string url, string requestBody, string responseJson = "{}", int status = 200, string contentType = "application/json", int offsetMs = 0, params HeaderField[] headers) =>
        Exchanges.Send(method, url, requestBody, responseJson, status, offsetMs: offsetMs) with
        {
            Direction = Direction.Outbound,
            Request = new ExchangeRequest
            {
                Method = method,
                Url = url,
                Headers = [new("Content-Type", contentType), .. headers],
                Body = ExchangeBody.FromText(requestBody, contentType),
            },
        };

    public static Exchange Grpc(string url, byte[] requestMessage, byte[] responseMessage, string grpcStatus = "0", string? grpcMessage = null) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Direction = Direction.Outbound,
        Protocol = Protocol.Grpc,
        StartedAt = Epoch,
        Duration = TimeSpan.FromMilliseconds(5),
        Request = new ExchangeRequest
        {
            Method = "POST",
            Url = url,
            Version = "HTTP/2",
            Headers = [new("content-type", "application/grpc"), new("te", "trailers")],
            Body = ExchangeBody.FromBytes(Frame(requestMessage), "application/grpc"),
        },
        Response = new ExchangeResponse
        {
            Status = 200,
            Version = "HTTP/2",
            Headers = [new("content-type", "application/grpc")],
            Body = ExchangeBody.FromBytes(Frame(responseMessage), "application/grpc"),
            Trailers = grpcMessage is null ? [new("grpc-status", grpcStatus)] : [new("grpc-status", grpcStatus), new("grpc-message", grpcMessage)],
        },
    };

    public static byte[] Frame(byte[] message)
    {
        var framed = new byte[message.Length + 5];
        framed[1] = (byte)(message.Length >> 24);
        framed[2] = (byte)(message.Length >> 16);
        framed[3] = (byte)(message.Length >> 8);
        framed[4] = (byte)message.Length;
        message.CopyTo(framed, 5);
        return framed;
    }

    public static MockIndex Index(IEnumerable<Exchange> exchanges, MockIndexOptions? options = null, IEnumerable<string>? volatileNames = null, string? configPath = null)
    {
        var errors = new List<string>();
        var rules = MockRules.Build(new Reprise.Mock.Chaos.ChaosOptions(), configPath, volatileNames ?? [], TimeProvider.System, errors);
        Assert.Empty(errors);
        return MockIndex.Build(exchanges, options ?? new MockIndexOptions(), rules);
    }

    public static RequestShape Shape(string method, string url, string? body = null, string? contentType = "application/json", string? soapAction = null, string? traceparent = null) =>
        RequestShaper.Shape(method, UrlParts.CanonicalAuthority(UrlParts.Authority(url), url.StartsWith("https:", StringComparison.OrdinalIgnoreCase)), UrlParts.Path(url), UrlParts.Query(url), body is null ? null : contentType, soapAction, traceparent, body is null ? default : Encoding.UTF8.GetBytes(body));

    public static async Task<(MockServer Server, HttpClient Client)> StartAsync(TempDir dir, IEnumerable<Exchange> exchanges, Func<MockServerOptions, MockServerOptions>? configure = null)
    {
        var path = dir.File("deps.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(path, exchanges);
        var options = new MockServerOptions { RecordingPath = path, Watch = false };
        options = configure?.Invoke(options) ?? options;
        var server = await MockServer.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        return (server, new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) });
    }

    public static ImmutableArray<HeaderField> NoHeaders => [];
}
