using System.Text;
using Reprise.Replay.Correlation;
using Reprise.Replay.Variation;
using Xunit;
using static Reprise.Replay.Tests.Unit.ProtobufBytes;

namespace Reprise.Replay.Tests.Unit;

/// <summary>
/// Review of QA round 6's gRPC correlation: list positions (repeated fields, stream frames) must not repoint an id a
/// response answered directly, a value substituted once is never substituted again, and binary bodies are varied per
/// copy only at equal length.
/// </summary>
public sealed class GrpcCorrelationTests
{
    private const string Created = "ord_aaaaaaa1";
    private const string Issued = "ord_bbbbbbb1";
    private const string Foreign = "ord_9999999x";

    [Fact]
    public void ARepeatedFieldsFirstOccurrence_DoesNotRepointAnIdACreateAnswered()
    {
        // CreateOrder learned ord_aaaaaaa1 -> ord_bbbbbbb1; ListOrders' target list starts with a pre-existing order, so
        // position 0 pairs the recording's order with another one: a later request was sent as ord_9999999x.
        var session = new SessionCorrelation();
        GrpcMessages.Learn(session, Frame(Field(1, Text(Created))), Frame(Field(1, Text(Issued))), "CreateOrder response");
        session.Commit();

        GrpcMessages.Learn(
            session,
            Frame(Field(1, Order(Created))),
            Frame([.. Field(1, Order(Foreign)), .. Field(1, Order(Issued))]),
            "ListOrders response");
        session.Commit();

        Assert.Equal(Issued, session.Values[Created].Value);
    }

    [Fact]
    public void AServerStreamsFrames_DoNotRepointAnIdACreateAnswered()
    {
        var session = new SessionCorrelation();
        GrpcMessages.Learn(session, Frame(Field(1, Text(Created))), Frame(Field(1, Text(Issued))), "CreateOrder response");
        session.Commit();

        GrpcMessages.Learn(
            session,
            [.. Frame(Order(Created)), .. Frame(Order("ord_aaaaaaa2"))],
            [.. Frame(Order(Foreign)), .. Frame(Order(Issued))],
            "ListOrders response");
        session.Commit();

        Assert.Equal(Issued, session.Values[Created].Value);
    }

    [Fact]
    public void AnIdAnsweredUnchangedDirectly_IsNotRepointedByAListLater()
    {
        // GetOrder answered the recorded id as it was: it names this session's record, as in JSON.
        var session = new SessionCorrelation();
        GrpcMessages.Learn(session, Frame(Field(1, Order(Created))), Frame(Field(1, Order(Created))), "GetOrder response");
        session.Commit();

        GrpcMessages.Learn(session, Frame([.. Field(1, Order(Created)), .. Field(1, Order("ord_aaaaaaa2"))]), Frame([.. Field(1, Order(Foreign)), .. Field(1, Order(Created))]), "ListOrders response");
        session.Commit();

        Assert.False(session.Values.ContainsKey(Created));
    }

    [Fact]
    public void AnUnchangedPairInAList_DoesNotForgetWhatAListTaught()
    {
        var session = new SessionCorrelation();
        GrpcMessages.Learn(session, Frame([.. Field(1, Order("ord_ccccccc1")), .. Field(1, Order(Created))]), Frame([.. Field(1, Order("ord_ccccccc1")), .. Field(1, Order(Issued))]), "ListOrders response");
        session.Commit();
        Assert.Equal(Issued, session.Values[Created].Value);

        GrpcMessages.Learn(session, Frame([.. Field(1, Order(Created)), .. Field(1, Order("ord_ccccccc1"))]), Frame([.. Field(1, Order(Created)), .. Field(1, Order("ord_ccccccc1"))]), "ListOrders response");
        session.Commit();

        Assert.Equal(Issued, session.Values[Created].Value);
    }

    [Fact]
    public void Apply_NeverReplacesAValueItWrote()
    {
        // 14 -> 24 from one create, 24 -> 34 from another: ord_00000014 was sent as ord_00000034 (another order).
        var session = new SessionCorrelation();
        session.Learn("ord_00000014", "ord_00000024", "grpc field 1", "create 1");
        session.Commit();
        session.Learn("ord_00000024", "ord_00000034", "grpc field 1", "create 2");
        session.Commit();
        ReadOnlyMemory<byte> body = Frame([.. Field(1, Text("ord_00000014")), .. Field(2, Text("ord_00000024")), .. Field(3, Text("ord_00000014"))]);
        var applied = new List<string>();

        var count = GrpcMessages.Apply(session, ref body, learned => applied.Add(learned.From));

        Assert.Equal(Frame([.. Field(1, Text("ord_00000024")), .. Field(2, Text("ord_00000034")), .. Field(3, Text("ord_00000024"))]), body.ToArray());
        Assert.Equal(2, count);
        Assert.Equal(["create 1", "create 2"], applied.Order());
    }

