using Microsoft.AspNetCore.Http;

namespace Reprise.Capture.Bodies;

/// <summary>
/// Calls <paramref name="answered"/> once, just before the client can have the whole response: before the write or
/// flush that brings a body of declared length (<c>Content-Length</c>, 0 included) to that length, or before the
/// response completes (the last chunk, HTTP/2's end of stream) when the length is not declared.
/// </summary>
internal sealed class LastWriteHook(HttpResponse response, Action answered)
{
    private bool _called;

    /// <summary>Before bytes go out that bring the body to <paramref name="total"/> bytes.</summary>
    public void Before(long total)
    {
        if (!_called && response.ContentLength is { } declared && total >= declared)
        {
            Call();
        }
    }

    /// <summary>Before the response completes.</summary>
    public void Call()
    {
        if (!_called)
        {
            _called = true;
            answered();
        }
    }
}
