using System.Collections.Immutable;
using Reprise.Core.Model;

namespace Reprise.Replay.Correlation;

/// <summary>
/// One response's <c>Set-Cookie</c> headers, read once (<see cref="SetCookieLine"/>): grouped by cookie name and by name and
/// path (RFC 6265 keys a cookie by name, domain and path; the domain is the responding host's for every header of one
/// response), in order.
/// </summary>
internal sealed class SetCookies
{
    private readonly Dictionary<string, List<SetCookieLine>> _byName = new(StringComparer.Ordinal);

    /// <summary>
    /// Reads <paramref name="headers"/>, the answer to a request for <paramref name="request"/> (the request URL's
    /// <see cref="CookieScope.HostAndPath"/>: it gives a cookie without <c>Path</c> its default path).
    /// </summary>
    public SetCookies(ImmutableArray<HeaderField> headers, (string Host, string Path) request)
    {
        Headers = headers;
        Request = request;
        foreach (var header in headers)
        {
            if (!header.Name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var line = SetCookieLine.Read(header.Value);
            All.Add(line);
            if (line.Name.Length == 0)
            {
                continue;
            }

            Add(_byName, line.Name, line);
            var key = (line.Name, CookieScope.Of(line.Attributes, request, readDomain: false).Path);
            if (!ByPath.TryGetValue(key, out var list))
            {
                list = [];
                ByPath[key] = list;
                Order.Add(key);
            }

            list.Add(line);
        }
    }

    /// <summary>The response's headers (a deletion is judged against its <c>Date</c>).</summary>
    public ImmutableArray<HeaderField> Headers { get; }

    /// <summary>The host and path of the request the response answered.</summary>
    public (string Host, string Path) Request { get; }

    /// <summary>Every <c>Set-Cookie</c> header of the response, in order, nameless ones included.</summary>
    public List<SetCookieLine> All { get; } = [];

    /// <summary>The <c>Set-Cookie</c> headers of each name and path, in the order the response first sets each.</summary>
    public IEnumerable<((string Name, string Path) Key, List<SetCookieLine> Values)> Groups => Order.Select(key => (key, ByPath[key]));

    private Dictionary<(string Name, string Path), List<SetCookieLine>> ByPath { get; } = [];

    private List<(string Name, string Path)> Order { get; } = [];

    /// <summary>How many times the response sets a cookie of that name, in any path.</summary>
    public int Count(string name) => _byName.TryGetValue(name, out var list) ? list.Count : 0;

    /// <summary>How many times the response sets the cookie of that name and path.</summary>
    public int Count(string name, string path) => ByPath.TryGetValue((name, path), out var list) ? list.Count : 0;

    /// <summary>
    /// The <paramref name="occurrence"/>-th <c>Set-Cookie</c> of that name and path (the last one when it has
    /// fewer). A response may set one cookie more than once, a browser keeping the last: PHP's
    /// <c>session_regenerate_id</c> after a login writes <c>roundcube_sessauth=-del-</c> (expired) and then the new value,
    /// and pairing every recorded occurrence with the first sent the deletion marker as the session's cookie. When the
    /// response sets that name for no such path (the new build moved the cookie), the occurrence among that name's.
    /// </summary>
    public SetCookieLine? Find(string name, string path, int occurrence)
    {
        if (!ByPath.TryGetValue((name, path), out var list) && !_byName.TryGetValue(name, out list))
        {
            return null;
        }

        return occurrence < list.Count ? list[occurrence] : list[^1];
    }

    private static void Add(Dictionary<string, List<SetCookieLine>> map, string key, SetCookieLine value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }

        list.Add(value);
    }
}
