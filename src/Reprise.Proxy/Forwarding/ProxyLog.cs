using Microsoft.Extensions.Logging;

namespace Reprise.Proxy.Forwarding;

/// <summary>Forward-proxy log events (ids 1000-1099 of the Capture/Proxy range).</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "CONNECT {Authority} ({Mode})")]
    public static partial void Connect(ILogger logger, string authority, string mode);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "TLS interception of {Host} failed: {Reason}. If the client does not trust the Reprise CA, run 'reprise ca trust' or pass --no-intercept {Host}")]
    public static partial void HandshakeFailed(ILogger logger, string host, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "bad CONNECT request: {Reason}")]
    public static partial void BadConnect(ILogger logger, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "tunnel to {Authority} failed: {Reason}")]
    public static partial void TunnelFailed(ILogger logger, string authority, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "client connection ended early ({Reason})")]
    public static partial void ClientGone(ILogger logger, string reason);
}
