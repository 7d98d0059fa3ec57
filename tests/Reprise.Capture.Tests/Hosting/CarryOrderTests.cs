using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Redaction.Policy;
using Reprise.Testing;
using Xunit;

namespace Reprise.Capture.Tests.Hosting;

/// <summary>
/// A value the default policy redacts in one exchange (a connection token in a JSON answer) and the client sends back
/// raw in a later request (<c>?id=</c>) is carried into that request's redaction, even when the later request is
/// redacted while the first exchange's redaction is still running (a large body, a busy machine).
/// </summary>
public sealed class CarryOrderTests
{
    private const string Token = "hV3kQ9xZ2mB7wT4nR8cY1p";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TokenSentBack_WhileTheExchangeThatIssuedItIsStillBeingRedacted_IsCarriedNotWrittenRaw()
    {
        await using var upstream = await TestKestrel.StartAsync(app =>
        {
            // Content-Length answers: the client has the whole response as soon as its last byte is written.
            app.MapPost("/negotiate", (HttpContext context) => WriteAsync(context, $$"""{"negotiateVersion":1,"connectionToken":"{{Token}}"}"""));
            app.MapGet("/hub", (HttpContext context) => WriteAsync(context, """{"ok":true}"""));
        });
        var policy = RedactionPolicy.CreateDefault(RedactionKey.FromText("carry-order-key-0123456789abcdef"));
        var slow = new SlowOn("/negotiate", policy, TimeSpan.FromMilliseconds(700));
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address }, slow);
        using var second = new HttpClient(new SocketsHttpHandler { UseProxy = false }); // another connection, as a browser would use

        using var negotiate = await recorder.Client.PostAsync(recorder.Url("/negotiate?negotiateVersion=1"), null, Ct);
        var token = (await negotiate.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("connectionToken").GetString();
        Assert.Equal(Token, token); // the client is never affected
        Assert.True(slow.Running, "the first exchange's redaction should still be running when the second request is sent");
        Assert.Equal("""{"ok":true}""", await second.GetStringAsync(recorder.Url($"/hub?id={token}"), Ct));

        var (_, exchanges) = await recorder.StopAndReadAsync();
        var onDisk = await File.ReadAllTextAsync(recorder.Path, Ct);
        Assert.DoesNotContain(Token, onDisk, StringComparison.Ordinal);
        var hub = Assert.Single(exchanges, e => e.Request.Url.Contains("/hub", StringComparison.Ordinal));
        Assert.Contains(hub.Redactions, r => r.Rule.StartsWith("carried:", StringComparison.Ordinal));
        Assert.False(slow.Overlapped, "the second exchange was redacted while the first one still was");
    }

    private static Task WriteAsync(HttpContext context, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes).AsTask();
    }

    /// <summary>The policy, slow on exchanges to one path; says whether another exchange was redacted meanwhile.</summary>
    private sealed class SlowOn(string path, IExchangeRedactor inner, TimeSpan delay) : IExchangeRedactor
    {
        private int _running;

        public string PolicyName => inner.PolicyName;

        public string PolicyDigest => inner.PolicyDigest;

        public bool Running => Volatile.Read(ref _running) == 1;

        public bool Overlapped { get; private set; }

        public Exchange Redact(Exchange exchange)
        {
            if (!exchange.Request.Url.Contains(path, StringComparison.Ordinal))
            {
                Overlapped |= Running;
                return inner.Redact(exchange);
            }

            Volatile.Write(ref _running, 1);
            try
            {
                Thread.Sleep(delay);
                return inner.Redact(exchange);
            }
            finally
            {
                Volatile.Write(ref _running, 0);
            }
        }
    }
}
