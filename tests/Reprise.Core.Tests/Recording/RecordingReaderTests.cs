using System.IO.Compression;
using System.Text;
using Reprise.Core.Recording;
using Reprise.Testing;
using Xunit;

namespace Reprise.Core.Tests.Recording;

public sealed class RecordingReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Read_MissingFile_ErrorNamesFile()
    {
        var path = _dir.File("missing.reprise.jsonl");
        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => ReadAll(path));
        Assert.Equal($"{path}: no such file", error.Message);
    }

    [Fact]
    public async Task Read_Directory_SaysSoInsteadOfAccessDenied()
    {
        // docs walk: `reprise inspect somedir` answered "cannot open: Access to the path '…' is denied."
        var path = _dir.File("somedir");
        Directory.CreateDirectory(path);
        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => ReadAll(path));
        Assert.Equal($"{path}: is a directory, not a file", error.Message);
        var har = await Assert.ThrowsAsync<RecordingFormatException>(async () =>
        {
            await foreach (var _ in new Reprise.Core.Har.HarReader(path).ReadAsync(TestContext.Current.CancellationToken))
            {
            }
        });
        Assert.Equal($"{path}: is a directory, not a file", har.Message);
    }

    [Fact]
    public async Task Read_EmptyFile_ErrorSaysNotARecording()
    {
        var path = _dir.File("empty.reprise.jsonl");
        await File.WriteAllTextAsync(path, string.Empty, TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => ReadAll(path));
        Assert.Contains("empty file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_NotJson_ErrorNamesLineOne()
    {
        var path = _dir.File("text.reprise.jsonl");
        await File.WriteAllTextAsync(path, "hello world\n", TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => ReadAll(path));
        Assert.StartsWith($"{path}:1: not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_BadLine3Of10_ErrorNamesFileAndLine3()
    {
        var path = await WriteLines(10, badLine: 3);
        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => ReadAll(path));
        Assert.Equal(3, error.Line);
        Assert.StartsWith($"{path}:3: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("--skip-invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_BadLineWithSkipInvalid_WarnsAndKeepsTheRest()
    {
        var path = await WriteLines(10, badLine: 3);
        var warnings = new List<RecordingWarning>();
        var read = await ReadAll(path, new RecordingReadOptions { SkipInvalid = true, OnWarning = warnings.Add });
        Assert.Equal(8, read.Count); // 10 lines = header + 9 exchanges, one of them bad
        Assert.Equal(3, Assert.Single(warnings).Line);
    }

    [Fact]
    public async Task Read_TwoRecordingsConcatenated_ErrorSaysSoAtTheSecondHeader()
    {
        var first = await WriteLines(4, badLine: null);
        var text = await File.ReadAllTextAsync(first, TestContext.Current.CancellationToken);
        var path = _dir.File("both.reprise.jsonl");
        await File.WriteAllTextAsync(path, text + text, TestContext.Current.CancellationToken); // cat a b > both

        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => ReadAll(path));

        Assert.Equal(5, error.Line);
        Assert.Contains("a second recording header", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no 'id'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_TornLastLine_WarnsWithLineNumberAndKeepsEveryEarlierLine()
    {
        var path = await WriteLines(6, badLine: null);
        var full = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(path, full + full.Split('\n')[1][..40], TestContext.Current.CancellationToken); // a cut copy of line 2, no newline
        var warnings = new List<RecordingWarning>();

        var read = await ReadAll(path, new RecordingReadOptions { OnWarning = warnings.Add });

        Assert.Equal(5, read.Count);
        var warning = Assert.Single(warnings);
        Assert.Equal(7, warning.Line);
        Assert.Contains("torn last line", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_UnknownFormatVersion_ErrorAsksToUpgrade()
    {
        var path = _dir.File("v9.reprise.jsonl");
        await File.WriteAllTextAsync(path, "{\"format\":\"reprise-recording\",\"version\":9,\"tool\":\"reprise/9\",\"createdAt\":\"2030-01-01T00:00:00Z\",\"capture\":{}}\n", TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => ReadAll(path));
        Assert.Contains("unsupported format version 9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_HarGivenAsRecording_HintsAtImport()
    {
        var path = _dir.File("x.har");
        await File.WriteAllTextAsync(path, "{\n  \"log\": {}\n}\n", TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => ReadAll(path));
        Assert.Contains("reprise import", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_TruncatedGzip_ErrorUnlessSkipInvalidThenKeepsEarlierLines()
    {
        var plain = await WriteLines(200, badLine: null);
        var gz = _dir.File("cut.reprise.jsonl.gz");
        await using (var output = File.Create(gz))
        await using (var zip = new GZipStream(output, CompressionLevel.Optimal))
        {
            await zip.WriteAsync(await File.ReadAllBytesAsync(plain, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        }

        var bytes = await File.ReadAllBytesAsync(gz, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(gz, bytes[..(bytes.Length / 2)], TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<RecordingFormatException>(() => ReadAll(gz));
        Assert.Contains("truncated or corrupt gzip stream", error.Message, StringComparison.Ordinal);

        var warnings = new List<RecordingWarning>();
        var kept = await ReadAll(gz, new RecordingReadOptions { SkipInvalid = true, OnWarning = warnings.Add });
        Assert.InRange(kept.Count, 1, 198);
        Assert.NotEmpty(warnings);
    }

    [Fact]
    public async Task Read_CrlfAndBlankLines_AreAccepted()
    {
        var path = await WriteLines(4, badLine: null);
        var text = (await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).Replace("\n", "\r\n\n", StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, text, TestContext.Current.CancellationToken);
        Assert.Equal(3, (await ReadAll(path)).Count);
    }

    [Fact]
    public async Task Read_LineLargerThanBuffer_IsRead()
    {
        var path = _dir.File("big.reprise.jsonl");
        var big = Exchanges.Get("http://a.test/big", "\"" + new string('x', 3_000_000) + "\"");
        await Exchanges.WriteRecordingAsync(path, [big, Exchanges.Get("http://a.test/small")]);
        var read = await ReadAll(path);
        Assert.Equal(2, read.Count);
        Assert.Equal(3_000_002, read[0].Response!.Body!.Content.Length);
    }

    private async Task<string> WriteLines(int lines, int? badLine)
    {
        var path = _dir.File($"l{Guid.NewGuid():N}.reprise.jsonl");
        await Exchanges.WriteRecordingAsync(path, Enumerable.Range(0, lines - 1).Select(i => Exchanges.Get($"http://a.test/items/{i}", id: $"e{i}")));
        if (badLine is { } bad)
        {
            var all = await File.ReadAllLinesAsync(path);
            all[bad - 1] = "{\"id\": \"broken\", \"startedAt\": ";
            await File.WriteAllTextAsync(path, string.Join('\n', all) + "\n", Encoding.UTF8);
        }

        return path;
    }

    private static async Task<List<Reprise.Core.Model.Exchange>> ReadAll(string path, RecordingReadOptions? options = null)
    {
        var list = new List<Reprise.Core.Model.Exchange>();
        await foreach (var exchange in new RecordingReader(path, options).ReadAsync(TestContext.Current.CancellationToken))
        {
            list.Add(exchange);
        }

        return list;
    }
}
