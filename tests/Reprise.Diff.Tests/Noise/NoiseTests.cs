using Reprise.Diff.Model;
using Reprise.Diff.Noise;

namespace Reprise.Diff.Tests.Noise;

public sealed class NoiseTests
{
    private const string Long = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea";

    [Theory]
    [InlineData("3f2b8c1e-9a4d-4c7b-8e21-0d9f6a5b4c3e", "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", "UUID")]
    [InlineData("2026-11-26T04:00:00Z", "2026-11-26T04:00:01.123+00:00", "timestamp")]
    [InlineData("Thu, 26 Nov 2026 04:00:00 GMT", "Thu, 26 Nov 2026 04:00:09 GMT", "timestamp")]
    [InlineData("1764129600", "1764129601", "epoch timestamp")]
    [InlineData("1764129600123", "1764129601999", "epoch timestamp")] // milliseconds
    [InlineData("1795726595.585", "1795726604.995", "epoch timestamp")] // seconds with a fraction (Prometheus, Python's time.time(), Slack)
    [InlineData("1795726595.5", "1795726604.123456789", "epoch timestamp")]
    [InlineData("10062081578502312644", "5861470977615326697", "64-bit id")] // etcd cluster ids of two instances
    [InlineData("1541815603606036480", "1541815603606036999", "64-bit id")] // Snowflake ids
    [InlineData("978307200", "1764129601", null)] // nine digits: not read as one
    [InlineData("9f86d081884c7d659a2feaa0c55ad015", "2c26b46b68ffc68ff99b453c1d304134", "UUID")] // 32 hex digits: a UUID without dashes
    [InlineData("da39a3ee5e6b4b0d3255bfef95601890afd80709", "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", "random token")]
    [InlineData("PiVnOtjTR1uczJJ7Xy5KBSHn8RwAWFfF", "8AqIPpJdJ1vUjpjxLOTp3RERDDWeRYAa", "random token")]
    // QA round 9 (Syncthing): the device id of each installation, in X-Syncthing-Id and myID of every answer; a ULID.
    [InlineData("OHG7DEX-F5I4LY4-THLF2NR-7FZRF6V-EQVUVKB-Z65D2WZ-SXDDEQ7-LS57KQM", "YBBL566-TV2J3OY-CPIOSNO-H7VCFD3-PMWRKAH-J4DI7PF-V5C6OD2-ZETVNQG", "random token")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAV", "01HGW2N7EHJ5X8S3R4K9T6Y2QM", "random token")]
    // QA round 10b (MiniDLNA): UPnP writes UUIDs as URNs, a GENA subscription id (SID) and a device's UDN.
    [InlineData("uuid:966fa5e7-ea22-11f1-b6a8-6a1cc74ad19e", "uuid:b4df9f99-ea22-11f1-8897-6a1cc74ad19e", "UUID URN")]
    [InlineData("urn:uuid:3f2b8c1e-9a4d-4c7b-8e21-0d9f6a5b4c3e", "urn:uuid:0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", "UUID URN")]
    [InlineData("uuid:966fa5e7-ea22-11f1-b6a8-6a1cc74ad19e", "b4df9f99-ea22-11f1-8897-6a1cc74ad19e", null)] // the prefix went: a change of format
    [InlineData("uuid:not-a-uuid-at-all-here", "uuid:not-a-uuid-at-all-there", null)]
    [InlineData("ORDER-REFERENCE-NUMBER-ALPHA", "ORDER-REFERENCE-NUMBER-BRAVO", null)] // words: no digits
    [InlineData("OHG7DEX-F5I4LY4-THLF2NR-7FZRF6V", "YBBL566-TV2J3OY-CPIOSNO", null)] // another length
    [InlineData("AB-CDEFGH1234567890IJKLMNOP", "QR-STUVWX1234567890YZABCDEF", null)] // a 2-character group: a code, not a token
    // QA round 11a (pouchdb-server): a document's _rev is its generation and a hash of its content and history; a fresh
    // instance writes its own hash (9 differences in one run: every _rev, rev, changes[].rev and _revs_info[].rev).
    [InlineData("1-78d2c31b6b634680bacbe738b8bc640a", "1-05184e755b2e34d219ced083c05c474e", "revision")]
    [InlineData("3-eeafad13337b99c2293129cfac9e90e2", "3-fa48fdda9a6a82c9fca6a117d4aff780", "revision")]
    [InlineData("1-78d2c31b6b634680bacbe738b8bc640a", "2-05184e755b2e34d219ced083c05c474e", null)] // one more update
    [InlineData("1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "1-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", null)] // no digit: not a hash
    public void VolatileFormats_SameFormatIsNoise(string a, string b, string? format) =>
        Assert.Equal(format, VolatileFormats.Shared(a, b));

    [Theory]
    [InlineData("Widget", "Gadget")]
    [InlineData("10.5", "11.5")]
    [InlineData("3f2b8c1e-9a4d-4c7b-8e21-0d9f6a5b4c3e", "null")]
    [InlineData("2026-11-26T04:00:00Z", "3f2b8c1e-9a4d-4c7b-8e21-0d9f6a5b4c3e")]
    [InlineData("user0@example.test", "user1@example.test")]
    [InlineData("9f86d081884c7d659a2feaa0c55ad015", "9f86d081884c")]
    [InlineData("2125550123", "2125550199")] // phone numbers (New York), not times in 2037
    [InlineData("4155550123", "6505550123")]
    [InlineData("2125550123000", "2125550199000")]
    [InlineData("1795726595.585", "30.26")] // a timestamp becoming a number
    [InlineData("12345678901234567", "12345678901234568")] // 17 digits: a big number, not an id
    [InlineData("10062081578502312644", "42")]
    public void VolatileFormats_RealChangesAreNot(string a, string b) =>
        Assert.Null(VolatileFormats.Shared(a, b));

    [Theory]
    // QA round 9 (Icinga 2): comment and downtime names are "<host>!<uuid>", and the action results name them.
    [InlineData("web-01!57ec86c2-770c-47ad-8d67-4a1f86976b78", "web-01!61095fbf-33c7-4624-ab6e-80baf33b1640", "UUID")]
    [InlineData("Successfully removed comment 'web-01!57ec86c2-770c-47ad-8d67-4a1f86976b78'.", "Successfully removed comment 'web-01!61095fbf-33c7-4624-ab6e-80baf33b1640'.", "UUID")]
    [InlineData("build 2026-11-26T04:00:00Z by ci", "build 2026-11-27T09:12:44Z by ci", "timestamp")]
    [InlineData("/files/57ec86c2-770c-47ad-8d67-4a1f86976b78", "/files/61095fbf-33c7-4624-ab6e-80baf33b1640", "UUID")] // a link to what was created
    public void VolatileFormats_WithinText_OnlyVolatileWordsChanged_IsNoise(string a, string b, string format) =>
        Assert.Equal(format, VolatileFormats.SharedWithin(a, b));

    [Theory]
    [InlineData("web-01!57ec86c2-770c-47ad-8d67-4a1f86976b78", "web-02!61095fbf-33c7-4624-ab6e-80baf33b1640")] // the host changed too
    [InlineData("removed comment 'web-01!57ec86c2-770c-47ad-8d67-4a1f86976b78'", "added comment 'web-01!61095fbf-33c7-4624-ab6e-80baf33b1640'")]
    [InlineData("contract of tok_name_vqdomnkodkry3lwz", "contract of tok_id_rso24mtjmfasrrvg")] // tokens are never volatile
    [InlineData("order 57ec86c2-770c-47ad-8d67-4a1f86976b78 shipped", "order 57ec86c2-770c-47ad-8d67-4a1f86976b78 lost")]
    [InlineData("a 57ec86c2-770c-47ad-8d67-4a1f86976b78", "a 57ec86c2-770c-47ad-8d67-4a1f86976b78 b")]
    [InlineData("c0bdbf17cbcfeaef429f3e5fac2b1f08 " + Long + " Sign in", "a7f78003e7caf65932780842a7c0a53b " + Long + " Log in")] // shortened: the change may be past the cut
    public void VolatileFormats_WithinText_RealChangesAreNot(string a, string b) =>
        Assert.Null(VolatileFormats.SharedWithin(a, b));

    [Fact]
    public void NoiseModel_ANameThatDiffersOnlyInItsUuid_IsFormatNoise()
    {
        var model = new NoiseModel([.. DiffRules.Defaults()]);

        Assert.True(model.IsNoise("POST /v1/actions/add-comment", new Difference("body:$.results[0].name", DifferenceKind.Changed, "web-01!57ec86c2-770c-47ad-8d67-4a1f86976b78", "web-01!61095fbf-33c7-4624-ab6e-80baf33b1640")));
        Assert.False(model.IsNoise("POST /v1/actions/add-comment", new Difference("body:$.results[0].name", DifferenceKind.Changed, "web-01!57ec86c2-770c-47ad-8d67-4a1f86976b78", "web-02!61095fbf-33c7-4624-ab6e-80baf33b1640")));
        Assert.Contains(model.Entries(), e => e.Source == "format" && e.Reason.Contains("differ only in UUIDs", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("body:$.meta", "body:$.meta.build", true)]
    [InlineData("body:$.meta", "body:$.metadata", false)]
    [InlineData("body:$.items[*].updatedAt", "body:$.items[12].updatedAt", true)]
    [InlineData("body:$.*.id", "body:$.a.b.id", false)]
    [InlineData("body:$.**.id", "body:$.a.b.id", true)]
    [InlineData("header:X-*", "header:x-trace", true)]
    [InlineData("status", "status", true)]
    public void LocationGlob_Matches(string pattern, string location, bool expected) =>
        Assert.Equal(expected, LocationGlob.Parse(pattern).IsMatch(location));

    [Fact]
    public void LocationGlob_RejectsUnscopedPatterns() =>
        Assert.Contains("must start with body:", Assert.Throws<FormatException>(() => LocationGlob.Parse("$.a")).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("GET /orders/*", "GET /orders/{id}", true)]
    [InlineData("/orders/**", "DELETE /orders/{id}/items/{id}", true)]
    [InlineData("GET /orders/*", "GET /orders/{id}/items", false)]
    [InlineData("POST /graphql", "POST /graphql (GetUser)", true)]
    public void EndpointGlob_Matches(string pattern, string endpoint, bool expected) =>
        Assert.Equal(expected, EndpointGlob.Parse(pattern).IsMatch(endpoint));

    [Fact]
    public void NoiseModel_LearnedFieldsGeneraliseIndexesAndCount()
    {
        var model = new NoiseModel([.. DiffRules.Defaults()]);
        model.Learn("GET /x", "body:$.items[3].at", NoiseModel.IdenticalRequests);

        Assert.True(model.IsNoise("GET /x", new Difference("body:$.items[7].at", DifferenceKind.Changed, "1", "2")));
        Assert.False(model.IsNoise("GET /y", new Difference("body:$.items[7].at", DifferenceKind.Changed, "1", "2")));
        Assert.True(model.IsNoise("GET /y", new Difference("header:date", DifferenceKind.Changed, "a", "b")));
        var entries = model.Entries();
        Assert.Contains(entries, e => e.Location == "body:$.items[*].at" && e.Count == 1 && e.Reason.Contains("identical requests", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Location == "header:date" && e.Source == "default");
    }

    [Fact]
    public void RulesLoader_ParsesRulesAndKeys()
    {
        var (rules, errors) = DiffRulesLoader.Parse("""
            ignoreArrayOrder: true
            ignore:
              - path: "body:$.meta.**"
                endpoint: "GET /orders/*"
                reason: build metadata
            arrayKeys:
              - path: "$.orders[3].lines"
                key: sku
            """, "r.yaml");

        Assert.Empty(errors);
        Assert.True(rules.IgnoreArrayOrder);
        var rule = Assert.Single(rules.Ignore);
        Assert.True(rule.Covers("GET /orders/{id}", "body:$.meta.build.sha"));
        Assert.False(rule.Covers("GET /users/{id}", "body:$.meta.build.sha"));
        Assert.Equal("$.orders[*].lines", Assert.Single(rules.ArrayKeys).Path);
    }

    [Fact]
    public void RulesLoader_ReportsEveryErrorWithItsLine()
    {
        var (_, errors) = DiffRulesLoader.Parse("ignore:\n  - path: \"x\"\narrayKeys:\n  - path: items\n    key: id\nignoreArrayOrder: maybe\n", "r.yaml");

        Assert.Equal(
            ["r.yaml:2: ignore[0].path: 'x' must start with body:, header:, trailer:, status or error", "r.yaml:4: arrayKeys[0].path: 'items' must be a JSON path starting with $", "r.yaml:6: ignoreArrayOrder: expected true or false"],
            errors);
    }

    [Fact]
    public void RulesLoader_BadYaml_NamesTheLine()
    {
        var (_, errors) = DiffRulesLoader.Parse("ignore:\n  - path: [unclosed\n", "r.yaml");

        var error = Assert.Single(errors);
        Assert.StartsWith("r.yaml:3: invalid YAML: ", error, StringComparison.Ordinal); // FILE:LINE, like every rules file (the flow sequence is still open at the end)
        Assert.DoesNotContain("Line:", error, StringComparison.Ordinal); // not YamlDotNet's own position again
    }
}
