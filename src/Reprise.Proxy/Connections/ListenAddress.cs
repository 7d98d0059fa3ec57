using System.Globalization;
using System.Net;

namespace Reprise.Proxy.Connections;

/// <summary>Parses listen addresses (<c>--listen</c>, <c>--proxy-listen</c>, <c>--h2c-listen</c> of record and mock): <c>127.0.0.1:9000</c>, <c>[::1]:9000</c>, <c>localhost:0</c>, <c>0.0.0.0:80</c> or a bare port (loopback).</summary>
public static class ListenAddress
{
    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out IPEndPoint endpoint, out string? error)
    {
        endpoint = new IPEndPoint(IPAddress.Loopback, 0);
        error = null;
        var value = text?.Trim() ?? string.Empty;
        if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            value = value["http://".Length..].TrimEnd('/');
        }

        if (value.Length == 0)
        {
            error = "empty address (expected HOST:PORT, e.g. 127.0.0.1:9000)";
            return false;
        }

        string hostPart;
        string portPart;
        var colon = value.LastIndexOf(':');
        if (colon < 0)
        {
            hostPart = "127.0.0.1";
            portPart = value;
        }
        else
        {
            hostPart = value[..colon];
            portPart = value[(colon + 1)..];
        }

        if (!int.TryParse(portPart, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            error = $"'{text}' has no valid port (expected HOST:PORT with PORT 0-65535)";
            return false;
        }

        if (hostPart.StartsWith('[') && hostPart.EndsWith(']'))
        {
            hostPart = hostPart[1..^1];
        }

        IPAddress? address;
        if (hostPart.Length == 0 || hostPart.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(hostPart, out address))
        {
            error = $"'{text}': '{hostPart}' is not an IP address (use 127.0.0.1, 0.0.0.0, [::1] or localhost)";
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }
}
