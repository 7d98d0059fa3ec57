namespace Reprise.Diff.Noise;

/// <summary>The spellings of <see cref="TimeNoise"/> in <c>--time-noise</c> and a rules file's <c>timeNoise:</c>.</summary>
public static class TimeNoiseText
{
    /// <summary>The accepted values, as an error message lists them.</summary>
    public const string Choices = "runs or any";

    /// <summary>The mode a value names (case-insensitive), or null.</summary>
    public static TimeNoise? TryParse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "runs" => TimeNoise.Runs,
        "any" => TimeNoise.Any,
        _ => null,
    };
}
