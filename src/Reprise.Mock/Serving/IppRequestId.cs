namespace Reprise.Mock.Serving;

/// <summary>
/// An IPP response carries the request id of the request it answers (RFC 8011 section 4.1.1), and clients check it:
/// <c>ipptool</c> picks a random id per request and rejects a recorded answer holding the recorder's ("Bad request ID
/// 91654 in response - expected 112752"). The served IPP answer takes the live request's id; one recorded with its
/// Content-Encoding (<c>--no-redact</c>) is served decoded, as for a template's edits: the id is never written into
/// compressed bytes.
/// </summary>
internal static class IppRequestId
{
    private const int HeaderLength = 8; // version (2), operation or status (2), request id (4)

    public static ReadOnlyMemory<byte> Echo(ReadOnlyMemory<byte> response, string? responseType, ReadOnlyMemory<byte> request, string? requestType)
    {
        if (response.Length < HeaderLength || request.Length < HeaderLength || !IsIpp(responseType) || !IsIpp(requestType)
            || response.Span.Slice(4, 4).SequenceEqual(request.Span.Slice(4, 4)))
        {
            return response;
        }

        var copy = response.ToArray();
        request.Span.Slice(4, 4).CopyTo(copy.AsSpan(4));
        return copy;
    }

    /// <summary>True when an answer of <paramref name="responseType"/> to a request of <paramref name="requestType"/> takes the live id.</summary>
    public static bool Applies(string? responseType, string? requestType) => IsIpp(responseType) && IsIpp(requestType);

    private static bool IsIpp(string? mediaType) => mediaType is not null && mediaType.StartsWith("application/ipp", StringComparison.OrdinalIgnoreCase);
}
