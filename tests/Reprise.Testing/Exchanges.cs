using System.Collections.Immutable;
using Reprise.Core.Model;
using Reprise.Core.Recording;

namespace Reprise.Testing;

/// <summary>Small builders for exchanges in tests (mitmproxy's tflow, in spirit).</summary>
public static class Exchanges
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A GET with a JSON 200 response.</summary>
    public static Exchange Get(string url, string responseJson = "{}", int status = 200, string? id = null, int offsetMs = 0, int durationMs = 10) => new()
    {
        Id = id ?? Guid.NewGuid().ToString("N"),
        StartedAt = Epoch.AddMilliseconds(offsetMs),
        Duration = TimeSpan.FromMilliseconds(durationMs),
        Service = UrlParts.Host(url),
        Request = new ExchangeRequest { Method = "GET", Url = url, Headers = [new("Accept", "application/json")] },
        Response = new ExchangeResponse
        {
            Status = status,
            Headers = [new("Content-Type", "application/json")],
            Body = ExchangeBody.FromText(responseJson, "application/json"),
        },
    };

    /// <summary>A GET answered by an HTML page (UTF-8), with any more response headers (a <c>Set-Cookie</c>).</summary>
    public static Exchange Page(string url, string html, params HeaderField[] headers) => Get(url, "{}", id: "p1") is var exchange
        ? exchange with
        {
            Response = exchange.Response! with
            {
                Headers = [new("Content-Type", "text/html; charset=utf-8"), .. headers],
                Body = ExchangeBody.FromText(html, "text/html; charset=utf-8"),
            },
        }
        : exchange;

    /// <summary>
    /// A WebSocket session (a GET answered 101) with text <paramref name="messages"/> in order, 1 ms apart; the response
    /// headers are the upgrade's and <paramref name="responseHeaders"/>.
    /// </summary>
    public static Exchange WebSocket(string url, string id, IEnumerable<(WebSocketPeer From, string Text)> messages, params HeaderField[] responseHeaders) =>
        Get(url, id: id) with
        {
            Protocol = Protocol.WebSocket,
            Response = new ExchangeResponse { Status = 101, Headers = [new("Upgrade", "websocket"), new("Connection", "Upgrade"), .. responseHeaders] },
            Messages = [.. messages.Select((m, i) => new WebSocketMessage
            {
                From = m.From,
                Kind = WebSocketMessageKind.Text,
                Offset = TimeSpan.FromMilliseconds(i),
                Payload = ExchangeBody.FromText(m.Text, null),
            })],
        };

    /// <summary>A request with a JSON body and a JSON response.</summary>
    public static Exchange Send(string method, string url, string requestJson, string responseJson = "{}", int status = 200, string? id = null, int offsetMs = 0) =>
        Get(url, responseJson, status, id, offsetMs) with
        {
            Request = new ExchangeRequest
            {
                Method = method,
                Url = url,
                Headers = [new("Content-Type", "application/json")],
                Body = ExchangeBody.FromText(requestJson, "application/json"),
            },
        };

    /// <summary>Writes exchanges to a new recording file.</summary>
    public static async Task WriteRecordingAsync(string path, IEnumerable<Exchange> exchanges, ImmutableSortedDictionary<string, string>? capture = null)
    {
        await using var writer = await RecordingWriter.CreateAsync(path, new RecordingHeader { CreatedAt = Epoch, Capture = capture ?? Exchange.EmptyTags }, new RecordingWriterOptions { Overwrite = true });
        foreach (var exchange in exchanges)
        {
            await writer.WriteAsync(exchange);
        }

        await writer.CompleteAsync();
    }

    /// <summary>Reads every exchange of a recording (tests only: small files).</summary>
    public static async Task<List<Exchange>> ReadAllAsync(string path)
    {
        var list = new List<Exchange>();
        await foreach (var exchange in new RecordingReader(path).ReadAsync())
        {
            list.Add(exchange);
        }

        return list;
    }
}
