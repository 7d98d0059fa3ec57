namespace Reprise.Core.Protocols;

/// <summary>Whether a <c>Content-Type</c> names JSON: <c>application/json</c> or a <c>+json</c> suffix (RFC 6839), parameters ignored.</summary>
public static class JsonMediaType
{
    /// <summary>True for <c>application/json; charset=utf-8</c>, <c>application/vnd.api+json</c>; false for null and other types.</summary>
    public static bool Is(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var type = contentType.AsSpan();
        var semi = type.IndexOf(';');
        type = (semi < 0 ? type : type[..semi]).Trim();
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }
}
