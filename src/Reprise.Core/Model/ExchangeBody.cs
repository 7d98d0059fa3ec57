using System.Text;

namespace Reprise.Core.Model;

/// <summary>
/// A request or response body. <see cref="Content"/> holds the stored bytes; when the body was cut
/// at the capture cap, <see cref="Truncated"/> is set and <see cref="Size"/> still says how large it was.
/// </summary>
public sealed record ExchangeBody
{
    /// <summary>The stored bytes (possibly cut at the body cap).</summary>
    public ReadOnlyMemory<byte> Content { get; init; }

    /// <summary>The media type from Content-Type, without parameters lost (e.g. <c>application/json; charset=utf-8</c>).</summary>
    public string? MediaType { get; init; }

    /// <summary>The size of the body on the wire in bytes, before any truncation.</summary>
    public long Size { get; init; }

    /// <summary>True when <see cref="Content"/> holds only the first part of the body.</summary>
    public bool Truncated { get; init; }

    /// <summary>A note on how the stored bytes differ from the wire (e.g. <c>decoded from gzip</c>).</summary>
    public string? Note { get; init; }

    /// <summary>True when the stored bytes are valid UTF-8 and so are stored as text.</summary>
    public bool IsText => System.Text.Unicode.Utf8.IsValid(Content.Span);

    /// <summary>The body decoded as UTF-8 (replacement characters where it is not text).</summary>
    public string Text => Encoding.UTF8.GetString(Content.Span);

    /// <summary>Creates a complete (untruncated) body from bytes.</summary>
    public static ExchangeBody FromBytes(ReadOnlyMemory<byte> content, string? mediaType) =>
        new() { Content = content, MediaType = mediaType, Size = content.Length };

    /// <summary>Creates a complete (untruncated) body from text, encoded as UTF-8.</summary>
    public static ExchangeBody FromText(string text, string? mediaType) =>
        FromBytes(Encoding.UTF8.GetBytes(text), mediaType);
}
