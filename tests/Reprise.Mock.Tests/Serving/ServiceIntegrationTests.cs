using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Serving;

/// <summary>
/// A real Kestrel service calls a real Kestrel dependency while a DelegatingHandler records its
/// outbound calls; then the dependency stops and the same service runs against the mock.
/// </summary>
public sealed class ServiceIntegrationTests
{
    [Fact]
    public async Task Service_AgainstMock_SameResponsesAsAgainstDependency()
    {
        var ct = TestContext.Current.CancellationToken;
        var dependency = await TestKestrel.StartAsync(app =>
        {
            var stock = new ConcurrentDictionary<string, int>();
            app.MapGet("/prices/{sku}", (string sku) => Results.Json(new { sku, price = sku.Length * 10.5, at = "2026-01-01T00:00:00Z" }));
            app.MapPost("/reservations", async (HttpRequest request) =>
            {
                var body = await request.ReadFromJsonAsync<Dictionary<string, object>>();
                var sku = body!["sku"].ToString()!;
                var n = stock.AddOrUpdate(sku, 1, (_, v) => v + 1);
                return Results.Json(new { sku, reservation = n }, statusCode: 201);
            });
        });
        var recorded = new ConcurrentQueue<Exchange>();
        var recorder = new RecordingHandler(recorded);
        var dependencyAddress = dependency.Address;
        await using var service = await TestKestrel.StartAsync(app =>
        {
            app.MapGet("/quote/{sku}", async (string sku, HttpContext context) =>
            {
                using var client = new HttpClient(recorder.Fresh(), disposeHandler: false) { BaseAddress = (Uri)context.Items["dep"]! };
                var price = await client.GetFromJsonAsync<Dictionary<string, object>>($"/prices/{sku}");
                var reservation = await client.PostAsJsonAsync("/reservations", new { sku, requestId = Guid.NewGuid().ToString(), at = DateTimeOffset.UtcNow });
                var reserved = await reservation.Content.ReadFromJsonAsync<Dictionary<string, object>>();
                return Results.Json(new { sku, price = price!["price"].ToString(), reservation = reserved!["reservation"].ToString(), status = (int)reservation.StatusCode });
            });
            app.Use(async (context, next) =>
            {
                context.Items["dep"] = recorder.Target;
                await next(context);
            });
        });
        using var caller = new HttpClient { BaseAddress = service.Address };
        recorder.Target = dependencyAddress;
        var live = new List<string>();
        foreach (var sku in (string[])["ab", "abc", "ab"])
        {
            live.Add(await caller.GetStringAsync($"/quote/{sku}", ct));
        }

        await dependency.DisposeAsync();
        using var dir = new TempDir();
        var (mock, _) = await MockFixtures.StartAsync(dir, recorded);
        await using (mock)
        {
            recorder.Target = mock.Address;
            var mocked = new List<string>();
            foreach (var sku in (string[])["ab", "abc", "ab"])
            {
                mocked.Add(await caller.GetStringAsync($"/quote/{sku}", ct));
            }

            Assert.Equal(live, mocked);
            Assert.Equal(0, mock.Journal.MissCount);
            Assert.Contains("\"reservation\":\"2\"", mocked[2], StringComparison.Ordinal);
        }
    }

    /// <summary>Records each outbound call as an exchange (what the capture middleware does, minimally).</summary>
    private sealed class RecordingHandler(ConcurrentQueue<Exchange> sink)
    {
        public Uri Target { get; set; } = new("http://127.0.0.1:1/");

        public HttpMessageHandler Fresh() => new Handler(sink) { InnerHandler = new SocketsHttpHandler() };

        private sealed class Handler(ConcurrentQueue<Exchange> sink) : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var started = DateTimeOffset.UtcNow;
                var requestBody = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
                var response = await base.SendAsync(request, cancellationToken);
                var responseBody = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var contentType = response.Content.Headers.ContentType?.ToString();
                sink.Enqueue(new Exchange
                {
                    Id = Guid.NewGuid().ToString("N"),
                    Direction = Direction.Outbound,
                    StartedAt = started,
                    Request = new ExchangeRequest
                    {
                        Method = request.Method.Method,
                        Url = "https://dependency.test" + request.RequestUri!.PathAndQuery,
                        Headers = request.Content?.Headers.ContentType is { } ct ? [new HeaderField("Content-Type", ct.ToString())] : ImmutableArray<HeaderField>.Empty,
                        Body = requestBody is null ? null : ExchangeBody.FromBytes(requestBody, request.Content!.Headers.ContentType?.ToString()),
                    },
                    Response = new ExchangeResponse
                    {
                        Status = (int)response.StatusCode,
                        Headers = contentType is null ? [] : [new HeaderField("Content-Type", contentType)],
                        Body = ExchangeBody.FromBytes(responseBody, contentType),
                    },
                });
                return new HttpResponseMessage(response.StatusCode) { Content = new ByteArrayContent(responseBody) { Headers = { ContentType = response.Content.Headers.ContentType } } };
            }
        }
    }
}
