using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests;

/// <summary>
/// QA round 14b (Cockpit's web console through headless Chromium, its channel protocol through a WebSocket client; calibre's
/// content server): minified bundles whose code was read as credentials and names, a retina image read as an address, and
/// a passwd(5) line whose full name went to disk raw.
/// </summary>
public sealed class Qa14bTests
{
    private static string ScriptAfter(string script)
    {
        var exchange = Testing.Exchanges.Get("http://console.test/static/index.js", "{}", id: "s1");
        exchange = exchange with
        {
            Response = exchange.Response! with
            {
                Headers = [new("Content-Type", "application/javascript")],
                Body = ExchangeBody.FromText(script, "application/javascript"),
            },
        };
        return Policies.ResponseText(Policies.Default.Redact(exchange));
    }

    private static string TextAfter(string text, string contentType = "text/plain")
    {
        var exchange = Testing.Exchanges.Get("http://console.test/api/run", "{}", id: "t1");
        exchange = exchange with
        {
            Response = exchange.Response! with
            {
                Headers = [new("Content-Type", contentType)],
                Body = ExchangeBody.FromText(text, contentType),
            },
        };
        return Policies.ResponseText(Policies.Default.Redact(exchange));
    }

    /// <summary>
    /// PatternFly's input types are an enum that names itself: <c>e.number="number",e.password="password"</c>. The pair was
    /// judged a password and masked, and the same-value pass then masked the word "password" everywhere in the bundle:
    /// <c>e.********||…</c> is a syntax error ("Unexpected token '**'"), Cockpit's shell never loaded from the mock.
    /// </summary>
    [Theory]
    [InlineData("e.number=\"number\",e.password=\"password\",e.search=\"search\";function d(e){return\"sudo\"!=t||e.password||(t=\"none\")}var m=Bl(\"Old password not accepted\");")]
    [InlineData("const types={text:\"text\",password:\"password\",email:\"email\"};if(\"password\"===e.type)x(e.password);")]
    [InlineData("var o={Secret:'secret',Token:'token'};o.secret&&o.token;")]
    public void AnEnumMemberThatNamesItself_InAScript_IsCode(string script) => Assert.Equal(script, ScriptAfter(script));

    /// <summary>
    /// A string literal an operator follows is an operand, not the value of the pair before it: <c>displayName:"localhost"===n?…</c>
    /// tokenized "localhost" as a person's name (and then every "localhost" in the bundle: 40 comparisons), and in
    /// <c>hh("Last successful login:")+" "+gh(…)</c> the quote closing the sentence was read as opening a login <c>")+"</c>.
    /// </summary>
    [Theory]
    [InlineData("o.push({selected:!0,displayName:\"localhost\"===n?\"/\"+r:n+\":/\"+r});const m=\"localhost\"===n;")]
    [InlineData("const c=hh(\"Last successful login:\")+\" \"+gh(1e3*e[\"last-login-time\"]),f=e[\"fail-count\"];")]
    [InlineData("x={user:\"root\"+suffix,name:\"admin\"==t?1:2};")]
    public void AStringLiteralAnOperatorFollows_IsNoPairsValue(string script) => Assert.Equal(script, ScriptAfter(script));

    /// <summary>Guards: a credential or a name that is a pair's value in a script is still judged.</summary>
    [Theory]
    [InlineData("var cfg={password:\"S3cret-DB-pw!\",user:\"admin\"};", "S3cret-DB-pw!")]
    [InlineData("init({apiSecret:'9f8e7d6c5b4a39281706f5e4d3c2b1a0'});", "9f8e7d6c5b4a39281706f5e4d3c2b1a0")]
    [InlineData("const owner = {fullName: \"Maria Gonzalez\"}\n", "Maria Gonzalez")]
    public void ACredentialThatIsAPairsValue_InAScript_IsStillRedacted(string script, string secret) =>
        Assert.DoesNotContain(secret, ScriptAfter(script), StringComparison.Ordinal);

    /// <summary>Guard: outside code a password that is the word "password" is a (weak) password.</summary>
    [Fact]
    public void InAJsonBody_APasswordThatIsTheWordPassword_IsStillMasked() =>
        Assert.DoesNotContain("\"password\":\"password\"", Policies.RequestText(Policies.Default.Redact(Policies.Json("{\"user\":\"a\",\"password\":\"password\"}"))), StringComparison.Ordinal);