    [Fact]
    public void Apply_OverlappingMatches_OnlyTheFirstIsWritten_AndAnUnmatchedBodyIsNotCopied()
    {
        var session = new SessionCorrelation();
        session.Learn("abcdefgh12", "ABCDEFGH12", "r", "one");
        session.Learn("gh12345678", "GH12345678", "r", "two");
        session.Commit();
        ReadOnlyMemory<byte> body = Frame(Field(1, Text("abcdefgh12345678")));

        Assert.Equal(1, GrpcMessages.Apply(session, ref body, _ => { }));
        Assert.Equal(Frame(Field(1, Text("ABCDEFGH12345678"))), body.ToArray());

        var untouched = new ReadOnlyMemory<byte>(Frame(Field(1, Text("nothing-learned-here"))));
        var before = untouched;
        Assert.Equal(0, GrpcMessages.Apply(session, ref untouched, _ => { }));
        Assert.True(before.Equals(untouched));
    }

    [Fact]
    public void Rewrite_AnIdOfAnotherLength_InANestedMessage_RewritesEveryEnclosingLength()
    {
        var session = new SessionCorrelation();
        GrpcMessages.Learn(session, Frame(Field(2, Order("ord_7"))), Frame(Field(2, Order("ord_10042"))), "CreateOrder response");
        session.Commit();
        ReadOnlyMemory<byte> body = Frame([.. Field(2, Text("a note")), .. Field(3, Order("ord_7")), .. Field(4, Text("orders/ord_7"))]);
        var applied = new List<string>();

        Assert.Equal(1, GrpcMessages.Rewrite(session, ref body, learned => applied.Add(learned.From)));

        // The whole field is substituted; inside a longer string only values of 8+ characters are.
        Assert.Equal(Frame([.. Field(2, Text("a note")), .. Field(3, Order("ord_10042")), .. Field(4, Text("orders/ord_7"))]), body.ToArray());
        Assert.Equal(["CreateOrder response"], applied);
    }

    [Fact]
    public void ANestedMessageThatIsPrintableThroughout_IsReadAsAMessage_NotAsText()
    {
        // Field 11 holding a UUID is the bytes 'Z' '$' and the UUID: printable, yet a message holding the id.
        const string Old = "0b6f1d2e-3c4a-4b5c-8d6e-7f8091a2b3c4";
        const string New = "9c1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
        var session = new SessionCorrelation();
        GrpcMessages.Learn(session, Frame(Field(2, Field(11, Text(Old)))), Frame(Field(2, Field(11, Text(New)))), "CreateOrder response");
        session.Commit();
        Assert.Equal(New, session.Values[Old].Value);

        session.Learn(Old, "short-id", "r", "f");
        session.Commit();
        ReadOnlyMemory<byte> body = Frame(Field(3, Field(11, Text(Old))));
        Assert.Equal(1, GrpcMessages.Rewrite(session, ref body, _ => { }));
        Assert.Equal(Frame(Field(3, Field(11, Text("short-id")))), body.ToArray());
    }

    [Fact]
    public void Rewrite_ALongIdInsideAResourceName_AndAVarintId_ChangeLength()
    {
        var session = new SessionCorrelation();
        session.Learn(Created, "ord_b1", "grpc field 1", "create");
        GrpcMessages.Learn(session, Frame([.. Varint(1, 7_587_869_542_127_461_888), .. Varint(2, 14)]), Frame([.. Varint(1, 5_000_000_042), .. Varint(2, 24)]), "LeaseGrant response");
        session.Commit();
        ReadOnlyMemory<byte> body = Frame([.. Field(1, Text($"orders/{Created}/items")), .. Field(2, Varint(4, 7_587_869_542_127_461_888)), .. Varint(3, 14)]);

        Assert.Equal(2, GrpcMessages.Rewrite(session, ref body, _ => { }));

        Assert.Equal(Frame([.. Field(1, Text("orders/ord_b1/items")), .. Field(2, Varint(4, 5_000_000_042)), .. Varint(3, 14)]), body.ToArray());
        Assert.False(session.Values.ContainsKey("14")); // a small number is as likely a count as an id: never learned
    }

