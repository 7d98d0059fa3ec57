using System.Collections.Immutable;
using System.Net.Sockets;
using Reprise.Core.Model;

namespace Reprise.Replay.Http;

/// <summary>Sends through SocketsHttpHandler (<see cref="ReplayHttp.CreateInvoker"/>): every target, version and handler.</summary>
internal sealed class HttpClientTransport(HttpMessageInvoker invoker, ReplayOptions options) : IReplayTransport
{
    /// <summary>
    /// The clock of a client-ended call's recorded duration: like the request timeout (<see cref="Engine.RequestTimeouts"/>),
    /// the real one, since a fake clock pacing a test must not end a call that is really in flight.
    /// </summary>
    private static readonly TimeProvider CallClock = TimeProvider.System;

    public Task SendAsync(RequestTemplate template, OutgoingRequest? outgoing, string? bearer, bool keepBody, SendOutcome outcome, TransportLane? lane, CancellationToken timeout) =>
        template.ClientEnd is { } end ? SendClientEndedAsync(template, end, outgoing, bearer, keepBody, outcome, timeout) : SendAsync(template, outgoing, bearer, keepBody, outcome, (ClientEndedStream?)null, timeout);

    /// <summary>
    /// A call the recorded client cancelled (<see cref="ClientEndedStream"/>): read until the recorded number of response
    /// messages arrived or the recorded duration passed, then cancel it (disposing the response resets the stream).
    /// </summary>
    private async Task SendClientEndedAsync(RequestTemplate template, ClientEndedStream end, OutgoingRequest? outgoing, string? bearer, bool keepBody, SendOutcome outcome, CancellationToken timeout)
    {
        using var after = new CancellationTokenSource(end.After, CallClock);
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(timeout, after.Token);
        var arrived = await SendAsync(template, outgoing, bearer, keepBody, outcome, end, ending.Token).ConfigureAwait(false);
        if (timeout.IsCancellationRequested)
        {
            return; // the request timeout came first: a timeout, as for any request
        }

        if (outcome.Error is null && arrived >= end.Messages && end.Messages > 0)
        {
            outcome.Error = end.Error(arrived, byMessages: true);
            outcome.EndedAsRecorded = true;
        }
        else if (after.IsCancellationRequested && outcome.Error is { Kind: ExchangeErrorKind.Timeout or ExchangeErrorKind.Reset })
        {
            outcome.Error = end.Error(end.Count(outcome.Buffer is { } buffer ? buffer.AsSpan(0, outcome.Length) : default), byMessages: false);
            outcome.EndedAsRecorded = true;
        }
    }

    /// <summary>Sends and reads the response (with <paramref name="end"/>, until its recorded messages or events arrived); returns the messages or events counted.</summary>
    private async Task<int> SendAsync(RequestTemplate template, OutgoingRequest? outgoing, string? bearer, bool keepBody, SendOutcome outcome, ClientEndedStream? end, CancellationToken timeout)
    {
        using var message = outgoing is null ? template.CreateMessage(bearer) : template.CreateMessage(outgoing, bearer);
        var frames = 0;
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
                frames = await BodyCollector.ReadAsync(stream, outcome, keepBody, options.BodyCap, end?.Messages ?? 0, end?.Events == true, timeout).ConfigureAwait(false);
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

        return frames;
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
