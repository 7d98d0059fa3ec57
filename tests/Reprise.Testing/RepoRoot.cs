namespace Reprise.Testing;

/// <summary>Finds the repository root (the folder holding Reprise.slnx).</summary>
public static class RepoRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Reprise.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Reprise.slnx not found above " + AppContext.BaseDirectory);
    }
}