    [Fact]
    public void Rewrite_NeverReplacesAValueItWrote_LeavesCompressedFrames_AndRefusesWhatIsNotGrpc()
    {
        var session = new SessionCorrelation();
        session.Learn("ord_00000014", "ord_24", "grpc field 1", "create 1");
        session.Commit();
        session.Learn("ord_24", "ord_00000034", "grpc field 1", "create 2");
        session.Commit();
        byte[] compressed = [1, 0, 0, 0, 3, 0xde, 0xad, 0xbf];
        ReadOnlyMemory<byte> body = (byte[])[.. Frame([.. Field(1, Text("ord_00000014")), .. Field(2, Text("ord_24"))]), .. compressed];

        Assert.Equal(2, GrpcMessages.Rewrite(session, ref body, _ => { }));
        Assert.Equal([.. Frame([.. Field(1, Text("ord_24")), .. Field(2, Text("ord_00000034"))]), .. compressed], body.ToArray());

        ReadOnlyMemory<byte> plain = Text("not grpc frames at all");
        Assert.Equal(-1, GrpcMessages.Rewrite(session, ref plain, _ => { }));
        var frame = Frame(Field(1, Text("ord_00000014")));
        ReadOnlyMemory<byte> truncated = frame.AsMemory(0, frame.Length - 2);
        Assert.Equal(-1, GrpcMessages.Rewrite(session, ref truncated, _ => { }));
    }

    [Fact]
    public void Rewrite_FreeTextThatHappensToParseAsAMessage_IsNeverCorrupted()
    {
        // Review: "xlpgb snfzch ..." parses to its end as protobuf (field 15 'l', field 14 'g', field 12 of 32 bytes): read
        // as a message, its "length" byte was rewritten and the note sent as xlpgb"snfzch .... Its field numbers decrease,
        // so it is text; since it could still be a message, a value inside it changes only at its own length.
        var session = new SessionCorrelation();
        GrpcMessages.Learn(session, Frame(Field(1, Text(Created))), Frame(Field(1, Text("ord_bbbbbbbbb2"))), "CreateOrder response");
        session.Learn("ord_cccccccc", "ord_dddddddd", "grpc field 1", "create 2");
        session.Commit();
        const string Note = "xlpgb snfzch cdhyw uy " + Created + " qjj";
        ReadOnlyMemory<byte> body = Frame([.. Field(1, Text(Created)), .. Field(2, Text(Note)), .. Field(3, Text("xlpgb snfzch cdhyw uy ord_cccccccc qjj"))]);

        GrpcMessages.Rewrite(session, ref body, _ => { });

        Assert.Equal(Frame([.. Field(1, Text("ord_bbbbbbbbb2")), .. Field(2, Text(Note)), .. Field(3, Text("xlpgb snfzch cdhyw uy ord_dddddddd qjj"))]), body.ToArray());
    }

    [Fact]
    public void Rewrite_TextWithLineBreaks_IsText()
    {
        var session = new SessionCorrelation();
        session.Learn(Created, "ord_b1", "grpc field 1", "create");
        session.Commit();
        var json = "{\n  \"order\": \"" + Created + "\"\n}";
        ReadOnlyMemory<byte> body = Frame(Field(2, Text(json)));

        Assert.Equal(1, GrpcMessages.Rewrite(session, ref body, _ => { }));
        Assert.Equal(Frame(Field(2, Text(json.Replace(Created, "ord_b1", StringComparison.Ordinal)))), body.ToArray());
    }

