namespace Reprise.Replay.Http;

/// <summary>Where an <see cref="Http1ResponseReader"/> receives bytes from: a socket, or split test input.</summary>
internal interface IResponseSource
{
    /// <summary>Receives at least one byte into <paramref name="buffer"/>; 0 means the peer closed the connection.</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer);
}
