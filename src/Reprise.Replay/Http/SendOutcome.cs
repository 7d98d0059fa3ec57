using System.Buffers;
using System.Collections.Immutable;
using Reprise.Core.Model;

namespace Reprise.Replay.Http;

/// <summary>The outcome of one send, filled by an <see cref="IReplayTransport"/>; owns pooled buffers until <see cref="Release"/>.</summary>
internal sealed class SendOutcome
{
    public DateTimeOffset SentAt { get; init; }

    public long Start { get; init; }

    public long End { get; set; }

    public int Status { get; set; }

    public string? Reason { get; set; }

    public string? Version { get; set; }

    public string? MediaType { get; set; }

    public ImmutableArray<HeaderField> Headers { get; set; } = [];

    public ImmutableArray<HeaderField> Trailers { get; set; } = [];

    /// <summary>When a WebSocket session's handshake completed (its latency); 0 for a request.</summary>
    public long HandshakeEnd { get; set; }

    /// <summary>Tags for the result (what cut a WebSocket session short); null when none.</summary>
    public Dictionary<string, string>? Tags { get; set; }

    /// <summary>A replayed WebSocket session's messages, both directions in the order seen.</summary>
    public ImmutableArray<WebSocketMessage> Messages { get; set; } = [];

    public ExchangeError? Error { get; set; }

    /// <summary>True when replay ended the call as the recorded client did (<see cref="ClientEndedStream"/>): <see cref="Error"/> says so, and the response so far is the result.</summary>
    public bool EndedAsRecorded { get; set; }

    public byte[]? Buffer { get; set; }

    public byte[]? Scratch { get; set; }

    public int Length { get; set; }

    public long Size { get; set; }

    public void Release()
    {
        if (Buffer is { } buffer)
        {
            Buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (Scratch is { } scratch)
        {
            Scratch = null;
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
