using System.IO.Pipelines;

namespace Reprise.Proxy.Forwarding;

/// <summary>A reader and a writer as one transport.</summary>
internal sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}
