namespace Reprise.Core.Pipeline;

/// <summary>
/// Recomputes a redaction policy's tokens. A recording redacted by default holds an id tokenized where a detector
/// saw it (a user's <c>id</c> in a response) and raw where none did (the same id in a later request's variables);
/// replay uses this to recognise the raw value as the token it learned a new value for.
/// </summary>
public interface IRedactionTokens
{
    /// <summary>
    /// The token the policy gives <paramref name="value"/> as the kind <paramref name="token"/> names by its
    /// <c>tok_&lt;hint&gt;_</c> prefix; null when <paramref name="token"/> is not a token of a kind values are tokenized as.
    /// </summary>
    string? TokenLike(string token, string value);
}
