namespace Reprise.Core;

/// <summary>Where Reprise keeps per-user state (CA, redaction key): <c>$REPRISE_HOME</c>, default <c>~/.reprise</c>.</summary>
public static class RepriseHome
{
    /// <summary>The environment variable that overrides the location.</summary>
    public const string EnvironmentVariable = "REPRISE_HOME";

    /// <summary>The full path of the home directory (not created).</summary>
    public static string Resolve(string? explicitPath = null)
    {
        var home = explicitPath;
        if (string.IsNullOrEmpty(home))
        {
            home = Environment.GetEnvironmentVariable(EnvironmentVariable);
        }

        if (string.IsNullOrEmpty(home))
        {
            home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".reprise");
        }

        return Path.GetFullPath(home);
    }
}