    /// <summary>
    /// PatternFly's style sheet names its retina background <c>pfbg_992@2x.jpg</c>: it was tokenized as an email (in the
    /// CSS and in the script that inlines it). A file name's extension is no top-level domain.
    /// </summary>
    [Theory]
    [InlineData("--hero:url(\"../../assets/images/pfbg_992@2x.jpg\");--logo:url(logo@3x.png) ")]
    [InlineData("<img srcset=\"icon@2x.webp 2x, icon@1.5x.svg 1.5x\">")]
    public void ARetinaImageName_IsNoEmail(string text) => Assert.Equal(text, TextAfter(text, "text/css"));

    /// <summary>Guard: an address whose domain ends in a real top-level domain is still one.</summary>
    [Fact]
    public void AnAddress_IsStillAnEmail() => Assert.DoesNotContain("jonas@photos.app", TextAfter("mail jonas@photos.app today"), StringComparison.Ordinal);

    /// <summary>
    /// <c>getent passwd mgonzalez</c> through Cockpit's stream channel: <c>mgonzalez:x:1001:1001:Maria Gonzalez,,,:/home/mgonzalez:/bin/bash</c>.
    /// The login was masked (the Basic user carried) but the full name in the GECOS field went to disk raw. A passwd(5)
    /// line's GECOS field starts with its user's full name, and its first field is a login.
    /// </summary>
    [Theory]
    [InlineData("mgonzalez:x:1001:1001:Maria Gonzalez,,,:/home/mgonzalez:/bin/bash\n")]
    [InlineData("root:x:0:0:root:/root:/bin/bash\njschmidt:x:1002:1002:Jonas Schmidt,Room 4,+49 30 1234567,:/home/jschmidt:/bin/zsh\n")]
    public void APasswdLinesFullName_IsTokenized(string text)
    {
        var after = TextAfter(text);

        Assert.DoesNotContain("Gonzalez", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Schmidt", after, StringComparison.Ordinal);
        Assert.Contains(":x:", after, StringComparison.Ordinal);
    }

    /// <summary>Guard: the system accounts' lines (their GECOS is a description, not a person) stay as they are.</summary>
    [Fact]
    public void SystemAccountsPasswdLines_StayAsTheyAre()
    {
        const string text = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n_apt:x:42:65534::/nonexistent:/usr/sbin/nologin\n";
        Assert.Equal(text, TextAfter(text));
    }
}

/// <summary>
/// QA round 14b (calibre's content server inlines its SVG icons in the page): path data writes numbers in pairs
/// (<c>191-28 56-18 99-51 48-36 65-64</c>), and a Luhn-valid run of them was masked as a card number; from the mock
/// Chromium reported "attribute d: Expected path command" and the icon did not draw. A card number is written whole or
/// in its printed groups (4-4-4-4[-3], Amex 4-6-5, Diners 4-6-4), not in pairs.
/// </summary>
public sealed class CardGroupingTests
{
    private static List<string> Found(string text)
    {
        var matches = new List<(int Start, int Length)>();
        new Reprise.Redaction.Detection.CardNumberDetector().Find(text, matches);
        return matches.ConvertAll(m => text.Substring(m.Start, m.Length));
    }

    [Theory]
    [InlineData("<path d=\"M14 280q6 124 51 202 35 59 96 92 88 47 177 47 104 0 191-28 56-18 99-51 48-36 65-64 36-56 53-114 21-73 21-229 0-79-3.5\"/>")]
    [InlineData("points=\"4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1\"")]
    [InlineData("v 411-111 111-111 111-111 1\"")]
    public void DigitsInPairsOrSingles_AreNoCardNumber(string text) => Assert.Empty(Found(text));

    [Theory]
    [InlineData("card 4111 1111 1111 1111 ok", "4111 1111 1111 1111")]
    [InlineData("card 4111-1111-1111-1111 ok", "4111-1111-1111-1111")]
    [InlineData("card 4111111111111111 ok", "4111111111111111")]
    [InlineData("amex 3782 822463 10005 ok", "3782 822463 10005")]
    [InlineData("diners 3056 930902 5904 ok", "3056 930902 5904")]
    [InlineData("visa19 4111 1111 1111 1111 003 ok", "4111 1111 1111 1111 003")]
    public void ACardInItsPrintedGroups_IsStillFound(string text, string card) => Assert.Equal([card], Found(text));
}
