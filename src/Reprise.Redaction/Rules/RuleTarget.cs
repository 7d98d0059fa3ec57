namespace Reprise.Redaction.Rules;

/// <summary>Where a rule looks: its selector key in the rules file.</summary>
public enum RuleTarget
{
    /// <summary><c>json: $.user.email</c> — JSON bodies (and GraphQL variables).</summary>
    Json,

    /// <summary><c>xpath: //Password</c> — XML and SOAP bodies.</summary>
    Xml,

    /// <summary><c>form: otp</c> — form-urlencoded fields and multipart parts.</summary>
    Form,

    /// <summary><c>query: sig</c> — URL query parameters.</summary>
    Query,

    /// <summary><c>header: X-Tenant-Secret</c> — request and response headers.</summary>
    Header,

    /// <summary><c>regex: 'ORD-[0-9]{8}'</c> — every text value: bodies, headers, query values, path segments.</summary>
    Regex,
}
