using Reprise.Replay.Sessions;
using Reprise.Replay.Tests.Support;
using Reprise.Replay.WebSockets;
using Xunit;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// A lone surrogate escape (<c>"\ud83d"</c>: valid JSON, what <c>JSON.stringify</c> writes for a string cut inside an
/// emoji) in a recorded answer: reading it as a string threw out of replay's session linking and WebSocket message shapes
/// (review 15a). The rest of the answer is still read.
/// </summary>
public sealed class LoneSurrogateReplayTests
{
    [Fact]
    public void ALoginAnswerWithALoneSurrogateMember_StillRegistersItsToken()
    {
        const string Jwt = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiZm9ydW1fcGVyc29uIn0.izO3CdxlyfEGALLUK093vZEdZ6zD9GrtkFiOhj8aa60";
        var login = Recorded.Request("POST", "/login", 0, body: "{}", responseBody: "{\"\\ud83d\":\"cut\",\"accessToken\":\"" + Jwt + "\"}");
        var me = Recorded.Request("POST", "/me", 0.1, session: Jwt, body: "{}");

        var linker = new SessionLinker(SessionKeyKinds.Default);
        var first = linker.Resolve(login);
        var second = linker.Resolve(me);

        Assert.Equal(first.Key, second.Key);
    }

    [Theory]
    [InlineData("{\"type\":\"next\",\"\\udc00\":1}")]
    [InlineData("[\"\\ud83d\",1]")]
    public void AMessageWithALoneSurrogate_HasNoShape_AndDoesNotThrow(string message)
    {
        Assert.Null(WebSocketSessionRunner.Shape(System.Text.Encoding.UTF8.GetBytes(message)));
    }
}
