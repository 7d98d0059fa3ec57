namespace Reprise.Diff.Model;

/// <summary>
/// One functional difference. <see cref="Location"/> is <c>status</c>, <c>error</c>,
/// <c>header:NAME</c>, <c>trailer:NAME</c> or <c>body:PATH</c> (JSON <c>$.a.b[0]</c>, XML <c>/Envelope/Body/x</c>,
/// form <c>form.key</c>, text <c>line N</c>, gRPC <c>msg[0].1.2</c>): the same strings ignore rules match.
/// </summary>
/// <param name="Location">Where.</param>
/// <param name="Kind">Changed, added or removed.</param>
/// <param name="Expected">The recorded value (shortened), or null when added.</param>
/// <param name="Actual">The new value (shortened), or null when removed.</param>
public sealed record Difference(string Location, DifferenceKind Kind, string? Expected, string? Actual)
{
    /// <summary>Values longer than this are shortened in reports.</summary>
    public const int MaxValueLength = 200;

    /// <summary>Shortens a value for display.</summary>
    public static string? Shorten(string? value) =>
        value is null || value.Length <= MaxValueLength ? value : string.Concat(value.AsSpan(0, MaxValueLength), "…");

    /// <summary>
    /// <see cref="ToString"/> on one line: line breaks inside the values shown as <c>⏎</c>, so a multi-line example (a
    /// text body's changed block) keeps a list of one location per line readable (console, JUnit failure text). A carriage
    /// return that ends no line is shown as <c>␍</c>: dropped, a value changed only by one read the same on both sides.
    /// </summary>
    public string ToSingleLine() => ToString().Replace("\r\n", "⏎", StringComparison.Ordinal).Replace('\n', '⏎').Replace('\r', '␍');

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        DifferenceKind.Added => $"{Location}: added {Actual}",
        DifferenceKind.Removed => $"{Location}: removed (was {Expected})",
        _ => $"{Location}: {Expected} → {Actual}",
    };
}
