using System.Text;
using Microsoft.AspNetCore.Http;

namespace Reprise.Proxy.Forwarding;

/// <summary>
/// An error Reprise answers itself (the upstream is down or silent, the mock has no recorded answer), written the way a
/// gRPC client reads errors: HTTP 200 with <c>grpc-status</c> and a percent-encoded <c>grpc-message</c> in the headers
/// and no body (a trailers-only response, gRPC over HTTP/2 spec). A gRPC client given a plain-text 502 instead reports
/// "Bad gRPC response" (Grpc.Net.Client) or "unexpected content-type text/plain" (grpc-go) and never the reason.
/// </summary>
public static class GrpcErrorAnswer
{
    /// <summary><c>grpc-status</c> UNKNOWN.</summary>
    public const int Unknown = 2;

    /// <summary><c>grpc-status</c> DEADLINE_EXCEEDED: the upstream did not answer in time.</summary>
    public const int DeadlineExceeded = 4;

    /// <summary><c>grpc-status</c> UNIMPLEMENTED.</summary>
    public const int Unimplemented = 12;

    /// <summary><c>grpc-status</c> UNAVAILABLE: the upstream could not be reached or failed before answering.</summary>
    public const int Unavailable = 14;

    /// <summary>True for a gRPC or gRPC-Web request (<c>application/grpc</c>, <c>application/grpc+proto</c>, <c>application/grpc-web-text</c>...).</summary>
    public static bool IsGrpc(string? contentType) =>
        contentType is not null && contentType.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
        && (contentType.Length == "application/grpc".Length || contentType["application/grpc".Length] is '+' or '-' or ';');

    /// <summary>
    /// The gRPC status a client derives from an HTTP status that carries no <c>grpc-status</c> (the spec's "HTTP to gRPC
    /// status code mapping"): 401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 UNIMPLEMENTED, 429/502/503/504 UNAVAILABLE,
    /// 400 INTERNAL, anything else UNKNOWN.
    /// </summary>
    public static int FromHttpStatus(int status) => status switch
    {
        400 => 13,
        401 => 16,
        403 => 7,
        404 => Unimplemented,
        429 or 502 or 503 or 504 => Unavailable,
        _ => Unknown,
    };

    /// <summary>
    /// Answers <paramref name="context"/>'s gRPC request with <paramref name="grpcStatus"/> and <paramref name="message"/>
    /// as a trailers-only response (the response must not have started). The response's content type is the request's.
    /// </summary>
    public static Task WriteAsync(HttpContext context, int grpcStatus, string message)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = context.Request.ContentType is { Length: > 0 } type ? type : "application/grpc";
        response.Headers["grpc-status"] = grpcStatus.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncode(message);
        response.ContentLength = null;
        return response.CompleteAsync();
    }

    /// <summary>
    /// <c>grpc-message</c> encoding: bytes of the UTF-8 text outside printable ASCII (0x20-0x7E) and <c>%</c> become
    /// <c>%XX</c>; control characters (a trailing newline) are dropped first.
    /// </summary>
    public static string PercentEncode(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message.Trim());
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                text.Append((char)b);
            }
            else if (b >= 0x20)
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
