using System.Text;
using CsCheck;
using Reprise.Core.Protocols;
using Xunit;

namespace Reprise.Core.Tests.Protocols;

public sealed class FramedJsonTests
{
    private static string[] Json(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var records = FramedJson.Split(bytes);
        Assert.NotNull(records);
        return records.Select(r => Encoding.UTF8.GetString(bytes, r.JsonStart, r.JsonLength)).ToArray();
    }

    [Theory]
    [InlineData("0{\"sid\":\"ja0pRrOgdzsM6DdSAAAA\",\"upgrades\":[\"websocket\"]}", "{\"sid\":\"ja0pRrOgdzsM6DdSAAAA\",\"upgrades\":[\"websocket\"]}")] // Engine.IO open
    [InlineData("40{\"sid\":\"HVJC8g5evycuTXAMAAAA\"}", "{\"sid\":\"HVJC8g5evycuTXAMAAAA\"}")] // Socket.IO connect
    [InlineData("431[{\"id\":689}]", "[{\"id\":689}]")] // an ack with id 1
    [InlineData("42/admin,7[\"chat\",{\"id\":1}]", "[\"chat\",{\"id\":1}]")] // namespace and ack id
    [InlineData("451-[\"upload\",{\"_placeholder\":true,\"num\":0}]", "[\"upload\",{\"_placeholder\":true,\"num\":0}]")] // binary attachments
    [InlineData("{\"type\":1,\"target\":\"ReceiveMessage\",\"arguments\":[42]}\u001e", "{\"type\":1,\"target\":\"ReceiveMessage\",\"arguments\":[42]}")] // SignalR
    public void Split_OneRecord_FindsItsJson(string body, string json) => Assert.Equal([json], Json(body));

    [Fact]
    public void Split_RecordSeparatedPayload_FindsEachRecord() =>
        Assert.Equal(["{\"sid\":\"a1\"}", "[\"hello\",{\"you\":\"b2\"}]"], Json("40{\"sid\":\"a1\"}\u001e42[\"hello\",{\"you\":\"b2\"}]"));

    [Fact]
    public void SplitData_LeavesOutBarePackets()
    {
        var bytes = Encoding.UTF8.GetBytes("2\u001e42[\"a\"]\u001e3\u001e42[\"b\"]");
        Assert.Equal(["[\"a\"]", "[\"b\"]"], FramedJson.SplitData(bytes)!.Select(r => Encoding.UTF8.GetString(bytes, r.JsonStart, r.JsonLength)));
        Assert.Null(FramedJson.SplitData("2\u001e3"u8));
    }

    [Theory]
    [InlineData("{\"plain\":true}")] // plain JSON is read as JSON, not as a framing
    [InlineData("[1,2]")]
    [InlineData("2probe")]
    [InlineData("40")]
    [InlineData("ok")]
    [InlineData("")]
    [InlineData("12 apples {\"x\":1}")]
    [InlineData("40{\"a\":1}\u001ehello")] // one record is not JSON: the body is not framed JSON
    [InlineData("2\u001e3\u001e")] // bare packets only: nothing to read as JSON
    [InlineData("2\u001e40 apples")]
    public void Split_NotFramedJson_IsNull(string body) => Assert.Null(FramedJson.Split(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Split_AnyBytes_NeverThrows_AndRecordsLieInsideTheBody() =>
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            var records = FramedJson.Split(bytes);
            return records is null
                || (records.Any(r => r.JsonLength > 0)
                    && records.All(r => r.JsonStart >= r.PrefixStart && r.JsonStart + r.JsonLength <= bytes.Length && (r.JsonLength == 0 || bytes[r.JsonStart] is (byte)'{' or (byte)'[')));
        });

    [Fact]
    public void Split_PollingBatchWithABarePacket_KeepsItAsARecordWithoutJson()
    {
        // An Engine.IO polling response batches packets: a ping ("2") or a namespace connect ("40/admin,") holds no data.
        var bytes = Encoding.UTF8.GetBytes("2\u001e42[\"chat\",{\"id\":7}]\u001e40/admin,");
        var records = FramedJson.Split(bytes);

        Assert.NotNull(records);
        Assert.Equal(["2", "42", "40/admin,"], records.Select(r => Encoding.UTF8.GetString(bytes, r.PrefixStart, r.JsonStart - r.PrefixStart)));
        Assert.Equal(["", "[\"chat\",{\"id\":7}]", ""], records.Select(r => Encoding.UTF8.GetString(bytes, r.JsonStart, r.JsonLength)));
    }

    [Fact]
    public void Split_PrefixedObject_FindsTheObject() =>
        Gen.Select(Gen.Int[0, 99_999], Gen.String[Gen.Char.AlphaNumeric, 0, 20]).Sample((prefix, value) =>
        {
            var json = "{\"v\":\"" + value + "\"}";
            var bytes = Encoding.UTF8.GetBytes(prefix.ToString(System.Globalization.CultureInfo.InvariantCulture) + json);
            return FramedJson.Split(bytes) is [var record] && Encoding.UTF8.GetString(bytes, record.JsonStart, record.JsonLength) == json;
        });

    [Fact]
    public void Units_SignalRFrameWithTwoRecords_IsTwoUnits_APlainMessageIsOne()
    {
        var two = Encoding.UTF8.GetBytes("{\"type\":1,\"target\":\"OrderPlaced\"}\u001e{\"type\":3,\"invocationId\":\"0\"}\u001e");
        Assert.Equal(["{\"type\":1,\"target\":\"OrderPlaced\"}\u001e", "{\"type\":3,\"invocationId\":\"0\"}\u001e"], FramedJson.Units(two).Select(u => Encoding.UTF8.GetString(u.Span)).ToArray());
        Assert.Single(FramedJson.Units(Encoding.UTF8.GetBytes("431[{\"id\":1}]")));
    }

    [Fact]
    public void Units_PastTheRecordCap_TheRestIsOneLastUnit_NothingDropped()
    {
        var body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 300).Select(i => "{\"n\":" + i + "}\u001e")));
        var units = FramedJson.Units(body);

        Assert.Equal(256, units.Count);
        Assert.Equal(body.Length, units.Sum(u => u.Length));
        Assert.StartsWith("{\"n\":255}", Encoding.UTF8.GetString(units[^1].Span), StringComparison.Ordinal);
    }

    [Fact]
    public void UnitCounter_OverAnyChunking_CountsWhatUnitsFinds()
    {
        // Pieces that make records, blanks and separators; a message counted chunk by chunk as it arrives.
        var piece = Gen.OneOfConst("{\"a\":1}", "[2]", "42[\"x\"]", " ", "\r\n", "\u001e", "\u001e\u001e", "x");
        Gen.Select(piece.Array[0, 40], Gen.Int[1, 7], Gen.Int[0, 300]).Sample((pieces, chunk, extra) =>
        {
            var text = string.Concat(pieces) + (extra > 250 ? string.Concat(Enumerable.Repeat("{}\u001e", extra)) : string.Empty);
            var bytes = Encoding.UTF8.GetBytes(text);
            var counter = default(FramedJson.UnitCounter);
            for (var i = 0; i < bytes.Length; i += chunk)
            {
                counter.Add(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
            }

            Assert.Equal(FramedJson.Units(bytes).Count, counter.Count);
        }, iter: 500);
    }
}
