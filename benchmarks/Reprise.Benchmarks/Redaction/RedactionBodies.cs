using System.Globalization;
using System.Text;

namespace Reprise.Benchmarks.Redaction;

/// <summary>
/// Benchmark bodies. <see cref="Orders"/> is the original one (order records, one free-text note in
/// twenty holds an email: little personal data). <see cref="Customers"/> is a realistic customer-list
/// response (a CRM or shop admin API): every record has a name, an email, a phone, a postal address,
/// a login IP and a customer id, mixed with the usual ids, timestamps, enums, URLs and nested arrays;
/// it is what a PII-dense real API returns, so it measures the cost of redacting, not only of scanning.
/// </summary>
internal static class RedactionBodies
{
    private static readonly string[] First = ["Ann", "Jonas", "Priya", "Mateo", "Chloé", "Wei", "Fatima", "Oliver", "Sakura", "Kwame", "Lena", "Diego"];
    private static readonly string[] Last = ["Lee", "Müller", "Sharma", "García", "Dubois", "Zhang", "Haddad", "Smith", "Tanaka", "Mensah", "Novak", "Rossi"];
    private static readonly string[] Cities = ["Berlin", "Lyon", "Austin", "Osaka", "Accra", "Madrid", "Leeds", "Porto"];
    private static readonly string[] Streets = ["Main St", "Rue de la Paix", "Hauptstraße", "Calle Mayor", "High Street", "Elm Avenue"];
    private static readonly string[] Tags = ["vip", "newsletter", "b2b", "returning", "wholesale", "beta"];
    private static readonly string[] Domains = ["gmail.com", "outlook.com", "yahoo.co.uk", "proton.me", "acme-corp.de"];

    /// <summary>The original order-list body (see <see cref="RedactionBenchmarks.Body"/>).</summary>
    public static byte[] Orders(int bytes) => RedactionBenchmarks.Body(bytes);

    /// <summary>A customer-list page: PII in every record.</summary>
    public static byte[] Customers(int bytes)
    {
        var random = new Random(2);
        var sb = new StringBuilder("{\"data\":[");
        var i = 0;
        while (sb.Length < bytes - 1200 || i == 0)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            var first = First[random.Next(First.Length)];
            var last = Last[random.Next(Last.Length)];
            var id = new Guid(Bytes(random)).ToString();
            sb.Append(CultureInfo.InvariantCulture, $$"""{"id":"{{id}}","customerId":"C-{{random.Next(1000000, 9999999)}}","firstName":"{{first}}","lastName":"{{last}}",""")
              .Append('"').Append(CultureInfo.InvariantCulture, $$"""email":"{{first.ToLowerInvariant()}}.{{last.ToLowerInvariant()}}{{i}}@{{Domains[random.Next(Domains.Length)]}}","phone":"+44 20 {{random.Next(1000, 9999)}} {{random.Next(1000, 9999)}}",""")
              .Append('"').Append(CultureInfo.InvariantCulture, $$"""address":{"line1":"{{random.Next(1, 300)}} {{Streets[random.Next(Streets.Length)]}}","city":"{{Cities[random.Next(Cities.Length)]}}","postalCode":"{{random.Next(10000, 99999)}}","country":"{{(i % 2 == 0 ? "DE" : "GB")}}"},""")
              .Append('"').Append(CultureInfo.InvariantCulture, $$"""status":"{{(i % 7 == 0 ? "suspended" : "active")}}","createdAt":"2025-{{1 + (i % 12):00}}-{{1 + (i % 28):00}}T{{i % 24:00}}:{{i % 60:00}}:00.000Z","updatedAt":"2026-03-01T10:{{i % 60:00}}:00Z",""")
              .Append('"').Append(CultureInfo.InvariantCulture, $$"""lastLoginIp":"{{random.Next(11, 223)}}.{{random.Next(0, 255)}}.{{random.Next(0, 255)}}.{{random.Next(1, 254)}}","locale":"en-GB","timezone":"Europe/London",""")
              .Append('"').Append(CultureInfo.InvariantCulture, $$"""tags":["{{Tags[random.Next(Tags.Length)]}}","{{Tags[random.Next(Tags.Length)]}}"],"marketing":{"email":{{(i % 3 == 0 ? "true" : "false")}},"sms":false},""")
              .Append('"').Append(CultureInfo.InvariantCulture, $$"""loyalty":{"tier":"{{(i % 5 == 0 ? "gold" : "silver")}}","points":{{random.Next(0, 20000)}},"memberSince":"2019-0{{1 + (i % 9)}}-15"},""")
              .Append('"').Append(CultureInfo.InvariantCulture, $$"""avatarUrl":"https://cdn.shop.test/avatars/{{id}}.png?size=128","stats":{"orders":{{random.Next(0, 80)}},"lifetimeValue":{{random.Next(0, 500000) / 100.0}},"lastOrderId":"ORD-{{random.Next(100000, 999999)}}"},""")
              .Append('"').Append(CultureInfo.InvariantCulture, $$"""notes":"{{(i % 10 == 0 ? "prefers delivery after 5pm, call " + "+44 7700 " + random.Next(100000, 999999) : "no special instructions")}}"}""");
            i++;
        }

        sb.Append(CultureInfo.InvariantCulture, $$"""],"page":{"number":3,"size":{{i}},"totalElements":48213,"next":"https://api.shop.test/api/customers?page=4&size={{i}}"}""").Append('}');
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static byte[] Bytes(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return bytes;
    }
}
