using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Reprise.Core.Model;

namespace Reprise.Capture.WebSockets;

/// <summary>
/// Decodes one direction of an RFC 6455 byte stream into messages, incrementally: bytes are pushed as
/// they are relayed (frames may be split anywhere), only the current frame header (at most 14 bytes), a
/// control payload (at most 125 bytes) and the stored part of the current message are held. The relayed
/// bytes are only read, never changed. A stream that breaks the framing rules stops decoding in this
/// direction with a <see cref="Problem"/>; what was decoded before is kept, and forwarding is unaffected.
/// </summary>
internal sealed class WebSocketFrameDecoder : IDisposable
{
    private const int MaxControlPayload = 125;
    private const int ScratchSize = 4096;

    private readonly WebSocketCapture _session;
    private readonly WebSocketPeer _from;
    private readonly MessageInflater? _inflater;
    private readonly byte[] _header = new byte[14];
    private readonly byte[] _mask = new byte[4];
    private readonly byte[] _control = new byte[MaxControlPayload];
    private readonly ArrayBufferWriter<byte> _message = new(256);
    private byte[]? _scratch;

    private int _headerLength;
    private long _payloadLeft;
    private bool _inPayload;
    private bool _masked;
    private int _maskIndex;
    private int _opcode;
    private bool _fin;
    private int _controlLength;

    private WebSocketMessageKind? _messageType;
    private bool _messageCompressed;
    private long _messageSize;
    private bool _messageCut;
    private long _frames;
    private string? _failure;

    public WebSocketFrameDecoder(WebSocketCapture session, WebSocketPeer from, MessageInflater? inflater)
    {
        _session = session;
        _from = from;
        _inflater = inflater;
    }

    /// <summary>Why decoding stopped, or that the stream ended inside a frame or message; null when clean.</summary>
    public string? Problem => _failure ?? Unfinished();

    private string Side => _from == WebSocketPeer.Client ? "client to server" : "server to client";

