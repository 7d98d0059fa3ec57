using Reprise.Core.Model;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// QA round 7 (etcd over gRPC): <c>etcdctl put /app/config/db_password 'S3cretDbPass-qa7!'</c> stored the password raw,
/// as no value detector recognises an ordinary password and protobuf carries no field names. A string that names a
/// credential makes the message's next string field (past number fields) its value, masked at its length.
/// </summary>
public sealed class ProtobufNamedValueTests
{
    [Fact]
    public void Put_KeyNamingAPassword_ValueMasked_FramingKept()
    {
        byte[] message = [.. Str(1, "/app/config/db_password"), .. Str(2, "S3cretDbPass-qa7!")];

        var (before, after, redactions) = Redact(message);

        Assert.Equal(before.Length, after.Length);
        Assert.Equal(-1, after.AsSpan().IndexOf("S3cretDbPass"u8));
        Assert.True(after.AsSpan().IndexOf("/app/config/db_password"u8) > 0);
        Assert.Equal(before[..^17], after[..^17]); // frame, tags, lengths and key untouched
        Assert.Contains(redactions, r => r.Location == "request.body:binary" && r.Rule == "password");
    }

    [Fact]
    public void KeyValue_NumberFieldsBetweenNameAndValue_ValueMasked()
    {
        // etcd's mvccpb.KeyValue: key = 1, create_revision = 2, mod_revision = 3, version = 4, value = 5.
        byte[] message = [.. Str(1, "/svc/API_TOKEN"), 0x10, 0x09, 0x18, 0x0b, 0x20, 0x02, .. Str(5, "tok-Vn41Zp0Rt6Ywqa7")];

        var (_, after, _) = Redact(message);

        Assert.Equal(-1, after.AsSpan().IndexOf("Vn41Zp0Rt6Yw"u8));
    }

    [Theory]
    [InlineData("/app/flag", "on-and-running")]
    [InlineData("description", "ordinary words")]
    [InlineData("/app/password_policy", "")] // an empty value: nothing to mask
    public void OtherNamesAndValues_Untouched(string key, string value)
    {
        byte[] message = [.. Str(1, key), .. Str(2, value)];

        var (before, after, _) = Redact(message);

        Assert.Equal(before, after);
    }

    [Fact]
    public void NameFollowedByANestedMessage_NotTakenAsAValue()
    {
        byte[] inner = [.. Str(1, "x"), 0x10, 0x01];
        byte[] message = [.. Str(1, "/app/config/db_password"), .. Bytes(2, inner)];

        var (before, after, _) = Redact(message);

        Assert.Equal(before, after);
    }

    private static (byte[] Before, byte[] After, System.Collections.Immutable.ImmutableArray<Core.Model.Redaction> Redactions) Redact(byte[] message)
    {
        byte[] framed = [0, 0, 0, 0, (byte)message.Length, .. message];
        var exchange = Testing.Exchanges.Get("http://127.0.0.1:2379/etcdserverpb.KV/Put") is var e ? e with { Request = e.Request with { Method = "POST", Body = ExchangeBody.FromBytes(framed, "application/grpc") } } : null!;
        var redacted = Policies.Default.Redact(exchange);
        return (framed, redacted.Request.Body!.Content.ToArray(), redacted.Redactions);
    }

    private static byte[] Str(int number, string value) => Bytes(number, System.Text.Encoding.ASCII.GetBytes(value));

    private static byte[] Bytes(int number, byte[] value) => [(byte)((number << 3) | 2), (byte)value.Length, .. value];
}
