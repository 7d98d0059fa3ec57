using System.Text;
using Reprise.Replay.Correlation;
using Xunit;

namespace Reprise.Replay.Tests;

/// <summary>
/// Review of QA round 12b's XML value rules (<c>substitute: { xml: /path }</c>): the document was written back as UTF-8
/// under its own declaration, so a body that declared another encoding (ISO-8859-1) carried a secret with a non-ASCII
/// letter in the wrong bytes.
/// </summary>
public sealed class ReviewFindings12bc
{
    [Fact]
    public void ABodyDeclaringAnotherEncoding_IsWrittenInIt()
    {
        var latin1 = Encoding.Latin1;
        var body = latin1.GetBytes("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><login><user>jörg</user><password>********</password></login>");

        var written = XmlElementPath.SetText(body, XmlElementPath.Parse("/login/password")!, "Müller-Pass1", existingOnly: true);

        Assert.NotNull(written);
        var text = latin1.GetString(written);
        Assert.Contains("<password>Müller-Pass1</password>", text, StringComparison.Ordinal);
        Assert.Contains("<user>jörg</user>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AUtf8Body_StaysUtf8()
    {
        var body = Encoding.UTF8.GetBytes("<login><password>****</password></login>");

        var written = XmlElementPath.SetText(body, XmlElementPath.Parse("/login/password")!, "Müller", existingOnly: true);

        Assert.Equal("<login><password>Müller</password></login>", Encoding.UTF8.GetString(written!));
    }
}
