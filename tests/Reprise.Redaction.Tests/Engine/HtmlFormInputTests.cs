using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 12b (Django admin): the login page renders <c>&lt;input type="hidden" name="csrfmiddlewaretoken"
/// value="…"&gt;</c>, and the form posts it back as <c>csrfmiddlewaretoken=…</c>. The posted field was masked (a secret by
/// its name) but the page kept the token raw: a secret on disk, and replay could not pair the page's token with the
/// masked field (every admin POST answered 403 against a fresh instance). An input's <c>name</c> and <c>value</c> are the
/// pair the browser posts, judged as that field whatever the order of the attributes.
/// </summary>
public sealed class HtmlFormInputTests
{
    private const string Token = "U4xoOpFv8A3bAO7l0Uf3L5Xule4iUuvz5v4PZFBv5jMuojTRBf6vBTTWMPjy7Lha";

    private static string PageAfter(string html) => Policies.ResponseText(Policies.Default.Redact(Testing.Exchanges.Page("http://crm.test/admin/login/", html)));

    [Theory]
    [InlineData("<form method=\"post\"><input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"{0}\">")]
    [InlineData("<form method=\"post\"><input value='{0}' type=hidden name=csrfmiddlewaretoken />")]
    [InlineData("<form>\n<input\n  name=\"authenticity_token\"\n  value=\"{0}\"\n  type=\"hidden\"></form>")]
    public void AHiddenTokenInput_IsMaskedInPlace_TheMarkupKept(string template)
    {
        var html = "<!DOCTYPE html><html><body>" + string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Token) + "<input type=\"submit\" value=\"Log in\"></body></html>";
        var after = PageAfter(html);
        Assert.DoesNotContain(Token, after, StringComparison.Ordinal);
        Assert.Equal(html.Replace(Token, new string('*', Token.Length), StringComparison.Ordinal), after);
    }

    /// <summary>
    /// rv12a: an input whose attributes are all unquoted, the password right after the field's name
    /// (<c>&lt;input name=password value=…&gt;</c>), stayed raw: the pair pattern read <c>name=password</c> as a pair and
    /// never saw the value, and the input reader was not reached.
    /// </summary>
    [Theory]
    [InlineData("<form action=/login><input name=password value=Hunter2-Secret></form>")]
    [InlineData("<form action=/login><input type=password name=password value=Hunter2-Secret autocomplete=off></form>")]
    [InlineData("<form action=/login><input value=Hunter2-Secret name=password></form>")]
    public void AnUnquotedPasswordInput_IsMasked(string html)
    {
        var after = PageAfter("<html><body>" + html + "</body></html>");
        Assert.DoesNotContain("Hunter2-Secret", after, StringComparison.Ordinal);
        Assert.Contains("name=password", after, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEditFormsPhoneInput_IsJudgedAsAPhoneField()
    {
        var after = PageAfter("<html><body><form><input type=\"text\" name=\"phone\" value=\"0151 2345 6789\" maxlength=\"40\"><input name=\"title\" value=\"Account manager\"></form></body></html>");
        Assert.DoesNotContain("2345", after, StringComparison.Ordinal);
        Assert.Contains("value=\"Account manager\"", after, StringComparison.Ordinal);
    }
}
