namespace Reprise.Core.Protocols;

/// <summary>W3C Trace Context (<see href="https://www.w3.org/TR/trace-context/"/>) parsing and creation.</summary>
public static class TraceContext
{
    /// <summary>The traceparent header name.</summary>
    public const string HeaderName = "traceparent";

    /// <summary>Parses <c>00-{trace-id:32}-{parent-id:16}-{flags:2}</c>. Rejects all-zero ids as the spec requires.</summary>
    public static bool TryParse(string? traceparent, out string traceId, out string parentId)
    {
        traceId = parentId = string.Empty;
        var span = traceparent.AsSpan().Trim();
        if (span.Length < 55 || span[2] != '-' || span[35] != '-' || span[52] != '-')
        {
            return false;
        }

        var trace = span.Slice(3, 32);
        var parent = span.Slice(36, 16);
        if (!IsLowerHex(trace) || !IsLowerHex(parent) || !trace.ContainsAnyExcept('0') || !parent.ContainsAnyExcept('0'))
        {
            return false;
        }

        traceId = trace.ToString();
        parentId = parent.ToString();
        return true;
    }

    /// <summary>Formats a traceparent header value (sampled flag set).</summary>
    public static string Format(string traceId, string spanId) => $"00-{traceId}-{spanId}-01";

    /// <summary>A new random 32-hex trace id.</summary>
    public static string NewTraceId() => RandomHex(16);

    /// <summary>A new random 16-hex span id.</summary>
    public static string NewSpanId() => RandomHex(8);

    /// <remarks>
    /// The bits come from <see cref="Random.Shared"/> (a per-thread generator seeded from the OS): trace ids
    /// must be unique, not secret, and the OS generator costs a system call on every request a proxy forwards.
    /// </remarks>
    private static string RandomHex(int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        Random.Shared.NextBytes(buffer);
        buffer[0] |= 1; // never all zero
        return Convert.ToHexStringLower(buffer);
    }

    private static bool IsLowerHex(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
