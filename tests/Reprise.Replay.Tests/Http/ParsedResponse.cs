using Reprise.Core.Model;
using Reprise.Replay.Http;
using Xunit;

namespace Reprise.Replay.Tests.Http;

/// <summary>One response as the reader saw it, for comparisons.</summary>
internal sealed record ParsedResponse(int Status, string? Reason, string Headers, string Trailers, byte[] Body, bool Close)
{
    /// <summary>Reads <paramref name="count"/> consecutive responses from <paramref name="source"/> (materialised).</summary>
    public static async Task<List<ParsedResponse>> ReadAllAsync(IResponseSource source, int count, bool head = false, int bodyChunk = 4096, int bufferSize = 16 * 1024)
    {
        using var reader = new Http1ResponseReader(source, bufferSize);
        var result = new List<ParsedResponse>();
        for (var i = 0; i < count; i++)
        {
            await reader.ReadHeadAsync(head, materialize: true);
            using var body = new MemoryStream();
            var chunk = new byte[bodyChunk];
            int n;
            while ((n = await reader.ReadBodyAsync(chunk)) > 0)
            {
                body.Write(chunk, 0, n);
            }

            Assert.True(reader.BodyComplete);
            result.Add(new ParsedResponse(reader.Head.Status, reader.Head.Reason, Join(reader.Head.Headers), Join(reader.Head.Trailers), body.ToArray(), reader.Head.Close));
        }

        return result;
    }

    private static string Join(List<HeaderField> fields) => string.Join("\n", fields.Select(f => f.Name + ": " + f.Value));

    public bool SameAs(ParsedResponse other) =>
        Status == other.Status && Reason == other.Reason && Headers == other.Headers && Trailers == other.Trailers && Close == other.Close && Body.AsSpan().SequenceEqual(other.Body);
}
