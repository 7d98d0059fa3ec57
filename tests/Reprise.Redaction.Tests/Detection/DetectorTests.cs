using Reprise.Redaction.Detection;
using Xunit;

namespace Reprise.Redaction.Tests.Detection;

public sealed class DetectorTests
{
    [Theory]
    [InlineData("email", "write to maria.gonzalez+shop@gmail.com today", "maria.gonzalez+shop@gmail.com")]
    [InlineData("email", "tok_email_abcdefghijklmnop@redacted.example.com", null)]
    [InlineData("email", "tok_email_abcdefghijklmnop@redacted.invalid", null)] // written by builds before QA round 12c
    [InlineData("email", "docs at support@docs.example", null)]
    [InlineData("email", "test user jane.doe@example.com here", "jane.doe@example.com")] // the placeholder people type is masked
    [InlineData("phone", "call +1 415-555-2671 now", "+1 415-555-2671")]
    [InlineData("phone", "call (212) 555-7788", "(212) 555-7788")]
    [InlineData("phone", "+44 20 7946 0958", "+44 20 7946 0958")]
    [InlineData("phone", "fictional 202-555-0143", "202-555-0143")] // 555-01xx too: test data uses it]
    [InlineData("phone", "date 2026-03-01 and id 1234567890", null)]
    [InlineData("ip-address", "from 81.2.69.160:443", "81.2.69.160")]
    [InlineData("ip-address", "v6 2a03:2880:f12f:83:face:b00c:0:25de here", "2a03:2880:f12f:83:face:b00c:0:25de")]
    [InlineData("ip-address", "Chrome/120.0.0.0 Safari", null)]
    [InlineData("ip-address", "loopback 127.0.0.1 and time 12:30:45", null)]
    [InlineData("ip-address", "doc range 192.0.2.7 here", "192.0.2.7")] // documentation ranges too: test data uses them
    [InlineData("card-number", "card 4539 1488 0343 6467 ok", "4539 1488 0343 6467")]
    [InlineData("card-number", "amex 378734493671000", "378734493671000")]
    [InlineData("card-number", "luhn fails 4539 1488 0343 6468", null)]
    [InlineData("card-number", "ean 4006381333931 and test 4242424242424242", "4242424242424242")] // the Stripe test card people type is masked]
    [InlineData("iban", "pay DE89 3704 0044 0532 0130 01 now", null)]
    [InlineData("iban", "pay GB33BUKB20201555555555 now", "GB33BUKB20201555555555")]
    [InlineData("iban", "pay DE75 5121 0800 1245 1261 99 thanks", "DE75 5121 0800 1245 1261 99")]
    [InlineData("us-ssn", "ssn 123-45-6789.", "123-45-6789")]
    [InlineData("us-ssn", "not issued 666-12-3456 or 900-12-3456 or 123-00-4567", null)]
    [InlineData("jwt", "t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")]
    [InlineData("bearer-token", "Authorization: Bearer 9f8e7d6c5b4a3f2e1d0c", "9f8e7d6c5b4a3f2e1d0c")]
    [InlineData("bearer-token", "Token expiredsoon", null)]
    [InlineData("api-key", "key AKIAIOSFODNN7EXAMPLE end", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData("api-key", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghijklmnopqrstuvwxyz0123456789")]
    [InlineData("api-key", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx")]
    [InlineData("api-key", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_4eC39HqLyjWDarjtT1zdp7dc")]
    [InlineData("api-key", "glpat-xxxxxxxxxxxxxxxxxxxx", "glpat-xxxxxxxxxxxxxxxxxxxx")]
    [InlineData("api-key", "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY")]
    [InlineData("api-key", "sk_live_short", null)]
    public void ValueDetector_FindsExactlyTheSensitiveSpan(string detector, string text, string? expected)
    {
        var matches = new List<(int Start, int Length)>();
        BuiltInDetectors.ValueDetectors[detector]().Find(text, matches);

        if (expected is null)
        {
            Assert.Empty(matches);
        }
        else
        {
            var (start, length) = Assert.Single(matches);
            Assert.Equal(expected, text.Substring(start, length));
        }
    }

    [Theory]
    [InlineData("password", "password", "", "x", true)]
    [InlineData("password", "userpassword", "", "hunter2", true)]
    [InlineData("secret", "clientsecret", "", "Zx81kLm0Qp29sWv7", true)]
    [InlineData("secret", "accesstoken", "", "9f8e7d6c5b4a3f2e1d0c", true)]
    [InlineData("secret", "tokentype", "", "Bearer", false)]
    [InlineData("secret", "nextpagetoken", "", "CiAKGjBpNDd2Nmp2", false)]
    [InlineData("secret", "token", "", "short", false)]
    [InlineData("person-name", "lastname", "", "O'Brien-Smith", true)]
    [InlineData("person-name", "name", "customers", "Ann Lee", true)]
    [InlineData("person-name", "name", "product", "Ceramic Mug", false)]
    [InlineData("person-name", "fullname", "", "octocat/hello-world", false)]
    [InlineData("account-id", "id", "user", "4821376", true)]
    [InlineData("account-id", "id", "user", "48213", false)] // a row number: kept everywhere (RowNumberIdTests)
    [InlineData("account-id", "id", "order", "48213", false)]
    [InlineData("account-id", "customerid", "", "CUST-0042", true)]
    [InlineData("phone-field", "mobile", "", "4155552671", true)]
    [InlineData("phone-field", "phone", "", "n/a", false)]
    [InlineData("national-id", "ssn", "", "123456789", true)]
    [InlineData("birth-date", "dob", "", "1984-07-12", true)]
    [InlineData("postal-address", "line1", "billingaddress", "12 High St", true)]
    [InlineData("address-field", "address", "", "221B Baker Street, London NW1 6XE", true)]
    [InlineData("address-field", "shippingaddress", "", "1 Rue de la Paix", true)]
    [InlineData("address-field", "address", "", "10.0.0.1", false)] // an IP: the ip-address detector's
    [InlineData("address-field", "address", "", "0x71C7656EC7ab88b098defB751B7401B5f6d8976F", false)] // a wallet
    [InlineData("address-field", "ipaddress", "", "somewhere else", false)]
    public void FieldDetector_ByNameAndValue(string detector, string field, string parent, string value, bool expected)
    {
        Assert.Equal(expected, BuiltInDetectors.FieldDetectors[detector]().Matches(new FieldContext(field, parent), value));
    }

    [Theory]
    [InlineData("First_Name", "firstname")]
    [InlineData("first-name", "firstname")]
    [InlineData("wsse:Password", "password")]
    [InlineData("X.Api.Key", "xapikey")]
    public void FieldNames_Normalize(string name, string expected) => Assert.Equal(expected, FieldNames.Normalize(name));

    [Theory]
    [InlineData("4539148803436467", true)]
    [InlineData("4539148803436468", false)]
    [InlineData("79927398713", true)]
    public void Luhn_Checks(string digits, bool valid) => Assert.Equal(valid, Luhn.IsValid(digits));
}
