using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Reprise.Core.Model;
using Reprise.Replay.Tests.Support;
using Xunit;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Reprise.Replay.Tests.Engine;

/// <summary>
/// QA round 14a (the Zabbix frontend in Chromium): the user list links every user's form,
/// <c>&lt;a href="zabbix.php?action=user.edit&amp;amp;userid=1"&gt;</c>; redaction tokenizes the account id there and in the
/// request the browser then made (<c>?action=user.edit&amp;userid=tok_id_…</c>) and in the form it posted, all alike. Replay
/// sent the token, which no instance knows: the form page and the update failed. The live page's link at the same place
/// (same target, same parameter, same occurrence) says what the token stands for now: a token in a recorded page's link is
/// learned from the live page's link as an id in a JSON answer is.
/// </summary>
public sealed class LinkTokenTests
{
    private const string Admin = "tok_id_oqumxjbaqzsjdwrv";
    private const string Guest = "tok_id_abcdefghijklmnop";

    private static string Page(string first, string second) =>
        "<html><body><table><tr><td><a href=\"zabbix.php?action=user.edit&amp;userid=" + first + "\">Admin</a></td></tr>"
        + "<tr><td><a href=\"zabbix.php?action=user.edit&amp;userid=" + second + "\">guest</a></td></tr></table>"
        + "<a href=\"zabbix.php?action=usergroup.edit&amp;usrgrpid=7\">Admins</a></body></html>";

    [Fact]
    public async Task ATokenInARecordedPagesLink_GetsTheLivePagesValue_InTheUrlAndTheFormThatFollow()
    {
        await using var target = await CountingTarget.StartAsync(app =>
        {
            app.MapGet("/zabbix.php", (HttpContext context) => HttpResults.Content(Page("1", "2"), "text/html"));
            app.MapPost("/zabbix.php", () => HttpResults.Content("ok", "text/html"));
        });
        var list = Recorded.Request("GET", "/zabbix.php?action=user.list", 0, session: "s") is var l
            ? l with { Response = l.Response! with { Headers = [new HeaderField("Content-Type", "text/html")], Body = ExchangeBody.FromText(Page(Admin, Guest), "text/html") } }
            : l;
        var exchanges = new[]
        {
            list,
            Recorded.Request("GET", "/zabbix.php?action=user.edit&userid=" + Guest, 0.1, session: "s"),
            Recorded.Post(0.2, "/zabbix.php?action=user.update", "sid=abc&userid=" + Admin + "&name=Maria", "application/x-www-form-urlencoded"),
        };

        await Replayer.RunAsync(new ReplayOptions { Target = target.Address, Speed = 50 }, Recorded.Stream(exchanges), new ListSink(), TestContext.Current.CancellationToken);

        var sent = target.Arrivals.ToList();
        Assert.Equal("/zabbix.php?action=user.edit&userid=2", sent[1].PathAndQuery);
        Assert.Equal("sid=abc&userid=1&name=Maria", sent[2].Body);
    }
}
