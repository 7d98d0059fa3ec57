using Microsoft.Extensions.Logging;

namespace Reprise.Mock.Serving;

/// <summary>Mock log events (EventId range 3000-3999). Never logs bodies or header values.</summary>
internal static partial class MockLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "loaded {Count} exchanges from {Path} ({Hosts} hosts, {Volatile} volatile fields)")]
    public static partial void Loaded(ILogger logger, int count, string path, int hosts, int @volatile);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "reloaded {Path}: {Count} exchanges")]
    public static partial void Reloaded(ILogger logger, string path, int count);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "reload of {Path} failed, still serving the previous recording: {Reason}")]
    public static partial void ReloadFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "miss: {Method} {Url}")]
    public static partial void Miss(ILogger logger, string method, string url);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "chaos {Action} on {Method} {Url}")]
    public static partial void Chaos(ILogger logger, string action, string method, string url);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "a {Method} request could not be redacted ({Error}); answered 500 without matching or journaling it")]
    public static partial void RedactionFailed(ILogger logger, string method, string error);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "{Method} {Path}: the recorded response body was truncated at capture ({Stored} of {Size} bytes kept); serving the {Stored} bytes with header X-Reprise-Truncated (record with a larger --max-body to keep it whole)")]
    public static partial void TruncatedBody(ILogger logger, string method, string path, long stored, long size);
}
