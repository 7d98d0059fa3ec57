using System.Text;

namespace Reprise.Redaction.Engine;

/// <summary>
/// Binary bodies (protobuf, gRPC frames, files): runs of printable ASCII are scanned and matches are
/// masked in place, character for character, so lengths and framing are unchanged.
/// </summary>
internal static class BinaryRedactor
{
    private const int MinimumRun = 6;

    public static byte[]? Redact(byte[] content, RedactionSession session, string location)
    {
        byte[]? output = null;
        var i = 0;
        session.SameLengthOnly = true;
        try
        {
            while (i < content.Length)
            {
                if (!IsPrintable(content[i]))
                {
                    i++;
                    continue;
                }

                var start = i;
                while (i < content.Length && IsPrintable(content[i]))
                {
                    i++;
                }

                if (i - start < MinimumRun)
                {
                    continue;
                }

                var text = Encoding.ASCII.GetString(content, start, i - start);
                if (session.RedactText(text, location + ":binary") is { } redacted && redacted.Length == text.Length)
                {
                    output ??= (byte[])content.Clone();
                    Encoding.ASCII.GetBytes(redacted, 0, redacted.Length, output, start);
                }
            }
        }
        finally
        {
            session.SameLengthOnly = false;
        }

        return output;
    }

    private static bool IsPrintable(byte b) => b is >= 0x20 and < 0x7f or (byte)'\t' or (byte)'\n' or (byte)'\r';
}
