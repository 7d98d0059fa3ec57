using System.Collections.Immutable;
using Microsoft.AspNetCore.Builder;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Testing;
using Xunit;

namespace Reprise.Capture.Tests.Hosting;

/// <summary>Every recorded exchange goes through the redactor given to the recorder; a failing redactor never lets raw data through.</summary>
public sealed class RedactionSeamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Redactor_AppliedToEveryExchange_PolicyInHeader()
    {
        await using var upstream = await TestKestrel.StartAsync(app => app.MapGet("/me", () => "secret-body"));
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address }, new MaskAuthorization());
        using var request = new HttpRequestMessage(HttpMethod.Get, recorder.Url("/me"));
        request.Headers.Add("Authorization", "Bearer abc.def");
        using var response = await recorder.Client.SendAsync(request, Ct);
        Assert.Equal("secret-body", await response.Content.ReadAsStringAsync(Ct)); // the client is never affected

        var (header, exchanges) = await recorder.StopAndReadAsync();
        Assert.Equal("test-mask", header.RedactionPolicy);
        Assert.Equal("sha256:test", header.RedactionDigest);
        var exchange = Assert.Single(exchanges);
        Assert.Equal("[redacted]", exchange.Request.Headers.Get("authorization"));
        Assert.Single(exchange.Redactions);
    }

    [Fact]
    public async Task NoRedaction_HeaderSaysDisabled()
    {
        await using var upstream = await TestKestrel.StartAsync(app => app.MapGet("/", () => "x"));
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address }, NoRedaction.Instance);
        await recorder.Client.GetStringAsync(recorder.Url("/"), Ct);
        var (header, _) = await recorder.StopAndReadAsync();
        Assert.Null(header.RedactionPolicy);
        Assert.Equal("disabled", header.Capture["redaction"]);
    }

    [Fact]
    public async Task ThrowingRedactor_ExchangeDroppedNotWrittenRaw()
    {
        await using var upstream = await TestKestrel.StartAsync(app => app.MapGet("/", () => "x"));
        await using var recorder = await Recorder.StartAsync(o => o with { Upstream = upstream.Address }, new Throwing());
        Assert.Equal("x", await recorder.Client.GetStringAsync(recorder.Url("/"), Ct));
        var (_, exchanges) = await recorder.StopAndReadAsync();
        Assert.Empty(exchanges);
        Assert.Equal(1, recorder.Server.Stats.Dropped);
    }

    private sealed class MaskAuthorization : IExchangeRedactor
    {
        public string PolicyName => "test-mask";

        public string PolicyDigest => "sha256:test";

        public Exchange Redact(Exchange exchange) => exchange with
        {
            Request = exchange.Request with { Headers = exchange.Request.Headers.Without("authorization").Add(new HeaderField("authorization", "[redacted]")) },
            Redactions = [new Core.Model.Redaction("request.headers.authorization", "test-mask", "mask")],
        };
    }

    private sealed class Throwing : IExchangeRedactor
    {
        public string PolicyName => "broken";

        public string PolicyDigest => "broken";

        public Exchange Redact(Exchange exchange) => throw new InvalidOperationException("boom");
    }
}
