namespace Reprise.Mock.Serving;

/// <summary>Invalid input found before listening: every problem, one line each.</summary>
public sealed class MockSetupException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    /// <summary>One line per problem, naming the flag or file.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
