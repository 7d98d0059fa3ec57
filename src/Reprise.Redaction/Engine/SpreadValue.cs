using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Engine;

/// <summary>
/// One raw value the normal pass redacted, kept (in memory, for the exchange being redacted only) so the
/// same-value pass can replace its other occurrences with the same replacement.
/// </summary>
/// <param name="Original">The raw value.</param>
/// <param name="Rule">The rule or detector that redacted it.</param>
/// <param name="Action">The action it got.</param>
/// <param name="Kind">Its kind (decides tokens and fakes).</param>
/// <param name="SameLength">True when it was redacted inside a binary body (a same-length mask).</param>
/// <param name="Replacement">The replacement the caller computed (a JSON number keeps digits); null when it is recomputed from the action, or the value was dropped.</param>
/// <param name="Known">True when <paramref name="Replacement"/> is what the caller wrote (null then means dropped).</param>
/// <param name="Carried">True when the value was redacted in an earlier exchange of the stream (<see cref="CarriedValues"/>): its occurrences are recorded as <c>carried:&lt;rule&gt;</c>.</param>
internal readonly record struct SpreadValue(string Original, string Rule, ActionSpec Action, DataKind Kind, bool SameLength, string? Replacement, bool Known, bool Carried = false);
