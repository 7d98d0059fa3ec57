namespace Reprise.Core.Protocols;

/// <summary>
/// Which bodies are binary whatever bytes they hold: length-framed encodings (gRPC, protobuf, Thrift, MessagePack,
/// CBOR, Avro) are often valid UTF-8 as well (ASCII strings, small lengths), so a text rewrite that changes a value's
/// length would leave its length prefixes wrong and the message undecodable. Whoever rewrites a body (redaction,
/// replay correlation, <c>--multiplier</c> copies) changes such a body only at equal length.
/// </summary>
public static class BinaryBodies
{
    /// <summary>
    /// A media type whose bytes are framed binary: gRPC and gRPC-Web (not gRPC-Web text, which is base64), protobuf
    /// (not a JSON mapping of it such as <c>application/json+protobuf</c>), Thrift, MessagePack, CBOR and Avro.
    /// Case-insensitive; parameters allowed. <c>application/octet-stream</c> is not one by its type alone (see
    /// <see cref="IsBinary(string?, ReadOnlySpan{byte})"/>).
    /// </summary>
    public static bool IsBinaryMediaType(string? mediaType)
    {
        if (string.IsNullOrEmpty(mediaType))
        {
            return false;
        }

        var type = mediaType.AsSpan();
        var parameters = type.IndexOf(';');
        type = (parameters < 0 ? type : type[..parameters]).Trim(); // the type alone: messageType=acme.JsonPatch names no format
        if (type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase))
        {
            return !type.StartsWith("application/grpc-web-text", StringComparison.OrdinalIgnoreCase);
        }

        if (type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return false; // application/json+protobuf, application/x-msgpack+json…: text
        }

        return type.Contains("protobuf", StringComparison.OrdinalIgnoreCase)
            || type.StartsWith("application/x-thrift", StringComparison.OrdinalIgnoreCase)
            || type.StartsWith("application/vnd.apache.thrift", StringComparison.OrdinalIgnoreCase)
            || type.Contains("msgpack", StringComparison.OrdinalIgnoreCase)
            || type.StartsWith("application/cbor", StringComparison.OrdinalIgnoreCase)
            || type.StartsWith("application/avro", StringComparison.OrdinalIgnoreCase)
            || type.StartsWith("avro/binary", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A body to treat as binary: a <see cref="IsBinaryMediaType(string?)"/> type, or <c>application/octet-stream</c>
    /// whose content does not start (after whitespace) with <c>{</c>, <c>[</c> or <c>&lt;</c>; an octet stream holding
    /// JSON or XML is read as what it holds.
    /// </summary>
    public static bool IsBinary(string? mediaType, ReadOnlySpan<byte> content)
    {
        if (IsBinaryMediaType(mediaType))
        {
            return true;
        }

        if (mediaType is null || !mediaType.AsSpan().Trim().StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var trimmed = content.TrimStart(" \t\r\n"u8);
        return trimmed.IsEmpty || trimmed[0] is not ((byte)'{' or (byte)'[' or (byte)'<');
    }
}
