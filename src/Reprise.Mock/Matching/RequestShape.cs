namespace Reprise.Mock.Matching;

/// <summary>
/// The canonical view of one request that every match tier works on: method, authority, SOAP action
/// and a list of named leaves (<c>path[i]</c>, <c>query.NAME</c>, <c>body.$.a.b</c>, <c>body./Envelope/Body/X</c>)
/// sorted by name, so query order and JSON key order never matter.
/// </summary>
internal sealed class RequestShape
{
    public RequestShape(string method, string authority, string path, string? soapAction, string? traceId, KeyValuePair<string, string>[] leaves)
    {
        Method = method;
        Path = path;
        Authority = authority;
        SoapAction = soapAction;
        TraceId = traceId;
        Leaves = leaves;
    }

    /// <summary>Upper-case method.</summary>
    public string Method { get; }

    /// <summary>The request path (route rules match on it).</summary>
    public string Path { get; }

    /// <summary>Lower-case host[:port], or empty when unknown.</summary>
    public string Authority { get; }

    /// <summary>SOAPAction (header or content-type action parameter), unquoted.</summary>
    public string? SoapAction { get; }

    /// <summary>The W3C trace id from traceparent, when present.</summary>
    public string? TraceId { get; }

    /// <summary>Named leaves, sorted by name (stable for repeated names).</summary>
    public KeyValuePair<string, string>[] Leaves { get; }

    /// <summary>A copy without the authority (for plain-server requests whose Host names the mock, not a recorded host).</summary>
    public RequestShape WithoutAuthority() => new(Method, string.Empty, Path, SoapAction, TraceId, Leaves);

    /// <summary>The exact key (with or without authority).</summary>
    /// <param name="withAuthority">Whether the key names the host.</param>
    /// <param name="volatileNames">Leaves masked by name.</param>
    /// <param name="formats">Values masked by format (null: none).</param>
    /// <param name="ruleNames">Leaves a route rule masks.</param>
    public string Key(bool withAuthority, IReadOnlySet<string>? volatileNames, VolatileFormats? formats, IReadOnlySet<string>? ruleNames = null)
    {
        var builder = t_builder ??= new System.Text.StringBuilder(256);
        builder.Clear();
        builder.Append(Method).Append('\n');
        if (withAuthority)
        {
            builder.Append(Authority);
        }

        builder.Append('\n').Append(SoapAction).Append('\n');
        foreach (var leaf in Leaves)
        {
            builder.Append(leaf.Key).Append('=');
            if (IsVolatile(leaf, volatileNames, formats) || (ruleNames is not null && ruleNames.Contains(leaf.Key)))
            {
                builder.Append('\u0001');
            }
            else
            {
                builder.Append(leaf.Value);
            }

            builder.Append('\n');
        }

        var key = builder.ToString();
        if (builder.Capacity > 4096)
        {
            t_builder = null; // do not keep a huge buffer per thread
        }

        return key;
    }

    [ThreadStatic]
    private static System.Text.StringBuilder? t_builder;

    /// <summary>True when the leaf is masked by the volatile tier.</summary>
    public static bool IsVolatile(KeyValuePair<string, string> leaf, IReadOnlySet<string>? volatileNames, VolatileFormats? formats) =>
        (volatileNames is not null && volatileNames.Contains(leaf.Key))
        || (formats is not null && !leaf.Key.StartsWith("path[", StringComparison.Ordinal) && formats.IsVolatileValue(leaf.Value))
        || (formats is not null && leaf.Key.StartsWith("path[", StringComparison.Ordinal) && VolatileFormats.IsPathId(leaf.Value));
}
