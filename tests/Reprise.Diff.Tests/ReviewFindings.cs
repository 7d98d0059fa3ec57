using Reprise.Diff.Model;
using Reprise.Diff.Noise;

namespace Reprise.Diff.Tests;

/// <summary>
/// Review of 773018f..09e17ce (rv9): each test fails on 09e17ce and shows one defect. Throwaway: the lead keeps or
/// moves them with the fix.
/// </summary>
public sealed class ReviewFindings
{
    // 580c0a3: any upper-case letters+digits run of 26+ characters with 3+ letters and 3+ digits is a "random token",
    // so a changed IBAN (Malta 31, France 27 characters) or another long upper-case reference is hidden as noise.
    [Theory]
    [InlineData("MT84MALT011000012345MTLCAST001S", "MT31MALT011000098765MTLCAST002S")]
    [InlineData("FR1420041010050500013M02606", "FR7630006000011234567890M89")]
    public void UpperCaseToken_AChangedIban_IsNotNoise(string expected, string actual) =>
        Assert.Null(VolatileFormats.Shared(expected, actual));

    [Fact]
    public void NoiseModel_AChangedPayoutIban_IsADifference()
    {
        var model = new NoiseModel([.. DiffRules.Defaults()]);

        Assert.False(model.IsNoise("POST /payouts", new Difference("body:$.iban", DifferenceKind.Changed, "MT84MALT011000012345MTLCAST001S", "MT31MALT011000098765MTLCAST002S")));
    }
}
