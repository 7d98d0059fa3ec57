namespace Reprise.Core.Recording;

/// <summary>Property names of the recording format as UTF-8 literals (matched without allocating).</summary>
internal static class JsonNames
{
    public static ReadOnlySpan<byte> Format => "format"u8;
    public static ReadOnlySpan<byte> Version => "version"u8;
    public static ReadOnlySpan<byte> Tool => "tool"u8;
    public static ReadOnlySpan<byte> CreatedAt => "createdAt"u8;
    public static ReadOnlySpan<byte> Capture => "capture"u8;
    public static ReadOnlySpan<byte> Redaction => "redaction"u8;
    public static ReadOnlySpan<byte> Policy => "policy"u8;
    public static ReadOnlySpan<byte> Digest => "digest"u8;

    public static ReadOnlySpan<byte> Id => "id"u8;
    public static ReadOnlySpan<byte> TraceId => "traceId"u8;
    public static ReadOnlySpan<byte> SpanId => "spanId"u8;
    public static ReadOnlySpan<byte> ParentId => "parentId"u8;
    public static ReadOnlySpan<byte> Direction => "direction"u8;
    public static ReadOnlySpan<byte> Service => "service"u8;
    public static ReadOnlySpan<byte> Protocol => "protocol"u8;
    public static ReadOnlySpan<byte> StartedAt => "startedAt"u8;
    public static ReadOnlySpan<byte> DurationMs => "durationMs"u8;
    public static ReadOnlySpan<byte> Request => "request"u8;
    public static ReadOnlySpan<byte> Response => "response"u8;
    public static ReadOnlySpan<byte> Error => "error"u8;
    public static ReadOnlySpan<byte> Tags => "tags"u8;
    public static ReadOnlySpan<byte> Redactions => "redactions"u8;
    public static ReadOnlySpan<byte> Messages => "messages"u8;
    public static ReadOnlySpan<byte> From => "from"u8;
    public static ReadOnlySpan<byte> OffsetMs => "offsetMs"u8;
    public static ReadOnlySpan<byte> Type => "type"u8;
    public static ReadOnlySpan<byte> Compressed => "compressed"u8;
    public static ReadOnlySpan<byte> Payload => "payload"u8;
    public static ReadOnlySpan<byte> Code => "code"u8;

    public static ReadOnlySpan<byte> Method => "method"u8;
    public static ReadOnlySpan<byte> Url => "url"u8;
    public static ReadOnlySpan<byte> Headers => "headers"u8;
    public static ReadOnlySpan<byte> Body => "body"u8;
    public static ReadOnlySpan<byte> Status => "status"u8;
    public static ReadOnlySpan<byte> Reason => "reason"u8;
    public static ReadOnlySpan<byte> Trailers => "trailers"u8;

    public static ReadOnlySpan<byte> MediaType => "mediaType"u8;
    public static ReadOnlySpan<byte> Size => "size"u8;
    public static ReadOnlySpan<byte> Truncated => "truncated"u8;
    public static ReadOnlySpan<byte> Note => "note"u8;
    public static ReadOnlySpan<byte> Encoding => "encoding"u8;
    public static ReadOnlySpan<byte> Content => "content"u8;
    public static ReadOnlySpan<byte> Utf8 => "utf8"u8;
    public static ReadOnlySpan<byte> Base64 => "base64"u8;

    public static ReadOnlySpan<byte> Kind => "kind"u8;
    public static ReadOnlySpan<byte> Message => "message"u8;
    public static ReadOnlySpan<byte> Location => "location"u8;
    public static ReadOnlySpan<byte> Rule => "rule"u8;
    public static ReadOnlySpan<byte> Action => "action"u8;
}
