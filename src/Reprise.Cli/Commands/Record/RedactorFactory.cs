using Reprise.Core.Pipeline;

namespace Reprise.Cli.Commands.Record;

/// <summary>
/// THE seam between capture and redaction: every recorder the CLI starts gets its redactor from here.
/// TEMPORARY: the redaction policy is built on a parallel branch; until the lead merges it,
/// <see cref="CreateDefault"/> returns <see cref="NoRedaction"/>, and the recording header then says
/// <c>redaction: disabled</c> (no policy name or digest), so such files are recognisable. When merging,
/// point <see cref="CreateDefault"/> at the real default policy; nothing else in capture changes.
/// </summary>
internal static class RedactorFactory
{
    /// <summary>The redactor used unless <c>--no-redact</c> is given.</summary>
    public static IExchangeRedactor CreateDefault() => NoRedaction.Instance;

    /// <summary>The explicit opt-out.</summary>
    public static IExchangeRedactor CreateDisabled() => NoRedaction.Instance;
}
