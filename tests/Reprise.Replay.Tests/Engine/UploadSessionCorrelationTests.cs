using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 8 (the OCI distribution registry): a blob upload is <c>POST</c> → 202 with <c>Location:
/// …/uploads/&lt;uuid&gt;?_state=&lt;signed&gt;</c>, then <c>PATCH</c>es and a <c>PUT</c> to the latest Location. Redaction
/// masks the signed <c>_state</c>, and a redacted Location was not learned at all, so every PATCH and PUT went to the
/// recording's upload UUID and the fresh registry answered 404 (15 of 21 exchanges differed).
/// </summary>
public sealed class UploadSessionCorrelationTests
{
    private const string Mask = "************************************************";

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // recorded with --no-redact: the raw state is a query value of the Location, learned too
    public async Task LocationWithAnIssuedQueryParameter_TheUuidAndTheLatestStateAreCarried(bool masked)
    {
        var uuid = Guid.NewGuid().ToString();
        var states = new List<string>();
        await using var target = await CountingTarget.StartAsync(app =>
        {
            string Next()
            {
                var state = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + "-" + states.Count;
                states.Add(state);
                return state;
            }

            app.MapPost("/v2/r/blobs/uploads/", (HttpContext c) =>
            {
                c.Response.Headers.Location = $"http://{c.Request.Host}/v2/r/blobs/uploads/{uuid}?_state={Uri.EscapeDataString(Next())}";
                return HttpResults.StatusCode(202);
            });
            app.MapMethods("/v2/r/blobs/uploads/{id}", ["PATCH", "PUT"], (HttpContext c, string id) =>
            {
                if (id != uuid || c.Request.Query["_state"] != states[^1])
                {
                    return HttpResults.StatusCode(404);
                }

                c.Response.Headers.Location = $"http://{c.Request.Host}/v2/r/blobs/uploads/{uuid}?_state={Uri.EscapeDataString(Next())}";
                return HttpResults.StatusCode(c.Request.Method == "PUT" ? 201 : 202);
            });
        });
        const string RecordedUuid = "1f8e05c9-c6f8-4fe4-96c4-4a107319246b";
        string State(int i) => masked ? Mask : "eyJOYW1lIjoici9yZWNvcmRlZCIsIk9mZnNldCI6" + i + "fQ%3D%3D";
        Exchange Step(string method, string path, double at, int status, int issued)
        {
            var step = Recorded.Request(method, path, at, session: "c", status: status,
                responseHeaders: [new HeaderField("Location", $"http://127.0.0.1:6001/v2/r/blobs/uploads/{RecordedUuid}?_state={State(issued)}")]);
            return masked ? step with { Redactions = [new Redaction("response.header:location:query._state", "url-secret", "mask")] } : step;
        }

        var post = Step("POST", "/v2/r/blobs/uploads/", 0, 202, 0);
        var patch = Step("PATCH", $"/v2/r/blobs/uploads/{RecordedUuid}?_state={State(0)}", 0.1, 202, 1);
        var put = Step("PUT", $"/v2/r/blobs/uploads/{RecordedUuid}?_state={State(1)}&digest=sha256%3Aabc", 0.2, 201, 2);
        var results = new ListSink();

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream([post, patch, put]), results, TestContext.Current.CancellationToken);

        Assert.Equal([202, 202, 201], results.Results.OrderBy(e => e.StartedAt).Select(e => e.Response!.Status));
        var sent = target.Arrivals.ToList();
        Assert.EndsWith("&digest=sha256%3Aabc", sent[2].PathAndQuery, StringComparison.Ordinal);
    }
}
