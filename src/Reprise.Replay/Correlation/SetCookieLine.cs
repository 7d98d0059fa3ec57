namespace Reprise.Replay.Correlation;

/// <summary>One <c>Set-Cookie</c> header read once: the cookie's name and value, and (for a named cookie) its attributes.</summary>
/// <param name="Header">The header's value, whole.</param>
/// <param name="Name">The cookie's name; empty when the header names none (it sets nothing).</param>
/// <param name="Value">The cookie's value.</param>
/// <param name="Attributes">Its attributes (none read for a nameless header).</param>
internal sealed record SetCookieLine(string Header, string Name, string Value, SetCookieAttributes Attributes)
{
    /// <summary>Reads a <c>Set-Cookie</c> header's value.</summary>
    public static SetCookieLine Read(string header)
    {
        var (name, value) = Correlator.CookiePair(header);
        return new SetCookieLine(header, name, value, name.Length == 0 ? default : SetCookieAttributes.Read(header));
    }
}