    /// <summary>Notes bytes that were relayed in this direction. Never throws.</summary>
    public void Push(ReadOnlySpan<byte> data)
    {
        if (_failure is not null || data.IsEmpty)
        {
            return;
        }

        try
        {
            PushCore(data);
        }
        catch (DecodeException ex)
        {
            _failure = $"{Side}: {ex.Message} (frame {_frames + 1}); later messages in this direction are not recorded";
        }
#pragma warning disable CA1031 // a decoder fault (e.g. bad deflate data) must never reach the relay
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            _failure = $"{Side}: {ex.GetType().Name}: {ex.Message} (frame {_frames + 1}); later messages in this direction are not recorded";
        }
    }

    public void Dispose() => _inflater?.Dispose();

    /// <summary>Called by the inflater (and for uncompressed data) with message bytes as they are decoded.</summary>
    internal void AppendMessageBytes(ReadOnlySpan<byte> bytes)
    {
        _messageSize += bytes.Length;
        if (_messageCut)
        {
            return;
        }

        var granted = _session.Reserve(bytes.Length);
        if (granted > 0)
        {
            bytes[..granted].CopyTo(_message.GetSpan(granted));
            _message.Advance(granted);
        }

        _messageCut = granted < bytes.Length;
    }

    private void PushCore(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_inPayload)
            {
                var n = (int)Math.Min(data.Length, _payloadLeft);
                OnPayload(data[..n]);
                data = data[n..];
                _payloadLeft -= n;
                if (_payloadLeft == 0)
                {
                    _inPayload = false;
                    EndFrame();
                }

                continue;
            }

            // Header: 2 bytes, then 0/2/8 length bytes and 0/4 mask bytes (RFC 6455 section 5.2).
            if (_headerLength < 2)
            {
                data = FillHeader(data, 2);
                if (_headerLength < 2)
                {
                    continue;
                }
            }

            var size = HeaderSize();
            if (_headerLength < size)
            {
                data = FillHeader(data, size);
                if (_headerLength < size)
                {
                    continue;
                }
            }

            StartFrame();
        }
    }

    private ReadOnlySpan<byte> FillHeader(ReadOnlySpan<byte> data, int size)
    {
        var take = Math.Min(size - _headerLength, data.Length);
        data[..take].CopyTo(_header.AsSpan(_headerLength));
        _headerLength += take;
        return data[take..];
    }

    private int HeaderSize()
    {
        var length7 = _header[1] & 0x7F;
        return 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + ((_header[1] & 0x80) != 0 ? 4 : 0);
    }

    private void StartFrame()
    {
        var b0 = _header[0];
        var b1 = _header[1];
        _fin = (b0 & 0x80) != 0;
        var rsv1 = (b0 & 0x40) != 0;
        _opcode = b0 & 0x0F;
        _masked = (b1 & 0x80) != 0;
        var length7 = b1 & 0x7F;
        var offset = 2;
        long length = length7;
        if (length7 == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2));
            offset = 4;
        }
        else if (length7 == 127)
        {
            var length64 = BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2));
            if (length64 > long.MaxValue)
            {
                throw new DecodeException("64-bit frame length with the top bit set");
            }

            length = (long)length64;
            offset = 10;
        }

        if (_masked)
        {
            _header.AsSpan(offset, 4).CopyTo(_mask);
            _maskIndex = 0;
        }

        _headerLength = 0;
        if ((b0 & 0x30) != 0)
        {
            throw new DecodeException("reserved bits RSV2/RSV3 set");
        }

        switch (_opcode)
        {
            case 0x0:
                if (_messageType is null)
                {
                    throw new DecodeException("continuation frame without a message to continue");
                }

                if (rsv1)
                {
                    throw new DecodeException("RSV1 set on a continuation frame");
                }

                break;
            case 0x1 or 0x2:
                if (_messageType is not null)
                {
                    throw new DecodeException("new data frame before the previous message's final fragment");
                }

                if (rsv1 && _inflater is null)
                {
                    throw new DecodeException("RSV1 set but permessage-deflate was not negotiated");
                }

                _messageType = _opcode == 1 ? WebSocketMessageKind.Text : WebSocketMessageKind.Binary;
                _messageCompressed = rsv1;
                _messageSize = 0;
                _messageCut = !_session.HasRoom;
                _message.ResetWrittenCount();
                break;
            case 0x8 or 0x9 or 0xA:
                if (!_fin || length > MaxControlPayload)
                {
                    throw new DecodeException("control frame fragmented or longer than 125 bytes");
                }

                if (rsv1)
                {
                    throw new DecodeException("RSV1 set on a control frame");
                }

                _controlLength = 0;
                break;
            default:
                throw new DecodeException($"reserved opcode 0x{_opcode:X}");
        }

        _payloadLeft = length;
        _inPayload = length > 0;
        if (!_inPayload)
        {
            EndFrame();
        }
    }

    private void OnPayload(ReadOnlySpan<byte> chunk)
    {
        if (!_masked)
        {
            Consume(chunk);
            return;
        }

        // Unmask into scratch space: the relayed buffer itself is never written.
        var scratch = _scratch ??= new byte[ScratchSize];
        while (!chunk.IsEmpty)
        {
            var n = Math.Min(chunk.Length, scratch.Length);
            for (var i = 0; i < n; i++)
            {
                scratch[i] = (byte)(chunk[i] ^ _mask[_maskIndex]);
                _maskIndex = (_maskIndex + 1) & 3;
            }

            Consume(scratch.AsSpan(0, n));
            chunk = chunk[n..];
        }
    }

    private void Consume(ReadOnlySpan<byte> plain)
    {
        if (_opcode >= 0x8)
        {
            plain.CopyTo(_control.AsSpan(_controlLength));
            _controlLength += plain.Length;
        }
        else if (_messageCompressed)
        {
            _inflater!.Push(plain, this);
        }
        else
        {
            AppendMessageBytes(plain);
        }
    }

    private void EndFrame()
    {
        _frames++;
        if (_opcode >= 0x8)
        {
            EmitControl();
            return;
        }

        if (!_fin)
        {
            return;
        }

        if (_messageCompressed)
        {
            _inflater!.EndMessage(this);
        }

        var payload = _messageSize == 0
            ? null
            : new ExchangeBody { Content = _message.WrittenSpan.ToArray(), Size = _messageSize, Truncated = _message.WrittenCount < _messageSize };
        _session.Add(new WebSocketMessage { From = _from, Offset = _session.Elapsed, Kind = _messageType!.Value, Compressed = _messageCompressed, Payload = payload });
        _messageType = null;
        _messageCompressed = false;
        _message.ResetWrittenCount();
        if (_message.Capacity > 64 * 1024)
        {
            // Do not keep a large buffer alive for the rest of a long session.
            _message.Clear();
        }
    }

    private void EmitControl()
    {
        var payload = _control.AsSpan(0, _controlLength);
        WebSocketMessage message;
        if (_opcode == 0x8)
        {
            if (payload.Length == 1)
            {
                throw new DecodeException("close frame with a 1-byte payload");
            }

            message = new WebSocketMessage
            {
                From = _from,
                Offset = _session.Elapsed,
                Kind = WebSocketMessageKind.Close,
                CloseCode = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : null,
                CloseReason = payload.Length > 2 ? Encoding.UTF8.GetString(payload[2..]) : null,
            };
        }
        else
        {
            ExchangeBody? body = null;
            if (payload.Length > 0)
            {
                var granted = _session.Reserve(payload.Length);
                body = new ExchangeBody { Content = payload[..granted].ToArray(), Size = payload.Length, Truncated = granted < payload.Length };
            }

            message = new WebSocketMessage { From = _from, Offset = _session.Elapsed, Kind = _opcode == 0x9 ? WebSocketMessageKind.Ping : WebSocketMessageKind.Pong, Payload = body };
        }

        _session.Add(message);
    }

    private string? Unfinished()
    {
        if (_inPayload || _headerLength > 0)
        {
            return $"{Side}: the stream ended inside frame {_frames + 1}";
        }

        return _messageType is not null ? $"{Side}: the stream ended before the final fragment of a {(_messageType == WebSocketMessageKind.Text ? "text" : "binary")} message" : null;
    }

    private sealed class DecodeException(string message) : Exception(message);
}
