// .NET HttpClient client through the proxy in PX, trusting the PEM CA in CA.
using System.Net;
using System.Security.Cryptography.X509Certificates;
var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Environment.GetEnvironmentVariable("CA")!));
var handler = new HttpClientHandler
{
    Proxy = new WebProxy(Environment.GetEnvironmentVariable("PX")), UseProxy = true,
    AutomaticDecompression = DecompressionMethods.All,
    ServerCertificateCustomValidationCallback = (_, cert, chain, _) =>
    {
        chain!.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(cert!);
    },
};
using var http = new HttpClient(handler);
const string H = "https://localhost:18443";
async Task Show(string name, HttpRequestMessage req)
{
    req.Headers.TryAddWithoutValidation("X-Correlation-Id", Guid.NewGuid().ToString());
    using var r = await http.SendAsync(req);
    var t = (await r.Content.ReadAsStringAsync()).Replace("\n", "");
    var m = r.Headers.TryGetValues("X-Reprise-Match", out var v) ? string.Join(",", v) : "-";
    Console.WriteLine($"{name} {(int)r.StatusCode} {m} {t[..Math.Min(140, t.Length)]}");
}
await Show("net_token", new(HttpMethod.Post, H + "/oauth/token") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = "net", ["client_secret"] = "s3cret" }) });
await Show("net_page", new(HttpMethod.Get, H + "/catalog/items?cursor=1&limit=2"));
await Show("net_gz", new(HttpMethod.Get, H + "/gz"));
await Show("net_soap", new(HttpMethod.Post, H + "/soap") { Content = new StringContent("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><GetPrice><sku>B2</sku></GetPrice></soap:Body></soap:Envelope>", System.Text.Encoding.UTF8, "text/xml"), Headers = { { "SOAPAction", "\"http://ex.test/GetPrice\"" } } });
await Show("net_cart_before", new(HttpMethod.Get, H + "/cart"));
await Show("net_cart_add", new(HttpMethod.Post, H + "/cart") { Content = new StringContent("{\"sku\":\"SKU-3\",\"qty\":1}", System.Text.Encoding.UTF8, "application/json") });
await Show("net_cart_after", new(HttpMethod.Get, H + "/cart"));
await Show("net_head", new(HttpMethod.Head, H + "/catalog/items?cursor=1&limit=2"));
