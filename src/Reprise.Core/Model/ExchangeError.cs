namespace Reprise.Core.Model;

/// <summary>A failure recorded in place of, or alongside, a response.</summary>
/// <param name="Kind">The class of failure.</param>
/// <param name="Message">A human-readable description (never contains body data).</param>
public sealed record ExchangeError(ExchangeErrorKind Kind, string Message);
