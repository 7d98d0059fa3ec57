namespace Reprise.Mock.Matching;

/// <summary>
/// Weighted similarity of two request shapes in [0,1]: path segments weigh 3, other leaves 1;
/// a different SOAP action or GraphQL document scores 0. Volatile leaves compare equal. Only used after both keyed tiers
/// missed, and only over one method+host bucket.
/// </summary>
internal static class Similarity
{
    private const double PathWeight = 3;

    // operations: false compares leaves alone, scoring another SOAP action or GraphQL document like any other differing
    // leaf (ranks the candidates of a miss: the recorded calls of the same endpoint come before unrelated ones).
    public static double Score(RequestShape live, RequestShape recorded, IReadOnlySet<string>? volatileNames, VolatileFormats? formats, IReadOnlySet<string>? ruleNames = null, bool operations = true)
    {
        if (operations && !string.Equals(live.SoapAction, recorded.SoapAction, StringComparison.Ordinal))
        {
            return 0;
        }

        double same = 0, total = 0;
        int i = 0, j = 0;
        var a = live.Leaves;
        var b = recorded.Leaves;
        while (i < a.Length || j < b.Length)
        {
            var cmp = i >= a.Length ? 1 : j >= b.Length ? -1 : string.CompareOrdinal(a[i].Key, b[j].Key);
            if (cmp == 0)
            {
                if (operations && !string.Equals(a[i].Value, b[j].Value, StringComparison.Ordinal) && VolatileLearner.IsOperation(a[i].Key, b[j].Value)
                    && ruleNames?.Contains(a[i].Key) != true && volatileNames?.Contains(a[i].Key) != true)
                {
                    return 0; // another GraphQL operation, like another SOAP action
                }

                var weight = Weight(a[i].Key);
                total += weight;
                if (string.Equals(a[i].Value, b[j].Value, StringComparison.Ordinal)
                    || (ruleNames is not null && ruleNames.Contains(a[i].Key))
                    || (RequestShape.IsVolatile(a[i], volatileNames, formats) && RequestShape.IsVolatile(b[j], volatileNames, formats)))
                {
                    same += weight;
                }

                i++;
                j++;
            }
            else if (cmp < 0)
            {
                total += Weight(a[i++].Key);
            }
            else
            {
                total += Weight(b[j++].Key);
            }
        }

        return total == 0 ? 1 : same / total;
    }

    /// <summary>Human-readable differences: <c>query.page: '2' (recorded '1')</c>, <c>missing body.$.x</c>.</summary>
    /// <remarks>
    /// A leaf whose two values are both volatile (configured, learned or shaped like a timestamp, UUID or nonce) is left
    /// out: it never decides a match, so naming it sends the reader after noise instead of the difference that missed. A live
    /// value where the recording holds a mask or token is not shown: the recording says the leaf held a secret or personal
    /// value, which the live request's own redaction may not have recognised (a password the recorder masked because an
    /// earlier exchange had shown it, as an XML-RPC positional parameter), and misses reach the miss body, journal and report.
    /// The same holds at a leaf another recorded request holds redacted (<paramref name="redactedLeaves"/>): the positional
    /// parameter of another call. What counts as redacted is <see cref="RecordedRedaction.Holds"/>; <paramref name="recordedRedacted"/>
    /// says whether redaction changed the recorded request (a mask-shaped value in one it did not is the application's own).
    /// </remarks>
    public static List<string> Differences(RequestShape live, RequestShape recorded, IReadOnlySet<string>? volatileNames = null, VolatileFormats? formats = null, IReadOnlySet<string>? redactedLeaves = null, bool recordedRedacted = true)
    {
        var list = new List<string>();
        if (!string.Equals(live.Method, recorded.Method, StringComparison.Ordinal))
        {
            list.Add($"method: '{live.Method}' (recorded '{recorded.Method}')");
        }

        if (!string.Equals(live.Authority, recorded.Authority, StringComparison.Ordinal) && live.Authority.Length > 0)
        {
            list.Add($"host: '{live.Authority}' (recorded '{recorded.Authority}')");
        }

        if (!string.Equals(live.SoapAction, recorded.SoapAction, StringComparison.Ordinal))
        {
            list.Add($"soapAction: '{live.SoapAction}' (recorded '{recorded.SoapAction}')");
        }

        int i = 0, j = 0;
        var a = live.Leaves;
        var b = recorded.Leaves;
        while ((i < a.Length || j < b.Length) && list.Count < 20)
        {
            var cmp = i >= a.Length ? 1 : j >= b.Length ? -1 : string.CompareOrdinal(a[i].Key, b[j].Key);
            if (cmp == 0)
            {
                if (!string.Equals(a[i].Value, b[j].Value, StringComparison.Ordinal)
                    && !(RequestShape.IsVolatile(a[i], volatileNames, formats) && RequestShape.IsVolatile(b[j], volatileNames, formats)))
                {
                    list.Add((RecordedRedaction.Holds(b[j].Value, recordedRedacted) || redactedLeaves?.Contains(a[i].Key) == true) && !Reprise.Core.Model.RedactedValue.IsRedactionOutput(a[i].Value)
                        ? $"{a[i].Key}: live value withheld (recorded redacted: '{Clip(b[j].Value)}')"
                        : $"{a[i].Key}: '{Clip(a[i].Value)}' (recorded '{Clip(b[j].Value)}')");
                }

                i++;
                j++;
            }
            else if (cmp < 0)
            {
                list.Add($"{a[i++].Key}: not in the recorded request");
            }
            else
            {
                list.Add($"{b[j++].Key}: missing (recorded '{Clip(b[j - 1].Value)}')");
            }
        }

        return list;
    }

    private static double Weight(string name) => name.StartsWith("path[", StringComparison.Ordinal) ? PathWeight : 1;

    private static string Clip(string value) => value.Length <= 80 ? value : value[..77] + "...";
}
