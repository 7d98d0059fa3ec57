namespace Reprise.Redaction.Policy;

/// <summary>One sensitive value found by <c>scan</c>: where, by what, and a masked preview (never the value).</summary>
/// <param name="Location">E.g. <c>response.body:$.user.email</c>.</param>
/// <param name="Detector">The detector or rule name (<c>api-key</c> findings carry the provider, e.g. <c>api-key:github</c>).</param>
/// <param name="Kind">What the value is.</param>
/// <param name="Action">What <c>redact</c> would do with it.</param>
/// <param name="Preview">The value masked (last four shown only for long values).</param>
public sealed record Finding(string Location, string Detector, string Kind, string Action, string Preview);
