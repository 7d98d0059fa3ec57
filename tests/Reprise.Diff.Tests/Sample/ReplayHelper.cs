using System.Collections.Immutable;
using System.Globalization;
using Reprise.Core.Model;
using Reprise.Core.Recording;

namespace Reprise.Diff.Tests.Sample;

/// <summary>
/// Test-only stand-in for the replay engine (built in parallel on feat/replay): records a workload
/// with HttpClient, and replays a recording's requests at a target, writing results tagged
/// <c>replay.of</c>/<c>replay.copy</c>/<c>replay.run</c> exactly as the replay contract says.
/// Durations come from the service's Server-Timing header (set by the service, not measured), so tests do not flake
/// on a loaded machine.
/// </summary>
public static class ReplayHelper
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Sends the workload to <paramref name="target"/> and writes what happened as a recording.</summary>
    public static async Task RecordAsync(Uri target, IEnumerable<(string Method, string PathAndQuery, string? Body, string? ContentType)> workload, string path)
    {
        using var client = new HttpClient { BaseAddress = target, Timeout = TimeSpan.FromSeconds(30) };
        await using var writer = await RecordingWriter.CreateAsync(path, new RecordingHeader { CreatedAt = Epoch }, new RecordingWriterOptions { Overwrite = true });
        var n = 0;
        foreach (var (method, pathAndQuery, body, contentType) in workload)
        {
            var request = new ExchangeRequest
            {
                Method = method,
                Url = new Uri(target, pathAndQuery).ToString(),
                Headers = contentType is null ? [] : [new HeaderField("Content-Type", contentType)],
                Body = body is null ? null : ExchangeBody.FromText(body, contentType),
            };
            var exchange = await SendAsync(client, request, $"rec-{n:D5}", n, Exchange.EmptyTags);
            await writer.WriteAsync(exchange);
            n++;
        }

        await writer.CompleteAsync();
    }

    /// <summary>Replays every inbound exchange of a recording at <paramref name="target"/> (<paramref name="copies"/> times).</summary>
    public static async Task ReplayAsync(string recording, Uri target, string results, int copies = 1, string run = "test-run")
    {
        using var client = new HttpClient { BaseAddress = target, Timeout = TimeSpan.FromSeconds(30) };
        var recorded = new List<Exchange>();
        await foreach (var exchange in new RecordingReader(recording).ReadAsync())
        {
            recorded.Add(exchange);
        }

        await using var writer = await RecordingWriter.CreateAsync(results, new RecordingHeader { CreatedAt = Epoch }, new RecordingWriterOptions { Overwrite = true });
        var n = 0;
        for (var copy = 0; copy < copies; copy++)
        {
            foreach (var original in recorded)
            {
                var url = new Uri(target, UrlParts.PathAndQuery(original.Request.Url)).ToString();
                var tags = Exchange.EmptyTags.Add(WellKnownTags.ReplayOf, original.Id).Add(WellKnownTags.ReplayCopy, copy.ToString(CultureInfo.InvariantCulture)).Add(WellKnownTags.ReplayRun, run);
                var result = await SendAsync(client, original.Request with { Url = url }, $"res-{run}-{n:D5}", n, tags);
                await writer.WriteAsync(result);
                n++;
            }
        }

        await writer.CompleteAsync();
    }

    private static async Task<Exchange> SendAsync(HttpClient client, ExchangeRequest request, string id, int n, ImmutableSortedDictionary<string, string> tags)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        if (request.Body is { } body)
        {
            message.Content = new ByteArrayContent(body.Content.ToArray());
            message.Content.Headers.TryAddWithoutValidation("Content-Type", body.MediaType);
        }

        using var response = await client.SendAsync(message);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var headers = response.Headers.Concat(response.Content.Headers)
            .SelectMany(h => h.Value.Select(v => new HeaderField(h.Key, v))).ToImmutableArray();
        var timing = headers.Get("Server-Timing");
        var duration = timing is not null && timing.Split("dur=") is [_, var ms] ? double.Parse(ms, CultureInfo.InvariantCulture) : 0;
        return new Exchange
        {
            Id = id,
            StartedAt = Epoch.AddMilliseconds(n),
            Duration = TimeSpan.FromMilliseconds(duration),
            Service = "sample",
            Request = request,
            Response = new ExchangeResponse
            {
                Status = (int)response.StatusCode,
                Headers = headers,
                Body = ExchangeBody.FromBytes(bytes, response.Content.Headers.ContentType?.ToString()),
            },
            Tags = tags,
        };
    }
}
