using Reprise.Core.Json;
namespace Reprise.Replay.Correlation;

/// <summary>
/// A manual correlation rule: where a value is extracted from each response, and where it is put in
/// later requests of the same session. Without <see cref="SubstituteHeader"/>/<see cref="SubstituteQuery"/>/<see cref="SubstituteJson"/>/<see cref="SubstituteForm"/>
/// the recorded value is replaced wherever it appears (as automatic rules do). A value rule (<see cref="Value"/>) has
/// no extract: its value is given (a secret redaction masked in the recording, such as a login's password or a
/// JSON-RPC token, read from the environment or a file) and replaces the one each request carries at its substitute.
/// </summary>
public sealed record CorrelationRuleOptions
{
    /// <summary>The rule name, shown in the report.</summary>
    public required string Name { get; init; }

    /// <summary>Where the rule came from (<c>rules.yaml:3</c>), for error messages.</summary>
    public string Origin { get; init; } = "rule";

    /// <summary>Only learn from responses of requests whose path matches this glob.</summary>
    public string? FromPath { get; init; }

    /// <summary>Extract a response header's value.</summary>
    public string? ExtractHeader { get; init; }

    /// <summary>Extract a JSON body value by path.</summary>
    public string? ExtractJson { get; init; }

    /// <summary>Extract with a regular expression over the body text (group 1, else the whole match).</summary>
    public string? ExtractRegex { get; init; }

    /// <summary>A given value (value rules): what <see cref="ValueSource"/> read; never shown.</summary>
    public string? Value { get; init; }

    /// <summary>Where a value rule's value comes from, for the report (<c>env ARIA2_SECRET</c>, <c>file secret.txt</c>, <c>literal</c>).</summary>
    public string? ValueSource { get; init; }

    /// <summary>Only substitute into requests whose path matches this glob.</summary>
    public string? ToPath { get; init; }

    /// <summary>Set this field of an <c>application/x-www-form-urlencoded</c> body to the value.</summary>
    public string? SubstituteForm { get; init; }

    /// <summary>True for a value rule: nothing is extracted, the value is given.</summary>
    public bool IsValueRule => Value is not null || ValueSource is not null;

    /// <summary>True when the rule names where its value goes.</summary>
    public bool IsTargeted => SubstituteHeader is not null || SubstituteQuery is not null || SubstituteJson is not null || SubstituteForm is not null || SubstituteXml is not null;

    /// <summary>
    /// A value rule's value replaces its own token (with the recording's redaction key) wherever a recorded request holds
    /// it: a login the recording tokenized in URL paths (<c>/SOGo/dav/tok_id_…/Calendar/</c>), headers and bodies, which no
    /// header, query, JSON, form or XML location reaches (<c>substitute: { token: true }</c>).
    /// </summary>
    public bool SubstituteToken { get; init; }

    /// <summary>Set this request header to the value.</summary>
    public string? SubstituteHeader { get; init; }

    /// <summary>Set this query parameter to the value.</summary>
    public string? SubstituteQuery { get; init; }

    /// <summary>Set this JSON body path to the value.</summary>
    public string? SubstituteJson { get; init; }

    /// <summary>
    /// Set the text of the XML body's elements at this path of local names (<c>/body/auth</c>, as redaction names the
    /// location) to the value: an XMPP-over-BOSH SASL credential, a SOAP login's password element.
    /// </summary>
    public string? SubstituteXml { get; init; }

    /// <summary>An optional prefix before the value in a substituted header (e.g. <c>Bearer </c>).</summary>
    public string? SubstitutePrefix { get; init; }

    /// <summary>
    /// A value rule with <c>match-mask: true</c> fills only a recorded value that can be the given one: a mask of its length
    /// (and kept characters), a token of it when replay has the recording's key. A client that tried a wrong password
    /// before the right one then replays the wrong try as recorded. Off by default: a replay target's secret may differ in
    /// length from the one recorded (another environment, a rotated password).
    /// </summary>
    public bool MatchMask { get; init; }

    /// <summary>Every problem with this rule.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var extracts = (ExtractHeader is null ? 0 : 1) + (ExtractJson is null ? 0 : 1) + (ExtractRegex is null ? 0 : 1);
        if (MatchMask && !IsValueRule)
        {
            errors.Add($"{Origin}: rule '{Name}': match-mask is for value rules (value: …)");
        }

        if (IsValueRule)
        {
            if (extracts > 0)
            {
                errors.Add($"{Origin}: rule '{Name}': give either value or extract, not both");
            }

            if (FromPath is not null)
            {
                errors.Add($"{Origin}: rule '{Name}': from: a value rule learns from no response (use to: to limit the requests it changes)");
            }

            if (!IsTargeted && !SubstituteToken)
            {
                errors.Add($"{Origin}: rule '{Name}': a value rule needs substitute.header, substitute.query, substitute.json, substitute.form, substitute.xml (where the recorded request carries the value to replace) or substitute.token: true (wherever it holds the value's token)");
            }

            if (SubstituteToken && (IsTargeted || MatchMask || SubstitutePrefix is not null))
            {
                errors.Add($"{Origin}: rule '{Name}': substitute.token replaces the value's token wherever it appears; give it alone (no other substitute, prefix or match-mask)");
            }
        }
        else if (SubstituteToken)
        {
            errors.Add($"{Origin}: rule '{Name}': substitute.token is for value rules (value: …)");
        }
        else if (extracts != 1)
        {
            errors.Add($"{Origin}: rule '{Name}': give exactly one of extract.header, extract.json, extract.regex (or a value)");
        }

        var targets = (SubstituteHeader is null ? 0 : 1) + (SubstituteQuery is null ? 0 : 1) + (SubstituteJson is null ? 0 : 1) + (SubstituteForm is null ? 0 : 1) + (SubstituteXml is null ? 0 : 1);
        if (targets > 1)
        {
            errors.Add($"{Origin}: rule '{Name}': give at most one of substitute.header, substitute.query, substitute.json, substitute.form, substitute.xml");
        }

        if (SubstituteXml is not null && XmlElementPath.Parse(SubstituteXml) is null)
        {
            errors.Add($"{Origin}: rule '{Name}': substitute.xml: '{SubstituteXml}' is not an element path (/name/name…, local names)");
        }

        if (ExtractJson is not null && JsonPath.TryParseSingular(ExtractJson, out var jsonError) is null)
        {
            errors.Add($"{Origin}: rule '{Name}': extract.json: {jsonError}");
        }

        if (SubstituteJson is not null && JsonPath.TryParseSingular(SubstituteJson, out var subError) is null)
        {
            errors.Add($"{Origin}: rule '{Name}': substitute.json: {subError}");
        }

        if (ExtractRegex is not null)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(ExtractRegex, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{Origin}: rule '{Name}': extract.regex: invalid regex '{ExtractRegex}' ({ex.Message})");
            }
        }

        return errors;
    }
}
