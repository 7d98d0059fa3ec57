using Reprise.Redaction.Actions;

namespace Reprise.Redaction.Engine;

/// <summary>A person's name the normal pass redacted, or one word of it (<see cref="NameSearchTerms"/>), with the rule and action the name got.</summary>
/// <param name="Name">The name (or word) as it was written (a word's replacement is computed from this spelling, whatever the case it is found in).</param>
/// <param name="Rule">The rule or detector that redacted the name.</param>
/// <param name="Action">The action the name got.</param>
/// <param name="Full">True for a full name (two to four capitalised words): its words are kept for the stream's later exchanges. A first or last name alone counts in its own exchange only ("Jordan" the country).</param>
internal readonly record struct RedactedName(string Name, string Rule, ActionSpec Action, bool Full);
