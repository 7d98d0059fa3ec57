using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Reprise.Core.Model;
using Reprise.Mock.Serving;
using Reprise.Testing;
using Xunit;

namespace Reprise.Mock.Tests.Serving;

/// <summary>A body the recorder cut at --max-body is served as stored, with a matching length and a header saying so.</summary>
public sealed class TruncatedBodyTests
{
    [Fact]
    public async Task Serve_TruncatedRecordedBody_StoredBytesWithTheirLengthHeaderAndOneLogLine()
    {
        var stored = new byte[10_000];
        new Random(3).NextBytes(stored);
        var exchange = MockFixtures.Get("https://files.test/mid.bin") is var e
            ? e with
            {
                Response = new ExchangeResponse
                {
                    Status = 200,
                    Headers = [new("Content-Type", "application/octet-stream"), new("Content-Length", "1500000")],
                    Body = new ExchangeBody { Content = stored, MediaType = "application/octet-stream", Size = 1_500_000, Truncated = true },
                },
            }
            : null!;
        var logs = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var dir = new TempDir();
        var path = dir.File("deps.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(path, [exchange]);
        var ct = TestContext.Current.CancellationToken;
        await using var server = await MockServer.StartAsync(new MockServerOptions { RecordingPath = path, Watch = false }, loggerFactory, cancellationToken: ct);
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };

        for (var i = 0; i < 2; i++)
        {
            using var response = await client.GetAsync("/mid.bin", ct);
            Assert.Equal(10_000, response.Content.Headers.ContentLength);
            Assert.Equal(stored, await response.Content.ReadAsByteArrayAsync(ct));
            Assert.Equal("stored=10000; size=1500000", Assert.Single(response.Headers.GetValues(RecordedResponse.TruncatedHeader)));
        }

        var warning = Assert.Single(logs.Messages, m => m.Contains("truncated", StringComparison.Ordinal));
        Assert.Contains("GET /mid.bin", warning, StringComparison.Ordinal);
        Assert.Contains("10000 of 1500000 bytes", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_TruncatedBodyOfRedactedRecording_LogLineNamesTheRecordedPathNotTheRawOne()
    {
        const string raw = "jane@mail.com";
        const string token = "tok_email_aaaaaaaaaaaaaaaa";
        var exchange = MockFixtures.Get("https://files.test/users/" + token + "/mid.bin") with
        {
            Redactions = ImmutableArray.Create(new Redaction("request.url", "email", "tokenize")),
            Response = new ExchangeResponse
            {
                Status = 200,
                Headers = [new("Content-Type", "application/octet-stream")],
                Body = new ExchangeBody { Content = new byte[100], MediaType = "application/octet-stream", Size = 5000, Truncated = true },
            },
        };
        var logs = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var dir = new TempDir();
        var path = dir.File("deps.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(path, [exchange]);
        var ct = TestContext.Current.CancellationToken;
        var redactor = new ReplacingRedactor(raw, token);
        await using var server = await MockServer.StartAsync(new MockServerOptions { RecordingPath = path, Watch = false, Redactor = redactor }, loggerFactory, cancellationToken: ct);
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };

        using var response = await client.GetAsync("/users/" + raw + "/mid.bin", ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);

        var warning = Assert.Single(logs.Messages, m => m.Contains("truncated", StringComparison.Ordinal));
        Assert.Contains("/users/" + token + "/mid.bin", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(raw, warning, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(raw), warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WholeBody_NoTruncationHeader()
    {
        using var dir = new TempDir();
        var (server, client) = await MockFixtures.StartAsync(dir, [MockFixtures.Get("https://api.test/x", """{"a":1}""")]);
        await using (server)
        {
            using var response = await client.GetAsync("/x", TestContext.Current.CancellationToken);
            Assert.False(response.Headers.Contains(RecordedResponse.TruncatedHeader));
        }
    }

    internal sealed class ListLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new ListLogger(Messages);

        public void Dispose()
        {
        }

        private sealed class ListLogger(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception));
        }
    }
}
