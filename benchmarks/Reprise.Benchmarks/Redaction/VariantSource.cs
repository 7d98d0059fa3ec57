using System.Text;
using System.Text.RegularExpressions;
using Reprise.Core.Model;

namespace Reprise.Benchmarks.Redaction;

/// <summary>
/// The exchanges `redaction-throughput` redacts, a batch at a time: one body over and over, or <see cref="Count"/> variants
/// of it in turn, variant v with <c>{v}x</c> inserted before the digits and <c>@</c> of each email's local part
/// (<c>ann.lee0@</c> becomes <c>ann.lee17x0@</c>). Variants are built when their batch is asked for (a recording redacts
/// an exchange right after capturing it), or all before the rounds when <paramref name="prebuilt"/> is set.
/// </summary>
internal sealed partial class VariantSource
{
    /// <summary>A batch holds at most this many exchanges, and at most <see cref="BatchBytes"/> of bodies.</summary>
    private const int MaxBatch = 32;

    private const int BatchBytes = 64 * 1024;

    /// <summary>The batch when one exchange is redacted again and again: up to this many, and up to <see cref="OneExchangeBytes"/> of bodies.</summary>
    private const int OneExchangeBatch = 256;

    private const int OneExchangeBytes = 4 * 1024 * 1024;

    private readonly byte[][] _segments; // the body cut at each insertion point, UTF-8
    private readonly Exchange[]? _all;
    private readonly Exchange[] _batch;
    private int _next;

    public VariantSource(byte[] body, int count, bool prebuilt)
    {
        Count = Math.Max(1, count);
        var text = Encoding.UTF8.GetString(body);
        var cuts = new List<byte[]>();
        var from = 0;
        foreach (Match match in EmailLocalPart().Matches(text))
        {
            var at = match.Groups[3].Index; // after "first.last", before the digits
            cuts.Add(Encoding.UTF8.GetBytes(text[from..at]));
            from = at;
        }

        cuts.Add(Encoding.UTF8.GetBytes(text[from..]));
        _segments = [.. cuts];
        // One exchange redacted again and again builds nothing: larger batches keep the two CPU-clock reads around each
        // batch (system calls) out of the per-exchange figure.
        BatchSize = Count == 1 ? Math.Clamp(OneExchangeBytes / body.Length, 1, OneExchangeBatch) : Math.Clamp(BatchBytes / body.Length, 1, MaxBatch);
        _batch = new Exchange[BatchSize];
        if (Count == 1)
        {
            _all = [Build(body)];
        }
        else if (prebuilt)
        {
            _all = new Exchange[Count];
            for (var v = 0; v < Count; v++)
            {
                _all[v] = Build(Variant(v));
            }
        }

        First = _all?[0] ?? Build(Variant(0));
        double total = 0;
        for (var v = 0; v < Count; v++)
        {
            total += Count == 1 ? body.Length : VariantLength(v);
        }

        MeanLength = total / Count;
    }

    /// <summary>How many different exchanges are redacted in turn.</summary>
    public int Count { get; }

    /// <summary>True when every variant was built before the rounds (or there is only the one exchange).</summary>
    public bool Prebuilt => _all is not null;

    public int BatchSize { get; }

    public Exchange First { get; }

    /// <summary>The mean response body length over the variants, in bytes.</summary>
    public double MeanLength { get; }

    /// <summary>The next batch (the same array each time, refilled): built now unless prebuilt.</summary>
    public Exchange[] NextBatch()
    {
        for (var i = 0; i < _batch.Length; i++)
        {
            var v = _next;
            _next = (_next + 1) % Count;
            _batch[i] = _all is not null ? _all[Count == 1 ? 0 : v] : Build(Variant(v));
        }

        return _batch;
    }

    /// <summary>Variant <paramref name="v"/>'s body, the same bytes as the regular expression's replacement in <see cref="VariantByRegex"/>.</summary>
    public byte[] Variant(int v)
    {
        Span<byte> insert = stackalloc byte[16];
        System.Buffers.Text.Utf8Formatter.TryFormat(v, insert, out var digits);
        insert[digits++] = (byte)'x';
        var result = new byte[VariantLength(v)];
        var at = 0;
        for (var i = 0; i < _segments.Length; i++)
        {
            if (i > 0)
            {
                insert[..digits].CopyTo(result.AsSpan(at));
                at += digits;
            }

            _segments[i].CopyTo(result, at);
            at += _segments[i].Length;
        }

        return result;
    }

    /// <summary>How the variants were built before (kept to check <see cref="Variant"/> against).</summary>
    public static byte[] VariantByRegex(byte[] body, int v) =>
        Encoding.UTF8.GetBytes(EmailLocalPart().Replace(Encoding.UTF8.GetString(body), m => $"{m.Groups[1].Value}.{m.Groups[2].Value}{v}x{m.Groups[3].Value}@"));

    private int VariantLength(int v)
    {
        var length = 0;
        foreach (var segment in _segments)
        {
            length += segment.Length;
        }

        return length + ((_segments.Length - 1) * (v.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + 1));
    }

    private static Exchange Build(byte[] body) => new()
    {
        Id = "bench",
        StartedAt = DateTimeOffset.UnixEpoch,
        Request = new ExchangeRequest { Method = "GET", Url = "https://api.shop.test/api/orders?page=2", Headers = [new("Accept", "application/json"), new("Authorization", "Bearer abcdef0123456789abcdef")] },
        Response = new ExchangeResponse { Status = 200, Headers = [new("Content-Type", "application/json")], Body = ExchangeBody.FromBytes(body, "application/json") },
    };

    [GeneratedRegex(@"(?<![\p{Ll}\d.])(\p{Ll}+)\.(\p{Ll}+)(\d*)@")]
    private static partial Regex EmailLocalPart();
}
