using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Reprise.Redaction.Tests.Corpus;

/// <summary>Searches output bytes for every representation in which a canary could have been written.</summary>
public static class LeakCheck
{
    /// <summary>Each canary's raw, JSON-escaped, URL-encoded, form-encoded and base64 forms (and, for cards, the bare digits; for keys, each line).</summary>
    public static IEnumerable<string> Forms(Canary canary)
    {
        var value = canary.Value;
        yield return value;
        yield return JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value;
        yield return JsonEncodedText.Encode(value).Value;
        yield return Uri.EscapeDataString(value);
        yield return WebUtility.UrlEncode(value);
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        if (canary.Kind == "card")
        {
            yield return new string([.. value.Where(char.IsAsciiDigit)]);
        }

        if (canary.Kind == "iban")
        {
            yield return value.Replace(" ", string.Empty, StringComparison.Ordinal);
        }

        if (canary.Kind == "private-key")
        {
            foreach (var line in value.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))
            {
                yield return line;
            }
        }
    }

    /// <summary>Every (canary, form) found in the bytes.</summary>
    public static List<string> Find(byte[] output, IEnumerable<Canary> canaries)
    {
        var leaks = new List<string>();
        foreach (var canary in canaries)
        {
            foreach (var form in Forms(canary).Distinct())
            {
                if (output.AsSpan().IndexOf(Encoding.UTF8.GetBytes(form)) >= 0)
                {
                    leaks.Add($"{canary.Kind}: '{form}'");
                    break;
                }
            }
        }

        return leaks;
    }
}
