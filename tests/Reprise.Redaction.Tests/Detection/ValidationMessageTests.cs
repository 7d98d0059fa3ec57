using System.Text.Json;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Detection;

/// <summary>
/// QA round 12b (Django REST framework): a 400 to <c>POST /api/customers/</c> answers the errors keyed by field,
/// <c>{"name":["This field may not be blank."],"email":["Enter a valid email address."]}</c>. Under a customers resource
/// the message was read as the customer's name and tokenized word by word (six tokens and a period): the error on disk
/// and served by the mock no longer said what was wrong. A sentence is not a name; names with particles still are.
/// </summary>
public sealed class ValidationMessageTests
{
    private static string NameAfter(string responseJson)
    {
        var exchange = Testing.Exchanges.Send("POST", "http://crm.test/api/customers/", """{"name":"","email":"bad"}""", responseJson, status: 400);
        using var json = JsonDocument.Parse(Policies.ResponseText(Policies.Default.Redact(exchange)));
        var name = json.RootElement.GetProperty("name");
        return name.ValueKind == JsonValueKind.Array ? name[0].GetString()! : name.GetString()!;
    }

    [Theory]
    [InlineData("This field may not be blank.")]
    [InlineData("This field is required.")]
    [InlineData("Ensure this field is not empty")]
    public void AValidationMessageUnderAPersonResource_IsKept(string message)
    {
        Assert.Equal(message, NameAfter(JsonSerializer.Serialize(new { name = new[] { message } })));
    }

    [Theory]
    [InlineData("Ludwig van der Rohe")]
    [InlineData("María del Carmen Gonzalez")]
    [InlineData("maria del carmen")]
    [InlineData("Martin Luther King Jr.")]
    public void ANameWithParticlesOrAnInitial_IsStillTokenized(string fullName)
    {
        Assert.StartsWith("tok_name_", NameAfter(JsonSerializer.Serialize(new { name = fullName })), StringComparison.Ordinal);
    }
}
