using Microsoft.Extensions.Logging;

namespace Reprise.Capture.Recording;

/// <summary>Capture log events (ids 1500-1599).</summary>
internal static partial class CaptureLog
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Error, Message = "redaction policy {Policy} failed on exchange {Id} ({ExceptionType}); the exchange was not recorded")]
    public static partial void RedactionFailed(ILogger logger, string policy, string id, string exceptionType);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "{Method} {Target}: upstream failed: {Message}")]
    public static partial void UpstreamFailed(ILogger logger, string method, string target, string message);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "{Method} {Target}: upstream failed: {Message} ({Suppressed} more like it not shown)")]
    public static partial void UpstreamFailedAgain(ILogger logger, string method, string target, string message, int suppressed);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Information, Message = "{Method} {Target}: the client went away before the exchange ended (recorded as canceled): {Message}")]
    public static partial void ClientCanceled(ILogger logger, string method, string target, string message);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "exchange {Id}: earlier redactions still running after {Seconds} s; redacted without waiting for values they may carry")]
    public static partial void RedactionOrderTimedOut(ILogger logger, string id, int seconds);
}
