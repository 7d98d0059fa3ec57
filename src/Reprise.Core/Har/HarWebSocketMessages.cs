using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Reprise.Core.Model;

namespace Reprise.Core.Har;

/// <summary>
/// WebSocket messages in a HAR entry as Chrome DevTools writes them: <c>_webSocketMessages</c>, each
/// <c>{type: send|receive, time: epoch seconds, opcode, data}</c> (binary data base64). What Chrome has
/// no field for (exact offset, size, truncation, compression, close code/reason, non-UTF-8 text) goes in
/// underscore fields of the same object, so export then import is lossless.
/// </summary>
internal static class HarWebSocketMessages
{
    public static void Write(Utf8JsonWriter w, Exchange e)
    {
        w.WriteStartArray("_webSocketMessages");
        foreach (var message in e.Messages)
        {
            w.WriteStartObject();
            w.WriteString("type", message.From == WebSocketPeer.Client ? "send" : "receive");
            w.WriteNumber("time", (e.StartedAt + message.Offset).ToUnixTimeMilliseconds() / 1000.0);
            var opcode = WebSocketMessage.OpcodeOf(message.Kind);
            w.WriteNumber("opcode", opcode);
            var payload = message.Payload;
            if (message.Kind == WebSocketMessageKind.Close)
            {
                w.WriteString("data", message.CloseReason ?? string.Empty);
            }
            else if (payload is null)
            {
                w.WriteString("data", string.Empty);
                w.WriteBoolean("_noPayload", true);
            }
            else if (opcode == 2)
            {
                w.WriteBase64String("data", payload.Content.Span);
            }
            else if (payload.IsText)
            {
                w.WriteString("data", payload.Content.Span);
            }
            else
            {
                w.WriteBase64String("data", payload.Content.Span);
                w.WriteString("_encoding", "base64");
            }

            w.WriteNumber("_offsetTicks", message.Offset.Ticks);
            if (payload is not null && (payload.Size != payload.Content.Length || payload.Truncated))
            {
                w.WriteNumber("_size", payload.Size);
            }

            if (payload?.Truncated == true)
            {
                w.WriteBoolean("_truncated", true);
            }

            if (payload?.Note is { } note)
            {
                w.WriteString("_note", note);
            }

            if (payload?.MediaType is { } mediaType)
            {
                w.WriteString("_mediaType", mediaType);
            }

            if (message.Compressed)
            {
                w.WriteBoolean("_compressed", true);
            }

            if (message.CloseCode is { } code)
            {
                w.WriteNumber("_code", code);
            }

            if (message.Kind == WebSocketMessageKind.Close && message.CloseReason is null)
            {
                w.WriteBoolean("_noReason", true);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private const double EpochMillisecondsFrom = 1e11;

    public static ImmutableArray<WebSocketMessage> Read(JsonElement entry, DateTimeOffset startedAt)
    {
        if (!entry.TryGetProperty("_webSocketMessages", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var builder = ImmutableArray.CreateBuilder<WebSocketMessage>(list.GetArrayLength());
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("each _webSocketMessages item must be an object");
            }

            var from = HarEntryMapper.String(item, "type") switch
            {
                "send" => WebSocketPeer.Client,
                "receive" => WebSocketPeer.Server,
                var other => throw new FormatException($"_webSocketMessages type '{other}' is not send or receive"),
            };
            var opcode = item.TryGetProperty("opcode", out var op) && op.ValueKind == JsonValueKind.Number ? op.GetInt32() : 1;
            var type = opcode switch
            {
                1 => WebSocketMessageKind.Text,
                2 => WebSocketMessageKind.Binary,
                8 => WebSocketMessageKind.Close,
                9 => WebSocketMessageKind.Ping,
                10 => WebSocketMessageKind.Pong,
                _ => throw new FormatException($"_webSocketMessages opcode {opcode} is not 1, 2, 8, 9 or 10"),
            };
            TimeSpan offset;
            if (item.TryGetProperty("_offsetTicks", out var ticks) && ticks.ValueKind == JsonValueKind.Number)
            {
                offset = TimeSpan.FromTicks(ticks.GetInt64());
            }
            else
            {
                var time = item.TryGetProperty("time", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : 0;
                // Chrome DevTools writes epoch seconds, Playwright's recordHar epoch milliseconds: no epoch in seconds
                // reaches 1e11 (the year 5138), and every epoch in milliseconds since 1973 does.
                var ms = (time >= EpochMillisecondsFrom ? time : time * 1000) - startedAt.ToUnixTimeMilliseconds();
                offset = ms > 0 && ms < TimeSpan.MaxValue.TotalMilliseconds / 2 ? TimeSpan.FromTicks((long)Math.Round(ms * TimeSpan.TicksPerMillisecond)) : TimeSpan.Zero;
            }

            var data = HarEntryMapper.String(item, "data") ?? string.Empty;
            int? code = item.TryGetProperty("_code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null;
            if (type == WebSocketMessageKind.Close)
            {
                builder.Add(new WebSocketMessage
                {
                    From = from,
                    Offset = offset,
                    Kind = type,
                    Compressed = Flag(item, "_compressed"),
                    CloseCode = code,
                    CloseReason = Flag(item, "_noReason") ? null : data,
                });
                continue;
            }

            ExchangeBody? payload = null;
            if (!Flag(item, "_noPayload"))
            {
                var base64 = type == WebSocketMessageKind.Binary || string.Equals(HarEntryMapper.String(item, "_encoding"), "base64", StringComparison.OrdinalIgnoreCase);
                var bytes = base64 ? Base64(data) : Encoding.UTF8.GetBytes(data);
                payload = new ExchangeBody
                {
                    Content = bytes,
                    Size = item.TryGetProperty("_size", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetInt64() : bytes.Length,
                    Truncated = Flag(item, "_truncated"),
                    Note = HarEntryMapper.String(item, "_note"),
                    MediaType = HarEntryMapper.String(item, "_mediaType"),
                };
            }

            builder.Add(new WebSocketMessage { From = from, Offset = offset, Kind = type, Compressed = Flag(item, "_compressed"), CloseCode = code, Payload = payload });
        }

        return builder.MoveToImmutable();
    }

    private static bool Flag(JsonElement item, string name) => item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static byte[] Base64(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            // Some exporters write binary frames as text: keep what is there.
            return Encoding.UTF8.GetBytes(text);
        }
    }
}