    [Fact]
    public void Rewrite_WhatTheWalkDoesNotRead_StillGetsSameLengthValues_ByteForByte()
    {
        // Review: before the structural rewrite these were substituted byte for byte; the walk must not lose them.
        var session = new SessionCorrelation();
        session.Learn(Created, Issued, "grpc field 1", "create");
        session.Commit();

        var deep = Field(1, Text(Created));
        for (var level = 0; level < 10; level++)
        {
            deep = Field(1, deep);
        }

        ReadOnlyMemory<byte> deepBody = BigFrame(deep);
        Assert.Equal(1, GrpcMessages.Rewrite(session, ref deepBody, _ => { }));
        Assert.Equal(BigFrame(deep).Length, deepBody.Length);
        Assert.Contains(Issued, Encoding.Latin1.GetString(deepBody.Span), StringComparison.Ordinal);

        var batch = new List<byte>();
        for (var i = 0; i < 5000; i++)
        {
            batch.AddRange(Varint(2, 7));
        }

        batch.AddRange(Field(1, Text(Created)));
        ReadOnlyMemory<byte> batchBody = BigFrame([.. batch]);
        Assert.Equal(1, GrpcMessages.Rewrite(session, ref batchBody, _ => { }));
        Assert.Contains(Issued, Encoding.Latin1.GetString(batchBody.Span), StringComparison.Ordinal);

        byte[] binary = [0x01, 0x02, .. Text(Created), 0x00];
        ReadOnlyMemory<byte> binaryBody = Frame(Field(3, binary));
        Assert.Equal(1, GrpcMessages.Rewrite(session, ref binaryBody, _ => { }));
        Assert.Equal(Frame(Field(3, [0x01, 0x02, .. Text(Issued), 0x00])), binaryBody.ToArray());
    }

    [Fact]
    public void Rewrite_ReportsEachValueOnce_AndNothingForABodyItGivesUpOn()
    {
        // Review: a value substituted in a string field and, byte for byte, in a binary field was reported twice; a body
        // whose second frame is not protobuf reported the first frame's edits, then Apply reported them again.
        var session = new SessionCorrelation();
        session.Learn(Created, Issued, "grpc field 1", "create");
        session.Commit();
        var reported = 0;
        ReadOnlyMemory<byte> both = Frame([.. Field(1, Text(Created)), .. Field(3, [0x01, .. Text(Created), 0x00])]);

        Assert.Equal(1, GrpcMessages.Rewrite(session, ref both, _ => reported++));
        Assert.Equal(1, reported);
        Assert.Equal(Frame([.. Field(1, Text(Issued)), .. Field(3, [0x01, .. Text(Issued), 0x00])]), both.ToArray());

        reported = 0;
        ReadOnlyMemory<byte> mixed = (byte[])[.. Frame(Field(1, Text(Created))), .. Frame([0x07, 0x07])];
        Assert.Equal(-1, GrpcMessages.Rewrite(session, ref mixed, _ => reported++));
        Assert.Equal(0, reported);
    }

    /// <summary>
    /// Ids answered in a packed repeated varint field (proto3's default for <c>repeated int64</c>, e.g. a batch of lease or
    /// member ids) and sent back packed in a later request: each is substituted by its position's new id, at the new
    /// varints' lengths, with the field's and the frame's lengths recomputed.
    /// </summary>
    [Fact]
    public void PackedRepeatedVarintIds_LearnedFromAResponse_AreSubstitutedInALaterPackedRequest()
    {
        const ulong OldA = 7_587_869_542_127_461_888, OldB = 7_587_869_542_127_461_999;
        const ulong NewA = 5_000_000_042, NewB = 12_345_678_901_234_567_890;
        var session = new SessionCorrelation();
        GrpcMessages.Learn(session, Frame([.. Field(1, Packed(OldA, OldB)), .. Varint(2, 2)]), Frame([.. Field(1, Packed(NewA, NewB)), .. Varint(2, 2)]), "LeaseLeases response");
        session.Commit();
        ReadOnlyMemory<byte> body = Frame([.. Field(4, Packed(OldB, OldA)), .. Varint(3, 14)]);

        Assert.Equal(2, GrpcMessages.Rewrite(session, ref body, _ => { }));

        Assert.Equal(Frame([.. Field(4, Packed(NewB, NewA)), .. Varint(3, 14)]), body.ToArray());
    }

    /// <summary>A packed list of small numbers (counts, enum values), or of ids mixed with them, is never learned from.</summary>
    [Fact]
    public void PackedSmallNumbers_AreNotLearnedAsIds()
    {
        var session = new SessionCorrelation();
        GrpcMessages.Learn(session, Frame(Field(1, Packed(3, 14, 200))), Frame(Field(1, Packed(4, 15, 201))), "counts");
        GrpcMessages.Learn(session, Frame(Field(2, Packed(7_587_869_542_127_461_888, 5))), Frame(Field(2, Packed(5_000_000_042, 6))), "mixed");
        session.Commit();

        Assert.Empty(session.Values);
    }

