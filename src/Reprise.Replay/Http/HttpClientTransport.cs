using System.Collections.Immutable;
using System.Net.Sockets;
using Reprise.Core.Model;

namespace Reprise.Replay.Http;

/// <summary>Sends through SocketsHttpHandler (<see cref="ReplayHttp.CreateInvoker"/>): every target, version and handler.</summary>
internal sealed class HttpClientTransport(HttpMessageInvoker invoker, ReplayOptions options) : IReplayTransport
{
    public async Task SendAsync(RequestTemplate template, OutgoingRequest? outgoing, string? bearer, bool keepBody, SendOutcome outcome, TransportLane? lane, CancellationToken timeout)
    {
        using var message = outgoing is null ? template.CreateMessage(bearer) : template.CreateMessage(outgoing, bearer);
        try
        {
            using var response = await invoker.SendAsync(message, timeout).ConfigureAwait(false);
            outcome.Status = (int)response.StatusCode;
            outcome.Reason = response.ReasonPhrase;
            outcome.Version = response.Version.Major == 2 ? "HTTP/2" : response.Version.Major == 3 ? "HTTP/3" : "HTTP/1.1";
            string? encoding = null;
            if (keepBody)
            {
                // Decoded like recordings (redaction stores bodies decoded), so diffs compare content, not gzip bytes.
                encoding = ContentDecoding.Apply(response.Content.Headers);
                outcome.Headers = Headers(response);
                outcome.MediaType = response.Content.Headers.ContentType?.ToString();
            }

            var stream = await response.Content.ReadAsStreamAsync(timeout).ConfigureAwait(false);
            if (encoding is not null)
            {
                stream = await ContentDecoding.OpenAsync(stream, encoding, timeout).ConfigureAwait(false);
            }

            await using (stream.ConfigureAwait(false))
            {
                await BodyCollector.ReadAsync(stream, outcome, keepBody, options.BodyCap, timeout).ConfigureAwait(false);
            }

            if (keepBody)
            {
                outcome.Trailers = Trailers(response);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            outcome.Error = TimeoutError(options);
        }
        catch (HttpRequestException ex)
        {
            outcome.Error = Classify(ex);
        }
        catch (IOException ex)
        {
            outcome.Error = ResetError(ex);
        }
    }

    public static ExchangeError TimeoutError(ReplayOptions options) =>
        new(ExchangeErrorKind.Timeout, $"no complete response within {options.RequestTimeout.TotalSeconds:0.###}s");

    public static ExchangeError ResetError(IOException ex) =>
        new(ExchangeErrorKind.Reset, "connection reset while reading the response: " + ex.Message);

    public static ExchangeError Classify(HttpRequestException ex)
    {
        var kind = ex.HttpRequestError switch
        {
            HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.ProxyTunnelError => ExchangeErrorKind.Connect,
            HttpRequestError.ResponseEnded => ExchangeErrorKind.Reset,
            HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError or HttpRequestError.SecureConnectionError or HttpRequestError.VersionNegotiationError => ExchangeErrorKind.Protocol,
            _ => ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset } || ex.InnerException is IOException ? ExchangeErrorKind.Reset : ExchangeErrorKind.Other,
        };
        return new ExchangeError(kind, ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message);
    }

    /// <summary>Response then content headers, as SocketsHttpHandler groups them (also used by the raw transport for identical results).</summary>
    public static ImmutableArray<HeaderField> Headers(HttpResponseMessage response)
    {
        var builder = ImmutableArray.CreateBuilder<HeaderField>();
        foreach (var (name, values) in response.Headers.NonValidated)
        {
            foreach (var value in values)
            {
                builder.Add(new HeaderField(name, value));
            }
        }

        foreach (var (name, values) in response.Content.Headers.NonValidated)
        {
            foreach (var value in values)
            {
                builder.Add(new HeaderField(name, value));
            }
        }

        return builder.ToImmutable();
    }

    public static ImmutableArray<HeaderField> Trailers(HttpResponseMessage response)
    {
        if (!response.TrailingHeaders.NonValidated.GetEnumerator().MoveNext())
        {
            return [];
        }

        var trailers = ImmutableArray.CreateBuilder<HeaderField>();
        foreach (var (name, values) in response.TrailingHeaders.NonValidated)
        {
            foreach (var value in values)
            {
                trailers.Add(new HeaderField(name, value));
            }
        }

        return trailers.ToImmutable();
    }
}
