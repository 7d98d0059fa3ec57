namespace Reprise.Redaction.Policy;

/// <summary>
/// A header name as a policy sees it (<see cref="RedactionModel.HeaderNameOf"/>): lower-cased, whether it is
/// allow-listed, denied (masked whole), a URL header, and the field name identity headers are matched by
/// (<c>X-Customer-Id</c> → <c>customer-id</c>).
/// </summary>
internal sealed record HeaderName(string Lower, bool Allowed, bool Denied, bool IsUrl, FieldName Field);
