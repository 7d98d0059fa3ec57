using System.Collections.Frozen;
using Reprise.Core.Model;
using Reprise.Redaction.Detection;

namespace Reprise.Redaction.Actions;

/// <summary>
/// The shape of tokens and generated fakes: <c>tok_&lt;hint&gt;_&lt;16 base32&gt;</c> (emails:
/// <c>tok_email_…@redacted.example.com</c>, so they stay valid addresses, top-level domain included). Detectors never re-redact a value
/// of this shape, which is part of what makes redaction idempotent.
/// </summary>
public static class TokenFormat
{
    /// <summary>The type hint in a token for each kind.</summary>
    public static string Hint(DataKind kind) => kind switch
    {
        DataKind.Email => "email",
        DataKind.Phone => "phone",
        DataKind.PersonName => "name",
        DataKind.IpAddress => "ip",
        DataKind.CardNumber => "card",
        DataKind.Iban => "iban",
        DataKind.NationalId => "natid",
        DataKind.AccountId => "id",
        DataKind.Jwt => "jwt",
        DataKind.BearerToken => "bearer",
        DataKind.ApiKey => "key",
        DataKind.Secret => "secret",
        DataKind.Password => "pwd",
        DataKind.BirthDate => "dob",
        DataKind.PostalAddress => "addr",
        _ => "val",
    };

    /// <summary>The kind a <c>tok_&lt;hint&gt;_…</c> token was made for; null for anything else (fakes, masks, unknown hints).</summary>
    public static DataKind? KindOf(string token)
    {
        if (!token.StartsWith("tok_", StringComparison.Ordinal) || !RedactedValue.IsToken(token))
        {
            return null;
        }

        var end = token.IndexOf('_', 4);
        return end > 4 && KindsByHint.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(token.AsSpan(4, end - 4), out var kind) ? kind : null;
    }

    private static readonly FrozenDictionary<string, DataKind> KindsByHint = Enum.GetValues<DataKind>()
        .GroupBy(Hint, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Key == "val" ? DataKind.Generic : g.First(), StringComparer.Ordinal)
        .ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>True when the whole value is a token or generated fake secret (already redacted).</summary>
    public static bool IsToken(ReadOnlySpan<char> value) => RedactedValue.IsToken(value);

    /// <summary>True when the value contains nothing but mask characters, separators and at most a few kept characters, or is a token.</summary>
    public static bool IsRedactedOutput(ReadOnlySpan<char> value) => RedactedValue.IsRedactionOutput(value);

    /// <summary>Finds tokens inside text (so text scanners leave them alone).</summary>
    public static System.Text.RegularExpressions.Regex.ValueMatchEnumerator Find(string text) => RedactedValue.FindTokens(text);
}
