using Reprise.Core.Model;

namespace Reprise.Replay.Http;

/// <summary>
/// The parsed status line and framing of one response, reused per connection. Header fields, the reason
/// phrase and trailers are only materialised as strings when the caller keeps the response.
/// </summary>
internal sealed class ResponseHead
{
    public int Status { get; set; }

    /// <summary>1 for HTTP/1.1, 0 for HTTP/1.0.</summary>
    public int MinorVersion { get; set; }

    /// <summary>The reason phrase; null when the status line has none (then the standard one applies).</summary>
    public string? Reason { get; set; }

    public BodyFraming Framing { get; set; }

    public long ContentLength { get; set; } = -1;

    /// <summary>True when the connection cannot be reused after this response.</summary>
    public bool Close { get; set; }

    /// <summary>Header fields in wire order (only filled when materialising).</summary>
    public List<HeaderField> Headers { get; } = [];

    /// <summary>Trailer fields of a chunked body (only filled when materialising).</summary>
    public List<HeaderField> Trailers { get; } = [];

    public void Reset()
    {
        Status = 0;
        MinorVersion = 1;
        Reason = null;
        Framing = BodyFraming.None;
        ContentLength = -1;
        Close = false;
        Headers.Clear();
        Trailers.Clear();
    }
}