    [Fact]
    public void ANegativeNumber_IsNotAVarintId()
    {
        // -300 minutes recorded, -240 now (a UTC offset): ten bytes of sign extension, not an id.
        var session = new SessionCorrelation();
        GrpcMessages.Learn(session, Frame(Varint(3, unchecked((ulong)-300L))), Frame(Varint(3, unchecked((ulong)-240L))), "GetZone response");
        session.Commit();

        Assert.Empty(session.Values);
    }

    [Fact]
    public void GrpcWebBinary_IsRewrittenByItsStructure()
    {
        Assert.True(GrpcMessages.IsGrpc("application/grpc-web+proto"));
        Assert.False(GrpcMessages.IsGrpc("application/grpc-web-text"));
    }

    [Fact]
    public void VaryBinary_ChangesOnlyUuids_AtTheirLength()
    {
        const string Uuid = "0b6f1d2e-3c4a-4b5c-8d6e-7f8091a2b3c4";
        ReadOnlyMemory<byte> body = Frame([.. Field(1, Text("diana.prince@example.com")), .. Field(2, Text(Uuid)), .. Field(3, Text("{\"sku\":\"SKU-9\"}"))]);

        var copy = CopyVarier.VaryBinary(body, 1, null).ToArray();
        var kept = CopyVarier.VaryBinary(body, 1, new HashSet<string> { Uuid });

        Assert.Equal(body.Length, copy.Length);
        Assert.Equal(-1, copy.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Uuid)));
        Assert.True(copy.AsSpan().IndexOf("diana.prince@example.com"u8) > 0);
        Assert.True(copy.AsSpan().IndexOf("\"SKU-9\""u8) > 0);
        Assert.True(Guid.TryParse(Encoding.ASCII.GetString(copy, 5 + 2 + 24 + 2, 36), out _));
        Assert.True(body.Equals(kept));
        Assert.True(body.Equals(CopyVarier.VaryBinary(body, 0, null)));
    }

    /// <summary>
    /// QA round 7 (etcd): LeaseGrant answers a random 64-bit lease id as a varint; the later Put with that lease,
    /// LeaseTimeToLive and LeaseRevoke were replayed with the recording's id ("requested lease not found"). A varint id
    /// is learned and substituted when the new id's varint has the same length; small varints (revisions) are not ids.
    /// </summary>
    [Fact]
    public void AVarintIdTheTargetIssued_IsSubstitutedAsAVarint_LengthsKept()
    {
        const ulong Recorded = 2724574530629763086, Issued = 1830610004596721422;
        var session = new SessionCorrelation();
        GrpcMessages.Learn(session, Frame([.. Varint(1, 7), .. Varint(2, Recorded), .. Varint(3, 60)]), Frame([.. Varint(1, 9), .. Varint(2, Issued), .. Varint(3, 60)]), "LeaseGrant response");
        session.Commit();

        Assert.Equal("1830610004596721422", session.Values["2724574530629763086"].Value);
        Assert.False(session.Values.ContainsKey("7")); // a revision is not an id

        ReadOnlyMemory<byte> put = Frame([.. Field(1, Text("/app/ephemeral")), .. Field(2, Text("yes")), .. Varint(4, Recorded)]);
        Assert.Equal(1, GrpcMessages.Rewrite(session, ref put, _ => { }));
        Assert.Equal(Frame([.. Field(1, Text("/app/ephemeral")), .. Field(2, Text("yes")), .. Varint(4, Issued)]), put.ToArray());
    }

    [Fact]
    public void AVarintIdOfAnotherLength_IsSubstituted_WithTheFrameLengthRewritten()
    {
        // A random uint64 id: the recorded one encodes in 9 bytes, the new one in 10.
        var session = new SessionCorrelation();
        GrpcMessages.Learn(session, Frame(Varint(2, 2724574530629763086)), Frame(Varint(2, 10062081578502312644)), "LeaseGrant response");
        session.Commit();
        ReadOnlyMemory<byte> revoke = Frame(Varint(1, 2724574530629763086));

        Assert.Equal(1, GrpcMessages.Rewrite(session, ref revoke, _ => { }));
        Assert.Equal(Frame(Varint(1, 10062081578502312644)), revoke.ToArray());
    }

    private static byte[] Order(string id) => Field(1, Text(id));
}
