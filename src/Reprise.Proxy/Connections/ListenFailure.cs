using System.Net;
using System.Net.Sockets;

namespace Reprise.Proxy.Connections;

/// <summary>
/// Turns a failed Kestrel start into one line naming the flag and address that could not be bound
/// (<c>--listen 127.0.0.1:8082: cannot listen: Address already in use</c>). Kestrel's own message
/// names neither the flag nor, for port 0 or an address not on this host, the address.
/// </summary>
public static class ListenFailure
{
    /// <summary>
    /// Describes <paramref name="failure"/>: each listener (flag, endpoint), in order, is bound once more
    /// on its own after the server gave up, and the first that still cannot be bound is named with the
    /// operating system's reason. When every one binds alone (a race, or two flags on one address),
    /// the listener whose port the message names, else the first, is named with Kestrel's reason.
    /// </summary>
    public static string Describe(IReadOnlyList<KeyValuePair<string, IPEndPoint>> listeners, Exception failure)
    {
        ArgumentNullException.ThrowIfNull(listeners);
        ArgumentNullException.ThrowIfNull(failure);
        foreach (var (flag, endpoint) in listeners)
        {
            if (TryBind(endpoint) is { } reason)
            {
                return $"{flag} {endpoint}: cannot listen: {reason}";
            }
        }

        var message = FirstLine(failure.InnerException?.Message ?? failure.Message);
        foreach (var (flag, endpoint) in listeners)
        {
            if (endpoint.Port != 0 && failure.Message.Contains(":" + endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
            {
                return $"{flag} {endpoint}: cannot listen: {message}";
            }
        }

        return listeners.Count == 0 ? "cannot listen: " + message : $"{listeners[0].Key} {listeners[0].Value}: cannot listen: {message}";
    }

    /// <summary>Null when <paramref name="endpoint"/> can be bound and listened on now, else the reason.</summary>
    internal static string? TryBind(IPEndPoint endpoint)
    {
        try
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (!OperatingSystem.IsWindows())
            {
                // As Kestrel does: a port in TIME_WAIT is bindable, one that is listened on is not.
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            socket.Bind(endpoint);
            socket.Listen(1);
            return null;
        }
        catch (SocketException ex)
        {
            return ex.Message;
        }
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }
}
