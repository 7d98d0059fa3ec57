using System.Collections.Immutable;
using System.Globalization;
using Reprise.Core.Model;

namespace Reprise.Capture.WebSockets;

/// <summary>
/// The messages of one upgraded WebSocket session, decoded from both relayed byte streams as they pass
/// (one <see cref="WebSocketFrameDecoder"/> per direction, each fed by one thread). Memory is bounded:
/// payloads share one budget (the capture body cap, both directions together; beyond it a message keeps
/// its type, time and size with <c>truncated</c>), and at most <see cref="MaxMessages"/> messages are
/// kept (the rest are counted in the <c>websocket.droppedMessages</c> tag).
/// </summary>
internal sealed class WebSocketCapture : Bodies.IUpgradeTap, IDisposable
{
    /// <summary>Most messages kept per session.</summary>
    public const int MaxMessages = 10_000;

    /// <summary>Tag: why decoding stopped early in a direction (malformed stream), or that it ended mid-message.</summary>
    public const string ErrorTag = WellKnownTags.WebSocketError;

    /// <summary>Tag: messages seen after <see cref="MaxMessages"/> (not stored).</summary>
    public const string DroppedTag = WellKnownTags.WebSocketDropped;

    /// <summary>Tag: extensions other than permessage-deflate that were negotiated (their frame bits are not interpreted).</summary>
    public const string ExtensionsTag = "websocket.extensions";

    private readonly List<WebSocketMessage> _messages = [];
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly string? _otherExtensions;
    private long _budget;
    private long _dropped;

    public WebSocketCapture(long maxStored, string? extensionsHeader, TimeProvider time, long startedTimestamp)
    {
        _budget = maxStored;
        _time = time;
        _started = startedTimestamp;
        var deflate = PerMessageDeflate.Parse(extensionsHeader, out _otherExtensions);
        ClientDecoder = new WebSocketFrameDecoder(this, WebSocketPeer.Client, deflate is null ? null : new MessageInflater(deflate.ClientNoContextTakeover));
        ServerDecoder = new WebSocketFrameDecoder(this, WebSocketPeer.Server, deflate is null ? null : new MessageInflater(deflate.ServerNoContextTakeover));
    }

    /// <summary>Decodes the client-to-server stream.</summary>
    public WebSocketFrameDecoder ClientDecoder { get; }

    /// <summary>Decodes the server-to-client stream.</summary>
    public WebSocketFrameDecoder ServerDecoder { get; }

    /// <inheritdoc />
    public void FromClient(ReadOnlySpan<byte> bytes) => ClientDecoder.Push(bytes);

    /// <inheritdoc />
    public void ToClient(ReadOnlySpan<byte> bytes) => ServerDecoder.Push(bytes);

    /// <summary>The time since the exchange started.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_started);

    /// <summary>Takes up to <paramref name="wanted"/> bytes from the shared payload budget.</summary>
    public int Reserve(int wanted)
    {
        while (true)
        {
            var left = Volatile.Read(ref _budget);
            var granted = (int)Math.Min(left, wanted);
            if (granted <= 0)
            {
                return 0;
            }

            if (Interlocked.CompareExchange(ref _budget, left - granted, left) == left)
            {
                return granted;
            }
        }
    }

    /// <summary>False once <see cref="MaxMessages"/> are stored (the message is then only counted).</summary>
    public bool HasRoom
    {
        get
        {
            lock (_messages)
            {
                return _messages.Count < MaxMessages;
            }
        }
    }

    public void Add(WebSocketMessage message)
    {
        lock (_messages)
        {
            if (_messages.Count < MaxMessages)
            {
                _messages.Add(message);
                return;
            }
        }

        Interlocked.Increment(ref _dropped);
    }

    /// <summary>The messages in the order they completed (stable for equal times).</summary>
    public ImmutableArray<WebSocketMessage> Messages()
    {
        lock (_messages)
        {
            var sorted = _messages.ToArray();
            var keys = new (TimeSpan, int)[sorted.Length];
            for (var i = 0; i < sorted.Length; i++)
            {
                keys[i] = (sorted[i].Offset, i);
            }

            Array.Sort(keys, sorted);
            return ImmutableArray.Create(sorted);
        }
    }

    /// <summary>Adds the session's notes (decoding errors, dropped messages, uninterpreted extensions) to the tags.</summary>
    public ImmutableSortedDictionary<string, string> AddTags(ImmutableSortedDictionary<string, string> tags)
    {
        var error = Join(ClientDecoder.Problem, ServerDecoder.Problem);
        if (error is not null)
        {
            tags = tags.SetItem(ErrorTag, error);
        }

        if (Interlocked.Read(ref _dropped) is > 0 and var dropped)
        {
            tags = tags.SetItem(DroppedTag, dropped.ToString(CultureInfo.InvariantCulture));
        }

        return _otherExtensions is null ? tags : tags.SetItem(ExtensionsTag, _otherExtensions);
    }

    public void Dispose()
    {
        ClientDecoder.Dispose();
        ServerDecoder.Dispose();
    }

    private static string? Join(string? a, string? b) => a is null ? b : b is null ? a : a + "; " + b;
}
