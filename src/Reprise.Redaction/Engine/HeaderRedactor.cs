using System.Collections.Immutable;
using System.Text;
using Reprise.Core.Model;
using Reprise.Redaction.Actions;
using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Engine;

/// <summary>
/// Headers: rules first, then the deny list (value redacted whole, keeping what is structure: the
/// auth scheme, cookie names and Set-Cookie attributes), then detectors on everything not allow-listed.
/// </summary>
internal static class HeaderRedactor
{
    public static ImmutableArray<HeaderField> Redact(ImmutableArray<HeaderField> headers, RedactionSession session, string location)
    {
        if (headers.IsDefaultOrEmpty)
        {
            return headers;
        }

        ImmutableArray<HeaderField>.Builder? builder = null;
        for (var i = 0; i < headers.Length; i++)
        {
            var header = headers[i];
            var replaced = RedactOne(header, session, location, out var drop);
            if (replaced is null && !drop)
            {
                builder?.Add(header);
                continue;
            }

            if (builder is null)
            {
                builder = ImmutableArray.CreateBuilder<HeaderField>(headers.Length);
                for (var j = 0; j < i; j++)
                {
                    builder.Add(headers[j]);
                }
            }

            if (!drop)
            {
                builder.Add(new HeaderField(header.Name, replaced!));
            }
        }

        return builder is null ? headers : builder.ToImmutable();
    }

    private static string? RedactOne(HeaderField header, RedactionSession session, string location, out bool drop)
    {
        drop = false;
        var lower = header.Name.ToLowerInvariant();
        var where = location + ":" + lower;
        if (header.Value.Length == 0 || session.IsSkipped(where))
        {
            return null;
        }

        foreach (var rule in session.Model.HeaderRules)
        {
            if ((rule.Scope & session.Side) != 0 && rule.Key == lower)
            {
                return Whole(header, lower, rule.Kind, rule.Action, rule.Name, where, session, out drop);
            }
        }

        var headers = session.Model.Headers;
        if (headers.IsAllowed(lower))
        {
            return null;
        }

        if (IsUrlHeader(lower))
        {
            // The same URL redaction as request.Url, so ":path: /cb?code=..." and Referer/Location never keep what the URL lost.
            return UrlRedactor.Redact(header.Value, session, where);
        }

        if (headers.IsDenied(lower))
        {
            return Whole(header, lower, DataKind.Secret, headers.Action, "header-deny", where, session, out drop);
        }

        return session.RedactText(header.Value, where);
    }

    private static bool IsUrlHeader(string lower) => lower is ":path" or "location" or "content-location" or "referer";

    private static string? Whole(HeaderField header, string lower, DataKind kind, ActionSpec action, string rule, string where, RedactionSession session, out bool drop)
    {
        drop = false;
        if (action.Action == RedactionAction.Keep)
        {
            return null;
        }

        if (action.Action == RedactionAction.Drop)
        {
            session.Record(where, rule, action, kind, header.Value);
            drop = true;
            return null;
        }

        var value = header.Value;
        string? result = lower switch
        {
            "cookie" => Pairs(value, "; ", attributes: false, kind, action, session),
            "set-cookie" => Pairs(value, ";", attributes: true, kind, action, session),
            "authorization" or "proxy-authorization" => Scheme(value, kind, action, session),
            _ => Redacted(value, kind, action, session),
        };
        if (result is null || result == value)
        {
            return null;
        }

        session.Record(where, rule, action, kind, value);
        return result;
    }

    private static string? Redacted(string value, DataKind kind, ActionSpec action, RedactionSession session) =>
        TokenFormat.IsRedactedOutput(value) ? null : session.Apply(value, kind, action) ?? string.Empty;

    private static string? Scheme(string value, DataKind kind, ActionSpec action, RedactionSession session)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space > 20)
        {
            return Redacted(value, kind, action, session);
        }

        var credential = value[(space + 1)..].TrimStart();
        var redacted = Redacted(credential, kind, action, session);
        return redacted is null ? null : value[..(space + 1)] + redacted;
    }

    private static string? Pairs(string value, string separator, bool attributes, DataKind kind, ActionSpec action, RedactionSession session)
    {
        var parts = value.Split(';');
        var sb = new StringBuilder(value.Length);
        var changed = false;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (i > 0)
            {
                sb.Append(';');
            }

            // Set-Cookie: only the first pair is the cookie; the rest are attributes (Path, Expires, HttpOnly...).
            if (attributes && i > 0)
            {
                sb.Append(part);
                continue;
            }

            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                sb.Append(part);
                continue;
            }

            var cookieValue = part[(eq + 1)..];
            var redacted = cookieValue.Length == 0 ? null : Redacted(cookieValue, kind, action, session);
            changed |= redacted is not null;
            sb.Append(part, 0, eq + 1).Append(redacted ?? cookieValue);
        }

        _ = separator;
        return changed ? sb.ToString() : null;
    }
}
