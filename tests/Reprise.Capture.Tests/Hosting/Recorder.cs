using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Reprise.Capture.Hosting;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Recording;
using Reprise.Testing;

namespace Reprise.Capture.Tests.Hosting;

/// <summary>A started <see cref="RecordServer"/> writing into a temp dir; <see cref="StopAndReadAsync"/> returns what is on disk.</summary>
internal sealed class Recorder : IAsyncDisposable
{
    private readonly TempDir _dir = new();

    private Recorder()
    {
    }

    public RecordServer Server { get; private set; } = null!;

    public string Path => _dir.File("rec.reprise.jsonl");

    public HttpClient Client { get; } = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };

    public static async Task<Recorder> StartAsync(Func<RecordServerOptions, RecordServerOptions> configure, IExchangeRedactor? redactor = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        var recorder = new Recorder();
        var options = configure(new RecordServerOptions { OutputPath = recorder.Path, Listen = new IPEndPoint(IPAddress.Loopback, 0), DrainTimeout = TimeSpan.FromSeconds(5) });
        recorder.Server = await RecordServer.StartAsync(options, redactor ?? NoRedaction.Instance, loggerFactory ?? NullLoggerFactory.Instance);
        return recorder;
    }

    public Uri Url(string pathAndQuery) => new(Server.ReverseAddress!, pathAndQuery);

    public async Task<(RecordingHeader Header, List<Exchange> Exchanges)> StopAndReadAsync()
    {
        await Server.StopAsync();
        var reader = new RecordingReader(Path);
        var header = await reader.ReadHeaderAsync();
        var list = new List<Exchange>();
        await foreach (var exchange in reader.ReadAsync())
        {
            list.Add(exchange);
        }

        return (header, list);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
