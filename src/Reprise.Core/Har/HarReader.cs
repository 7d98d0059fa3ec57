using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Reprise.Core.Model;
using Reprise.Core.Pipeline;
using Reprise.Core.Recording;

namespace Reprise.Core.Har;

/// <summary>
/// Streams the entries of a HAR 1.2 file (<c>log.entries[*]</c>) as exchanges without loading the
/// whole file: memory is bounded by the largest entry. Accepts what real tools export (Chrome,
/// Firefox, Charles, Postman): missing optional fields, base64 bodies, <c>_</c>-prefixed custom fields.
/// </summary>
public sealed class HarReader : IExchangeSource, IReportsProgress
{
    private FileStream? _file;

    private const int InitialBuffer = 1 << 20;
    private readonly string _path;
    private readonly HarImportOptions _options;
    private bool _warnedSkipped;
    private bool _warnedAttachments;

    public HarReader(string path, HarImportOptions? options = null)
    {
        _path = path;
        _options = options ?? new HarImportOptions();
        if (_options.AttachmentDirectory is null)
        {
            _options = _options with { AttachmentDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) };
        }
    }

    /// <inheritdoc />
    public double? Fraction => _file is { CanSeek: true, Length: > 0 } file ? Math.Min(1.0, (double)file.Position / file.Length) : null;

    /// <inheritdoc />
    public string Name => "har";

    /// <summary>
    /// The scheme of an entry's URL when it is not http(s) or ws(s) (<c>data</c>, <c>blob</c>, <c>chrome-extension</c>), or
    /// <see cref="Connect"/> for the CONNECT that opened a TLS tunnel (BrowserMob, Fiddler and other proxies list those
    /// beside the requests sent through them; replaying one would send CONNECT to the target); null otherwise.
    /// </summary>
    private static string? NotHttp(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("request", out var request) || request.ValueKind != JsonValueKind.Object
            || !request.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String || url.GetString() is not { } text)
        {
            return null; // the mapper reports a missing or malformed URL
        }

        if (request.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String
            && string.Equals(method.GetString(), Connect, StringComparison.OrdinalIgnoreCase))
        {
            return Connect;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || text.AsSpan(0, colon).ContainsAnyExcept(SchemeChars))
        {
            return null; // relative or odd: the mapper decides
        }

        var scheme = text[..colon].ToLowerInvariant();
        return scheme is "http" or "https" or "ws" or "wss" ? null : scheme;
    }

    private const string Connect = "CONNECT";

    private static readonly System.Buffers.SearchValues<char> SchemeChars = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");

    public async IAsyncEnumerable<Exchange> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        FileStream file;
        try
        {
            file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
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
        await using var stream = RecordingCompressionExtensions.FromPath(_path).WrapForRead(file);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        try
        {
            var scanner = new HarScanner();
            var attachments = new HarAttachments(_options.AttachmentDirectory);
            int start = 0, end = 0, index = 0;
            var eof = false;
            long linesBefore = 0;
            var pending = new List<JsonDocument>();
            long yielded = 0, skipped = 0;
            var skippedSchemes = new List<string>();
            while (true)
            {
                if (index == 0 && linesBefore == 0 && start == 0 && end >= 3 && buffer.AsSpan(0, 3).SequenceEqual("\uFEFF"u8))
                {
                    start = 3; // UTF-8 byte order mark (Fiddler and other Windows tools write one)
                }

                HarScanner.Result result;
                long consumed;
                try
                {
                    (result, consumed) = scanner.Scan(buffer.AsSpan(start, end - start), pending);
                }
                catch (JsonException ex)
                {
                    throw new RecordingFormatException(_path, linesBefore + (ex.LineNumber ?? 0) + 1, "not valid JSON: " + ex.Message.Split(" Path:")[0].TrimEnd('.'));
                }
                catch (FormatException ex)
                {
                    throw new RecordingFormatException(_path, 0, ex.Message);
                }

                linesBefore += buffer.AsSpan(start, (int)consumed).Count((byte)'\n');
                start += (int)consumed;
                foreach (var entry in pending)
                {
                    using (entry)
                    {
                        if (NotHttp(entry.RootElement) is { } scheme)
                        {
                            // Browsers list inlined images (data:), blobs and extension files beside real requests.
                            skipped++;
                            if (!skippedSchemes.Contains(scheme) && (skippedSchemes.Count < 4 || scheme == Connect))
                            {
                                skippedSchemes.Add(scheme);
                            }

                            index++;
                            continue;
                        }

                        Exchange exchange;
                        try
                        {
                            exchange = HarEntryMapper.ToExchange(entry.RootElement, _options, index, attachments);
                        }
                        catch (Exception ex) when (ex is FormatException or InvalidOperationException or KeyNotFoundException)
                        {
                            throw new RecordingFormatException(_path, 0, $"log.entries[{index}]: {ex.Message}");
                        }

                        index++;
                        yielded++;
                        yield return exchange;
                    }
                }

                pending.Clear();
                if (result == HarScanner.Result.Done)
                {
                    break;
                }

                if (eof)
                {
                    throw new RecordingFormatException(_path, linesBefore + 1, scanner.SawRoot
                        ? "truncated HAR: the file ends inside the JSON"
                        : "not a HAR file: expected a JSON object with a 'log'");
                }

                // Need more data: compact, grow if one entry is larger than the buffer, refill.
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Buffer.BlockCopy(buffer, 0, bigger, 0, end);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                eof = read == 0;
                end += read;
            }

            if (index == 0)
            {
                throw new RecordingFormatException(_path, 0, scanner.SawEntries ? "HAR has no entries" : "not a HAR file: no 'log.entries' array");
            }

            var schemes = skippedSchemes.Where(s => s != Connect).Select(s => s + ":").ToList();
            var what = string.Join(", ", new[] { schemes.Count > 0 ? string.Join(", ", schemes) + " URLs" : null, skippedSchemes.Contains(Connect) ? "CONNECT tunnels" : null }.OfType<string>());
            if (yielded == 0)
            {
                throw new RecordingFormatException(_path, 0, $"HAR has no HTTP entries (all {skipped:N0} are {what})");
            }

            if (attachments.MissingCount > 0 && !_warnedAttachments)
            {
                _warnedAttachments = true; // once per reader, like the skipped entries below
                var count = attachments.MissingCount;
                _options.OnWarning?.Invoke(new RecordingWarning(_path, 0,
                    $"{count:N0} {(count == 1 ? "body is in an attachment file that is" : "bodies are in attachment files that are")} not beside the HAR ({string.Join(", ", attachments.MissingNames)}{(attachments.MissingDistinctCount > attachments.MissingNames.Count ? ", ..." : string.Empty)}): imported without {(count == 1 ? "it" : "them")} (copy the files next to the HAR to keep them)"));
            }

            if (skipped > 0 && !_warnedSkipped)
            {
                _warnedSkipped = true; // once per reader: a replay that loops the file reads it again
                _options.OnWarning?.Invoke(new RecordingWarning(_path, 0, $"skipped {skipped:N0} entr{(skipped == 1 ? "y" : "ies")} that {(skipped == 1 ? "is" : "are")} not an HTTP request ({what})"));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
