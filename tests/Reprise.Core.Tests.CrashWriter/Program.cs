using System.Globalization;
using Reprise.Core.Model;
using Reprise.Core.Recording;

// Usage: CrashWriter PATH. Writes exchanges as fast as it can; after every flush prints
// "flushed N" (N exchanges are on the OS side). The test kills it with SIGKILL at a random point.
var path = args[0];
var writer = await RecordingWriter.CreateAsync(path, new RecordingHeader { CreatedAt = DateTimeOffset.UtcNow }, new RecordingWriterOptions { FlushInterval = TimeSpan.FromMilliseconds(5) });
var body = ExchangeBody.FromText(new string('x', 700), "text/plain");
for (var i = 0; ; i++)
{
    await writer.WriteAsync(new Exchange
    {
        Id = i.ToString(CultureInfo.InvariantCulture),
        StartedAt = DateTimeOffset.UtcNow,
        Request = new ExchangeRequest { Method = "POST", Url = $"http://crash.test/items/{i}", Body = body },
        Response = new ExchangeResponse { Status = 200, Body = body },
    });
    if (i % 50 == 49)
    {
        await writer.FlushAsync();
        Console.Out.WriteLine($"flushed {i + 1}");
        Console.Out.Flush();
    }
}
