namespace Reprise.Capture.WebSockets;

/// <summary>
/// The permessage-deflate parameters the server accepted in its 101 response (RFC 7692 section 7.1).
/// Only context takeover matters for decoding: a 32 KB inflate window reads any <c>*_max_window_bits</c>.
/// </summary>
/// <param name="ServerNoContextTakeover">The server resets its compressor after every message.</param>
/// <param name="ClientNoContextTakeover">The client resets its compressor after every message.</param>
internal sealed record PerMessageDeflate(bool ServerNoContextTakeover, bool ClientNoContextTakeover)
{
    /// <summary>
    /// Reads a <c>Sec-WebSocket-Extensions</c> response value: the permessage-deflate entry (null when
    /// none), and the names of any other extensions (whose RSV bits this decoder cannot interpret).
    /// </summary>
    public static PerMessageDeflate? Parse(string? header, out string? otherExtensions)
    {
        otherExtensions = null;
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        PerMessageDeflate? deflate = null;
        foreach (var extension in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parameters = extension.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parameters.Length == 0)
            {
                continue;
            }

            if (!parameters[0].Equals("permessage-deflate", StringComparison.OrdinalIgnoreCase) || deflate is not null)
            {
                otherExtensions = otherExtensions is null ? parameters[0] : otherExtensions + ", " + parameters[0];
                continue;
            }

            bool server = false, client = false;
            foreach (var parameter in parameters.AsSpan(1))
            {
                var name = parameter.Split('=', 2)[0].Trim();
                server |= name.Equals("server_no_context_takeover", StringComparison.OrdinalIgnoreCase);
                client |= name.Equals("client_no_context_takeover", StringComparison.OrdinalIgnoreCase);
            }

            deflate = new PerMessageDeflate(server, client);
        }

        return deflate;
    }
}
