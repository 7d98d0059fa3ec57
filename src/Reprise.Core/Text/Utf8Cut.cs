using System.Buffers;
using System.Text;

namespace Reprise.Core.Text;

/// <summary>
/// Text that was cut at a byte limit (a body truncated at the capture cap) may end inside a multi-byte
/// UTF-8 sequence. Such bytes are text; bytes that are invalid anywhere else are binary.
/// </summary>
public static class Utf8Cut
{
    /// <summary>
    /// The length of the valid UTF-8 text in <paramref name="content"/> when all of it is valid UTF-8 except
    /// at most one incomplete (but so far valid) multi-byte sequence at the very end; -1 when it is not text.
    /// </summary>
    public static int TextLength(ReadOnlySpan<byte> content)
    {
        if (System.Text.Unicode.Utf8.IsValid(content))
        {
            return content.Length;
        }

        // A sequence is at most 4 bytes: an incomplete one at the end is 1 to 3 bytes long.
        for (var tail = 1; tail <= 3 && tail <= content.Length; tail++)
        {
            var cut = content.Length - tail;
            if (Rune.DecodeFromUtf8(content[cut..], out _, out _) == OperationStatus.NeedMoreData
                && System.Text.Unicode.Utf8.IsValid(content[..cut]))
            {
                return cut;
            }
        }

        return -1;
    }

    /// <summary>True when <paramref name="content"/> is text, allowing an incomplete sequence at the end only when <paramref name="truncated"/>.</summary>
    public static bool IsText(ReadOnlySpan<byte> content, bool truncated) =>
        truncated ? TextLength(content) >= 0 : System.Text.Unicode.Utf8.IsValid(content);
}
