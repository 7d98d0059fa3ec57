using Reprise.Redaction.Actions;

namespace Reprise.Redaction.Engine;

/// <summary>One word of a person's name the normal pass redacted (<see cref="NameSearchTerms"/>), with the rule and action the name got.</summary>
/// <param name="Word">The word as the name wrote it (its replacement is computed from this spelling, whatever the case it is found in).</param>
/// <param name="Rule">The rule or detector that redacted the name.</param>
/// <param name="Action">The action the name got.</param>
/// <param name="Carries">True when the word is of a full name (two to four capitalised words): it is kept for the stream's later exchanges. A first or last name alone counts in its own exchange only ("Jordan" the country).</param>
internal readonly record struct NameWord(string Word, string Rule, ActionSpec Action, bool Carries);
