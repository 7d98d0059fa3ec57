using System.Runtime.CompilerServices;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;

namespace Reprise.Core.Recording;

/// <summary>
/// Streams the exchanges of a <c>*.reprise.jsonl[.gz|.zst]</c> file in constant memory.
/// A torn last line (crash mid-write) is skipped with a warning; any other bad line is an error
/// naming file and line unless <see cref="RecordingReadOptions.SkipInvalid"/> is set.
/// </summary>
public sealed class RecordingReader : IExchangeSource, IReportsProgress
{
    private FileStream? _file;

    private readonly string _path;
    private readonly RecordingReadOptions _options;

    public RecordingReader(string path, RecordingReadOptions? options = null)
    {
        _path = path;
        _options = options ?? new RecordingReadOptions();
    }

    /// <inheritdoc />
    public double? Fraction => _file is { CanSeek: true, Length: > 0 } file ? Math.Min(1.0, (double)file.Position / file.Length) : null;

    /// <inheritdoc />
    public string Name => "recording";

    /// <summary>The header, available once enumeration has started (or after <see cref="ReadHeaderAsync"/>).</summary>
    public RecordingHeader? Header { get; private set; }

    /// <summary>Reads only the header line.</summary>
    public async Task<RecordingHeader> ReadHeaderAsync(CancellationToken cancellationToken = default)
    {
        await foreach (var _ in ReadCoreAsync(headerOnly: true, cancellationToken).ConfigureAwait(false))
        {
        }

        return Header!;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<Exchange> ReadAsync(CancellationToken cancellationToken = default) =>
        ReadCoreAsync(headerOnly: false, cancellationToken);

    private async IAsyncEnumerable<Exchange> ReadCoreAsync(bool headerOnly, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RecordingFormatException(_path, 0, "no such file");
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            // .NET reports a directory as "Access to the path ... is denied", which sends users after permissions.
            throw new RecordingFormatException(_path, 0, Directory.Exists(_path) ? "is a directory, not a file" : "cannot open: " + ex.Message);
        }

        _file = file;
        var compression = RecordingCompressionExtensions.FromPath(_path);
        await using var stream = compression.WrapForRead(file);
        using var lines = new LineReader(stream);
        var sawHeader = false;
        while (true)
        {
            (bool Found, ReadOnlyMemory<byte> Line, bool Terminated) next;
            try
            {
                next = lines.ReadLine(cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException or ZstdSharp.ZstdException)
            {
                var message = $"{(compression == RecordingCompression.None ? "read failed" : $"truncated or corrupt {compression.ToString().ToLowerInvariant()} stream")} after line {lines.LineNumber} ({ex.Message.TrimEnd('.')})";
                if (!_options.SkipInvalid)
                {
                    throw new RecordingFormatException(_path, 0, message + "; --skip-invalid keeps the lines before it", ex);
                }

                Warn(lines.LineNumber, message + "; the lines before it were kept");
                yield break;
            }

            if (!next.Found)
            {
                break;
            }

            if (IsBlank(next.Line.Span))
            {
                continue;
            }

            if (!sawHeader)
            {
                Header = ParseHeaderLine(next.Line, lines.LineNumber);
                sawHeader = true;
                if (headerOnly)
                {
                    yield break;
                }

                continue;
            }

            Exchange exchange;
            try
            {
                exchange = ExchangeJson.Parse(next.Line.Span);
            }
            catch (FormatException ex)
            {
                if (!next.Terminated)
                {
                    Warn(lines.LineNumber, "torn last line (the writer stopped mid-line) skipped; every line before it was kept");
                    break;
                }

                // `cat a.reprise.jsonl b.reprise.jsonl > both.reprise.jsonl` puts b's header here: say so, not "no 'id'".
                var message = IsHeaderLine(next.Line.Span)
                    ? "a second recording header: two recordings were concatenated? read each file on its own, or delete this line when both were made with the same redaction policy and key"
                    : ex.Message;
                if (!_options.SkipInvalid)
                {
                    throw new RecordingFormatException(_path, lines.LineNumber, message + " (--skip-invalid skips bad lines)", ex);
                }

                Warn(lines.LineNumber, "skipped invalid line: " + message);
                continue;
            }

            yield return exchange;
        }

        if (!sawHeader)
        {
            throw new RecordingFormatException(_path, 0, "empty file: not a Reprise recording (expected a header line)");
        }
    }

    private static bool IsHeaderLine(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(JsonNames.Format))
                {
                    return reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.String && reader.ValueTextEquals(RecordingFormat.FormatName);
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // not JSON: not a header either
        }

        return false;
    }

    private RecordingHeader ParseHeaderLine(ReadOnlyMemory<byte> line, long lineNumber)
    {
        RecordingHeader header;
        try
        {
            header = ExchangeJson.ParseHeader(line.Span);
        }
        catch (FormatException ex)
        {
            var hint = line.Span.TrimStart(" \t"u8) is [(byte)'{'] || _path.EndsWith(".har", StringComparison.OrdinalIgnoreCase)
                ? " (a HAR file? use 'reprise import')"
                : string.Empty;
            throw new RecordingFormatException(_path, lineNumber, ex.Message + hint, ex);
        }

        if (header.Version > RecordingFormat.CurrentVersion || header.Version < 1)
        {
            throw new RecordingFormatException(_path, lineNumber, $"unsupported format version {header.Version} (this reprise reads versions 1 to {RecordingFormat.CurrentVersion}; upgrade reprise)");
        }

        return header;
    }

    private void Warn(long line, string message) => _options.OnWarning?.Invoke(new RecordingWarning(_path, line, message));

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t"u8).IsEmpty;
}
