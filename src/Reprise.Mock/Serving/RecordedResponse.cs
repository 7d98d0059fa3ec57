using System.Collections.Immutable;
using Reprise.Core.Model;

namespace Reprise.Mock.Serving;

/// <summary>A recorded response prepared once at load: hop-by-hop headers dropped, body bytes ready to write.</summary>
internal sealed class RecordedResponse
{
    /// <summary>Response header on a body that was cut at capture: <c>stored=N; size=M</c> (bytes served, bytes the upstream sent).</summary>
    public const string TruncatedHeader = "X-Reprise-Truncated";

    private static readonly string[] Dropped = ["transfer-encoding", "connection", "keep-alive", "content-length", "upgrade", "proxy-connection", "trailer", "alt-svc"];

    public RecordedResponse(Exchange exchange)
    {
        var response = exchange.Response;
        Status = response?.Status ?? 502;
        Duration = exchange.Duration;
        Body = response?.Body?.Content ?? ReadOnlyMemory<byte>.Empty;
        if (!exchange.Messages.IsDefaultOrEmpty)
        {
            // A session recorded as messages: the server's side is played in turns (WebSocketReplay), not from the body.
            Messages = exchange.Messages;
        }

        var decoded = response?.Body?.Note is { } note && note.Contains("decoded", StringComparison.OrdinalIgnoreCase);
        var headers = ImmutableArray.CreateBuilder<HeaderField>();
        foreach (var header in response?.Headers ?? [])
        {
            var name = header.Name.ToLowerInvariant();
            if (Array.IndexOf(Dropped, name) >= 0 || name.StartsWith(':') || (decoded && name == "content-encoding"))
            {
                continue;
            }

            headers.Add(header);
            if (name == "content-type")
            {
                ContentType = header.Value;
            }
        }

        Headers = headers.ToImmutable();
        if (exchange.Request.Method.Equals("HEAD", StringComparison.OrdinalIgnoreCase) && Body.Length == 0
            && long.TryParse(response?.Headers.Get("content-length"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length))
        {
            HeadContentLength = length;
        }

        var coding = decoded ? null : response?.Headers.Get("content-encoding")?.Trim();
        if (!string.IsNullOrEmpty(coding) && !coding.Equals("identity", StringComparison.OrdinalIgnoreCase) && Body.Length > 0 && response?.Body?.Truncated != true)
        {
            ContentCoding = coding;
            var stored = Body;
            _decoded = new Lazy<ReadOnlyMemory<byte>?>(() =>
                Reprise.Core.Protocols.ContentDecoding.TryDecode(stored.ToArray(), coding, out var plain, out _) == Reprise.Core.Protocols.ContentDecoding.Outcome.Decoded
                    ? plain
                    : null);
        }

        Trailers = response?.Trailers ?? [];
        IsGrpc = ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
        GrpcStatus = IsGrpc && int.TryParse(response?.Trailers.Get("grpc-status") ?? response?.Headers.Get("grpc-status"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var grpcStatus) ? grpcStatus : null;
        OpenUntilClientCancels = Reprise.Core.Protocols.ClientEndedStreams.Is(exchange, out _);
        Truncated = response?.Body?.Truncated == true;
        if (Truncated)
        {
            TruncatedValue = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"stored={Body.Length}; size={response!.Body!.Size}");
            RecordedSize = response.Body.Size;
        }

        IsWebSocket = WebSocketReplay.IsRecordedSession(exchange);
        if (Status == 101 && !IsWebSocket)
        {
            UpgradeProtocol = response?.Headers.Get("upgrade") ?? exchange.Request.Headers.Get("upgrade") ?? string.Empty;
        }
    }

    private readonly Lazy<ReadOnlyMemory<byte>?>? _decoded;

    public int Status { get; }

    /// <summary>The Content-Length a recorded HEAD answered (the size of the body a GET would get), or null.</summary>
    public long? HeadContentLength { get; }

    /// <summary>The Content-Encoding the stored body is in (recorded with --no-redact: the wire's gzip/br bytes), or null.</summary>
    public string? ContentCoding { get; }

    /// <summary>The body without its <see cref="ContentCoding"/>, decoded on first use; null when it does not decode.</summary>
    public ReadOnlyMemory<byte>? DecodedBody => _decoded?.Value;

    public TimeSpan Duration { get; }

    public ImmutableArray<HeaderField> Headers { get; }

    public ReadOnlyMemory<byte> Body { get; }

    public ImmutableArray<HeaderField> Trailers { get; }

    public string? ContentType { get; }

    public bool IsGrpc { get; }

    /// <summary>The recorded <c>grpc-status</c> of a gRPC response (trailers, or headers of a trailers-only answer); null when none.</summary>
    public int? GrpcStatus { get; }

    /// <summary>
    /// A gRPC stream the recorded client cancelled (an etcd Watch), or a server-sent-events stream it closed: its server
    /// never ended it, so after the recorded messages (events) the stream is held open (up to the timeout cap) instead of
    /// ending without a <c>grpc-status</c> (or ending an event stream, which an <c>EventSource</c> reconnects to at once).
    /// </summary>
    public bool OpenUntilClientCancels { get; }

    public bool Truncated { get; }

    /// <summary>The <see cref="TruncatedHeader"/> value when <see cref="Truncated"/>.</summary>
    public string? TruncatedValue { get; }

    /// <summary>The body's size on the wire when it was recorded (only set when <see cref="Truncated"/>).</summary>
    public long RecordedSize { get; }

    private int _truncationReported;

    /// <summary>True the first time it is called: the truncation is logged once per recorded response.</summary>
    public bool ReportTruncationOnce() => Interlocked.Exchange(ref _truncationReported, 1) == 0;

    /// <summary>A recorded WebSocket session (101 with server-to-client frames as the body).</summary>
    public bool IsWebSocket { get; }

    /// <summary>A WebSocket session's recorded messages, both sides in order (empty when only raw frames were stored).</summary>
    public ImmutableArray<WebSocketMessage> Messages { get; } = [];

    /// <summary>The protocol of a recorded 101 that is not WebSocket (<c>SPDY/3.1</c>, <c>h2c</c>...; empty when unnamed): replayed as a raw tunnel. Null otherwise.</summary>
    public string? UpgradeProtocol { get; }
}
