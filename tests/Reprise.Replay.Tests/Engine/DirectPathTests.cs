using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Pacing;
using Reprise.Replay.Results;
using Reprise.Replay.Tests.Http;
using Reprise.Replay.Tests.Support;
using Reprise.Testing;
using Xunit;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// Under <c>--vus</c> without a results file, a virtual user sends a template's cached bytes on its keep-alive connection
/// and reads the response in its own loop (the executor's direct path). Each scenario runs twice against the same kind of
/// server: results not kept (the direct path) and kept in memory (the general path); the summaries must be the same.
/// </summary>
public sealed class DirectPathTests
{
    private static async Task<(ReplaySummary Summary, int Requests, int Connections)> RunAsync(Func<int, string?> answer, IReadOnlyList<Exchange> recorded, bool keep, TimeSpan? requestTimeout = null)
    {
        await using var server = new ScriptedServer(answer);
        var options = new ReplayOptions { Target = server.Address, Pacing = PacingMode.Vus, Vus = 1, TimeShift = false, RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30) };
        var summary = await Replayer.RunAsync(options, Recorded.Stream(recorded), keep ? new ListSink() : NullResultSink.Instance, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        return (summary, server.Requests, server.Connections);
    }

    private static void AssertSame(ReplaySummary direct, ReplaySummary general)
    {
        Assert.Equal(general.Sent, direct.Sent);
        Assert.Equal(general.Responses, direct.Responses);
        Assert.Equal(general.StatusClasses, direct.StatusClasses);
        Assert.Equal(general.ErrorsByKind.Where(e => e.Value > 0).OrderBy(e => e.Key), direct.ErrorsByKind.Where(e => e.Value > 0).OrderBy(e => e.Key));
        Assert.Equal(general.Endpoints.Select(e => (e.Endpoint, e.Count, e.Errors)).OrderBy(e => e.Endpoint.ToString()), direct.Endpoints.Select(e => (e.Endpoint, e.Count, e.Errors)).OrderBy(e => e.Endpoint.ToString()));
    }

    [Fact]
    public async Task Framings_StatusesAndStrayBytes_CountAndReuseConnectionsAsTheGeneralPath()
    {
        // Request n's answer: Content-Length, chunked with a trailer, 204, 500, bytes past the framed response (the connection
        // must not be reused) and Connection: close (bytes split across receives: Http1ResponseReaderTests).
        static string? Answer(int n) => (n % 6) switch
        {
            0 => "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
            1 => "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n",
            2 => "HTTP/1.1 204 No Content\r\n\r\n",
            3 => "HTTP/1.1 500 Oops\r\nContent-Length: 2\r\n\r\nno",
            4 => "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 408 Stray\r\nContent-Length: 0\r\n\r\n",
            _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        };
        var recorded = Enumerable.Range(0, 40).Select(i => Recorded.Request("GET", "/r/" + (i % 3), i * 0.001)).ToList();

        var direct = await RunAsync(Answer, recorded, keep: false);
        var general = await RunAsync(Answer, recorded, keep: true);

        AssertSame(direct.Summary, general.Summary);
        Assert.Equal(40, direct.Summary.Sent);
        Assert.Equal(0, direct.Summary.Errors);
        Assert.Equal(40, direct.Requests);
        Assert.Equal(general.Connections, direct.Connections);
        Assert.True(direct.Connections < 40, $"{direct.Connections} connections: keep-alive was not used");
    }

    [Theory]
    [InlineData("GET", null)] // retried once on a fresh connection, answered
    [InlineData("POST", "{\"charge\":1}")] // the server may have acted on it: an error, never sent twice
    public async Task ConnectionClosedUnansweredOnAReusedConnection_RetriedOnlyWithoutABody_AsTheGeneralPath(string method, string? body)
    {
        // Request 2 (on the connection request 1 left idle) is read, then the connection is closed without an answer.
        static string? Answer(int n) => n == 2 ? null : $"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nr{n}";
        var recorded = Enumerable.Range(0, 4).Select(i => Recorded.Request(method, "/any", i * 0.001, body: body)).ToList();

        var direct = await RunAsync(Answer, recorded, keep: false);
        var general = await RunAsync(Answer, recorded, keep: true);

        AssertSame(direct.Summary, general.Summary);
        Assert.Equal(general.Requests, direct.Requests);
        if (body is null)
        {
            Assert.Equal(0, direct.Summary.Errors);
            Assert.Equal(5, direct.Requests);
        }
        else
        {
            Assert.Equal(1, direct.Summary.Errors);
            Assert.Equal(4, direct.Requests);
        }
    }

    [Fact]
    public async Task ResponseCutShortInTheBody_TimesOutAsTheGeneralPath_AndTheNextRequestUsesAFreshConnection()
    {
        // Request 2's body is shorter than its Content-Length and nothing more comes: the request timeout ends it in the body.
        static string? Answer(int n) => n == 2 ? "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc" : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        var recorded = Enumerable.Range(0, 4).Select(i => Recorded.Request("GET", "/any", i * 0.001)).ToList();

        // 2 s, not 300 ms: the timeout applies to the answered requests too, and a loaded machine can be that slow to answer.
        var direct = await RunAsync(Answer, recorded, keep: false, TimeSpan.FromSeconds(2));
        var general = await RunAsync(Answer, recorded, keep: true, TimeSpan.FromSeconds(2));

        AssertSame(direct.Summary, general.Summary);
        Assert.Equal(1, direct.Summary.ErrorsByKind[ExchangeErrorKind.Timeout]);
        Assert.Equal(3, direct.Summary.StatusClasses[2]);
        Assert.Equal(general.Connections, direct.Connections); // the preflight's, the first user connection, a fresh one after the timeout
    }

    [Fact]
    public async Task SlowResponses_AreTimeouts_AtTheDeadline_AndTheUserGoesOnOnAFreshConnection()
    {
        // 2 s, not 300 ms: the timeout applies to the six /fast requests too, and a loaded machine can be that slow to answer.
        var timeout = TimeSpan.FromSeconds(2);
        await using var target = await CountingTarget.StartAsync(app => app.Use(async (context, nextStep) =>
        {
            if (context.Request.Path == "/slow")
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
            }

            await nextStep(context);
        }));
        // /fast first: the user's connection is then idle in its lane, so /slow goes the direct path; twice, so the second
        // timeout fires on a timeout source reset after the first (the direct path keeps its registration across requests).
        var paths = new[] { "/fast", "/slow", "/fast", "/fast", "/fast", "/slow", "/fast", "/fast" };
        var recorded = paths.Select((path, i) => Recorded.Request("GET", path, i * 0.001)).ToArray();
        var summary = await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Pacing = PacingMode.Vus, Vus = 1, RequestTimeout = timeout }, Recorded.Stream(recorded), NullResultSink.Instance, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(8, summary.Sent);
        Assert.Equal(2, summary.ErrorsByKind[ExchangeErrorKind.Timeout]);
        Assert.Equal(6, summary.StatusClasses[2]);
        var slow = Assert.Single(summary.Endpoints, e => e.Endpoint.Template == "/slow");
        // Runtime timers run on a coarse tick and may fire up to one kernel tick plus millisecond truncation early.
        Assert.True(slow.Latency().MaxMs >= (timeout - TimeSpan.FromMilliseconds(20)).TotalMilliseconds, $"timed out after {slow.Latency().MaxMs} ms");
        Assert.Equal(8, target.Count);
    }
}
