using System.Collections.Immutable;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Mock.Matching;

namespace Reprise.Mock.Serving;

/// <summary>
/// A live request as the mock matches and reports it. For a redacted recording, the parts that take part
/// in matching (URL, Content-Type, SOAPAction, traceparent, body) first go through the recording's policy,
/// exactly as <c>record</c> redacted the recorded request: the same value becomes the same token, and only
/// the redacted form is ever journaled, logged or put in a miss body or report.
/// </summary>
/// <param name="Shape">What is matched.</param>
/// <param name="Url">The URL shown in the journal, logs and miss reports.</param>
internal readonly record struct LiveRequest(RequestShape Shape, string Url)
{
    /// <summary>Shapes a live request, through <paramref name="redactor"/> when it is not null.</summary>
    /// <param name="redactor">The recording's policy, or null to match the request as received.</param>
    /// <param name="method">The request method.</param>
    /// <param name="scheme">http or https.</param>
    /// <param name="authority">The normalised authority (kept by redaction: it names the service).</param>
    /// <param name="path">The decoded path.</param>
    /// <param name="query">The raw query (with its '?'), or empty.</param>
    /// <param name="contentType">The Content-Type header.</param>
    /// <param name="soapAction">The SOAPAction header.</param>
    /// <param name="traceparent">The traceparent header.</param>
    /// <param name="body">The request body (only read during the call).</param>
    public static LiveRequest Create(IExchangeRedactor? redactor, string method, string scheme, string authority, string path, string query, string? contentType, string? soapAction, string? traceparent, ReadOnlyMemory<byte> body)
    {
        if (redactor is null)
        {
            var rawQuery = query.Length > 1 ? query.AsSpan(1) : [];
            var url = string.Concat(path, query);
            return new LiveRequest(RequestShaper.Shape(method, authority, path, rawQuery, contentType, soapAction, traceparent, body.Span), url);
        }

        var headers = ImmutableArray.CreateBuilder<HeaderField>(3);
        if (contentType is not null)
        {
            headers.Add(new HeaderField("Content-Type", contentType));
        }

        if (soapAction is not null)
        {
            headers.Add(new HeaderField("SOAPAction", soapAction));
        }

        if (!string.IsNullOrEmpty(traceparent))
        {
            headers.Add(new HeaderField("traceparent", traceparent));
        }

        // The recorded URL is the request target as it arrived (escaped): rebuild that form.
        var live = new Exchange
        {
            Id = "live",
            StartedAt = DateTimeOffset.UnixEpoch,
            Request = new ExchangeRequest
            {
                Method = method,
                Url = string.Concat(scheme, "://", authority, new Microsoft.AspNetCore.Http.PathString(path).ToUriComponent(), query),
                Headers = headers.ToImmutable(),
                Body = body.IsEmpty ? null : ExchangeBody.FromBytes(body, contentType),
            },
        };
        var request = redactor.Redact(live).Request;
        var redactedUrl = request.Url;
        var shape = RequestShaper.Shape(
            method,
            authority,
            UrlParts.Path(redactedUrl),
            UrlParts.Query(redactedUrl),
            request.Headers.Get("content-type") ?? contentType,
            request.Headers.Get("soapaction"),
            request.Headers.Get("traceparent"),
            request.Body is { } redactedBody ? redactedBody.Content.Span : default);
        return new LiveRequest(shape, UrlParts.PathAndQuery(redactedUrl));
    }
}
