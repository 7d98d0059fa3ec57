using Reprise.Core.Model;

namespace Reprise.Replay.Http;

/// <summary>A request being adjusted for one send (correlation, copy variation, token). Only built when something changes.</summary>
internal sealed class OutgoingRequest
{
    public OutgoingRequest(string url, List<HeaderField> headers, ReadOnlyMemory<byte> body)
    {
        Url = url;
        Headers = headers;
        Body = body;
    }

    public string Url { get; set; }

    public List<HeaderField> Headers { get; }

    public ReadOnlyMemory<byte> Body { get; set; }

    public void SetHeader(string name, string value)
    {
        for (var i = 0; i < Headers.Count; i++)
        {
            if (string.Equals(Headers[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                Headers[i] = new HeaderField(Headers[i].Name, value);
                for (var j = Headers.Count - 1; j > i; j--)
                {
                    if (string.Equals(Headers[j].Name, name, StringComparison.OrdinalIgnoreCase))
                    {
                        Headers.RemoveAt(j);
                    }
                }

                return;
            }
        }

        Headers.Add(new HeaderField(name, value));
    }
}
