using System.Text;
using Reprise.Core.Model;

namespace Reprise.Benchmarks.Recording;

/// <summary>Realistic exchanges of a given body size for the format benchmarks.</summary>
internal static class SampleExchanges
{
    public static Exchange Create(int i, int bodyBytes)
    {
        var json = new StringBuilder("{\"id\":").Append(i).Append(",\"name\":\"item ").Append(i).Append("\",\"tags\":[");
        while (json.Length < bodyBytes - 32)
        {
            json.Append("\"tag-").Append(json.Length).Append("\",");
        }

        json.Append("\"end\"],\"ok\":true}");
        return new Exchange
        {
            Id = "ex-" + i,
            TraceId = "0af7651916cd43dd8448eb211c80319c",
            SpanId = "b7ad6b7169203331",
            Service = "orders",
            StartedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(i),
            Duration = TimeSpan.FromMilliseconds(12.5),
            Request = new ExchangeRequest
            {
                Method = "GET",
                Url = $"http://orders.internal:8080/api/orders/{i}?expand=items",
                Headers = [new("Host", "orders.internal:8080"), new("Accept", "application/json"), new("User-Agent", "bench/1.0"), new("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")],
            },
            Response = new ExchangeResponse
            {
                Status = 200,
                Headers = [new("Content-Type", "application/json"), new("Date", "Thu, 01 Jan 2026 00:00:00 GMT"), new("Content-Length", bodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                Body = ExchangeBody.FromText(json.ToString(), "application/json"),
            },
        };
    }
}
