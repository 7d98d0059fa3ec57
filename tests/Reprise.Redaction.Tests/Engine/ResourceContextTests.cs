using System.Text.Json.Nodes;
using Reprise.Redaction.Tests.Support;
using Xunit;

namespace Reprise.Redaction.Tests.Engine;

/// <summary>
/// A <c>name</c> at the top of a body has no enclosing field: the resource the request names (URL path,
/// GraphQL root field, SOAP operation) and the object's sibling fields decide whether it is a person.
/// </summary>
public sealed class ResourceContextTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("https://api.acme.test/users/1")]
    [InlineData("https://api.acme.test/users/7f3a9c12-54d1-4b8e-9a11-0c2d3e4f5a6b")]
    [InlineData("https://api.acme.test/api/v2/customers")]
    [InlineData("https://api.acme.test/members/812/profile")]
    [InlineData("https://api.acme.test/people/12")]
    [InlineData("https://api.acme.test/me")]
    [InlineData("https://api.acme.test/api/profile")]
    [InlineData("https://api.acme.test/api/v1/all-users")]
    [InlineData("https://api.acme.test/api/v1/teamMembers/9/profile")]
    public void JsonResponse_TopLevelNameUnderPersonResource_Tokenized(string url)
    {
        var exchange = Testing.Exchanges.Get(url, """{"id":1,"name":"Alice Johnson","username":"ajohnson"}""");

        var text = Policies.ResponseText(Policies.Default.Redact(exchange));
        output.WriteLine(text);

        Assert.DoesNotContain("Alice Johnson", text, StringComparison.Ordinal);
        Assert.StartsWith("tok_name_", JsonNode.Parse(text)!["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, JsonNode.Parse(text)!["id"]!.GetValue<int>()); // the id is already in the URL: not tokenized from the resource alone
    }

    [Fact]
    public void JsonList_NamesUnderUsersCollection_Tokenized()
    {
        var exchange = Testing.Exchanges.Get("https://api.acme.test/users", """[{"id":1,"name":"Alice Johnson"},{"id":2,"name":"Bob Stone"}]""");

        var text = Policies.ResponseText(Policies.Default.Redact(exchange));

        Assert.DoesNotContain("Alice Johnson", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Bob Stone", text, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonRequest_PostUsersName_Tokenized()
    {
        var exchange = Testing.Exchanges.Send("POST", "https://api.acme.test/users", """{"name":"Zoe Quinn"}""");

        var redacted = Policies.Default.Redact(exchange);

        Assert.DoesNotContain("Zoe Quinn", Policies.RequestText(redacted), StringComparison.Ordinal);
        Assert.Contains(new Core.Model.Redaction("request.body:$.name", "person-name", "tokenize"), redacted.Redactions);
    }

    [Fact]
    public void JsonResponse_DataWrapperUnderUsers_Tokenized()
    {
        var exchange = Testing.Exchanges.Get("https://api.acme.test/api/users/5", """{"data":{"id":5,"name":"Alice Johnson","company":{"name":"Acme Corp"}}}""");

        var text = Policies.ResponseText(Policies.Default.Redact(exchange));

        Assert.DoesNotContain("Alice Johnson", text, StringComparison.Ordinal);
        Assert.Contains("Acme Corp", text, StringComparison.Ordinal); // a nested company keeps its own context
    }

    [Fact]
    public void GraphQlMutation_VariablesName_Tokenized()
    {
        var exchange = Testing.Exchanges.Send(
            "POST",
            "https://api.acme.test/graphql",
            """{"query":"mutation CreateUser($name: String!, $email: String) { createUser(name: $name, email: $email) { id name } }","variables":{"name":"Zoe Quinn"}}""",
            """{"data":{"createUser":{"id":"9","name":"Zoe Quinn"}}}""");

        var redacted = Policies.Default.Redact(exchange);

        Assert.DoesNotContain("Zoe Quinn", Policies.RequestText(redacted), StringComparison.Ordinal);
        Assert.DoesNotContain("Zoe Quinn", Policies.ResponseText(redacted), StringComparison.Ordinal);
    }

    [Fact]
    public void GraphQlMutation_InputObjectAndAliasedField_Tokenized()
    {
        var exchange = Testing.Exchanges.Send(
            "POST",
            "https://api.acme.test/graphql",
            """{"operationName":"Save","variables":{"input":{"name":"Zoe Quinn"}},"query":"# save a customer\nmutation Save($input: CustomerInput = {tier: \"a\"}) { saved: updateCustomer(input: $input) { id } }"}""");

        Assert.DoesNotContain("Zoe Quinn", Policies.RequestText(Policies.Default.Redact(exchange)), StringComparison.Ordinal);
    }

    // QA round 12c (Directus' generated GraphQL schema): "create_customers_item(data: $data)" with {"data":{"name":"Lena
    // Fischer",…}} kept the name in the variables and in the answer under "create_customers_item": the resource was read as
    // the last word, "item". Generated CRUD schemas name the operation around the collection (Directus
    // create_customers_item/items, Hasura insert_users_one, update_users_many).
    [Theory]
    [InlineData("mutation AddCustomer($data: create_customers_input!) { create_customers_item(data: $data) { id name email } }", "create_customers_item")]
    [InlineData("mutation AddCustomers($data: [create_customers_input!]) { create_customers_items(data: $data) { id name } }", "create_customers_items")]
    [InlineData("mutation AddUser($data: users_insert_input!) { insert_users_one(object: $data) { id name } }", "insert_users_one")]
    public void GraphQlMutation_OfAGeneratedCrudSchema_NameTokenized(string query, string root)
    {
        var exchange = Testing.Exchanges.Send(
            "POST",
            "https://api.acme.test/graphql",
            "{\"query\":\"" + query.Replace("\"", "\\\"", StringComparison.Ordinal) + "\",\"variables\":{\"data\":{\"name\":\"Lena Fischer\",\"notes\":\"graphql\"}}}",
            "{\"data\":{\"" + root + "\":{\"id\":\"4\",\"name\":\"Lena Fischer\"}}}");

        var redacted = Policies.Default.Redact(exchange);

        Assert.DoesNotContain("Lena Fischer", Policies.RequestText(redacted), StringComparison.Ordinal);
        Assert.DoesNotContain("Lena Fischer", Policies.ResponseText(redacted), StringComparison.Ordinal);
    }

    // A cardinality word after a singular noun is a collection of its own: a customer's items are things.
    [Fact]
    public void ItemsOfASingularPerson_AreThings_NamesKept()
    {
        var exchange = Testing.Exchanges.Get("https://api.acme.test/orders/7", """{"customerItems":[{"name":"Blue Widget"}],"user_one":{"name":"Red Widget"}}""");

        Assert.Same(exchange, Policies.Default.Redact(exchange));
    }

    [Fact]
    public void GraphQlMutation_OfAGeneratedCrudSchema_ProductNameKept()
    {
        var exchange = Testing.Exchanges.Send(
            "POST",
            "https://api.acme.test/graphql",
            """{"query":"mutation { create_products_item(data: $data) { id name } }","variables":{"data":{"name":"Widget Pro"}}}""",
            """{"data":{"create_products_item":{"id":"1","name":"Widget Pro"}}}""");

        var redacted = Policies.Default.Redact(exchange);

        Assert.Contains("Widget Pro", Policies.RequestText(redacted), StringComparison.Ordinal);
        Assert.Contains("Widget Pro", Policies.ResponseText(redacted), StringComparison.Ordinal);
    }

    [Fact]
    public void GraphQlMutation_ProductName_Kept()
    {
        var exchange = Testing.Exchanges.Send(
            "POST",
            "https://api.acme.test/graphql",
            """{"query":"mutation { createProduct(input: $input) { id } }","variables":{"input":{"name":"Widget Pro"}}}""");

        Assert.Same(exchange, Policies.Default.Redact(exchange));
    }

    [Fact]
    public void Soap_NameUnderOperationResponse_Tokenized()
    {
        var xml = """<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetCustomerResponse><Name>Alice Johnson</Name><Tier>gold</Tier></GetCustomerResponse></s:Body></s:Envelope>""";
        var exchange = Testing.Exchanges.Get("https://api.acme.test/soap") with
        {
            Response = new ExchangeResponse { Status = 200, Headers = [new("Content-Type", "text/xml")], Body = ExchangeBody.FromText(xml, "text/xml") },
        };

        Assert.DoesNotContain("Alice Johnson", Policies.ResponseText(Policies.Default.Redact(exchange)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.acme.test/things/3", """{"id":3,"name":"Alice Johnson","email":"alice.j@gmail.com","lastName":"Johnson"}""")]
    [InlineData("https://api.acme.test/api/records", """{"results":[{"name":"Alice Johnson","phone":"+1 415 555 0134","gender":"female"}]}""")]
    [InlineData("https://api.acme.test/tickets/3", """{"assignee":{"name":"Alice Johnson","firstName":"Alice"}}""")]
    [InlineData("https://api.acme.test/export", """{"name":"Alice Johnson","birthDate":"1990-04-01"}""")]
    public void Json_NameWithPersonSiblings_Tokenized(string url, string body)
    {
        var exchange = Testing.Exchanges.Get(url, body);

        var text = Policies.ResponseText(Policies.Default.Redact(exchange));
        output.WriteLine(text);

        Assert.DoesNotContain("Alice Johnson", text, StringComparison.Ordinal);
    }

    [Fact]
    public void FormAndQuery_NameUnderUsers_Tokenized()
    {
        var form = Testing.Exchanges.Get("https://api.acme.test/users?name=Alice%20Johnson") with
        {
            Request = new ExchangeRequest
            {
                Method = "POST",
                Url = "https://api.acme.test/users?name=Alice%20Johnson",
                Headers = [new("Content-Type", "application/x-www-form-urlencoded")],
                Body = ExchangeBody.FromText("name=Bob+Stone&plan=pro", "application/x-www-form-urlencoded"),
            },
        };

        var redacted = Policies.Default.Redact(form);

        Assert.DoesNotContain("Alice", redacted.Request.Url, StringComparison.Ordinal);
        Assert.DoesNotContain("Bob", Policies.RequestText(redacted), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.acme.test/products/4", """{"id":4,"name":"Widget Pro","price":9.5}""")]
    [InlineData("https://api.acme.test/items", """[{"id":1,"name":"Widget Pro"},{"id":2,"name":"Gadget Max"}]""")]
    [InlineData("https://api.acme.test/api/v1/catalog/categories/12", """{"name":"Kitchen Tools","slug":"kitchen-tools"}""")]
    [InlineData("https://api.acme.test/orgs/acme", """{"name":"Acme Corp","email":"info@acme.test","phone":"+1 415 555 0100"}""")]
    [InlineData("https://api.acme.test/companies/9", """{"data":{"name":"Acme Corp","email":"info@acme.test"}}""")]
    [InlineData("https://api.acme.test/tags", """[{"name":"Outdoor Gear"},{"name":"Sale"}]""")]
    [InlineData("https://api.acme.test/files/abc123def456", """{"name":"Quarterly Report","size":1234}""")]
    [InlineData("https://api.acme.test/users/1/orders", """{"items":[{"name":"Widget Pro","qty":2}]}""")]
    [InlineData("https://api.acme.test/things/3", """{"name":"Blue Widget","color":"blue"}""")]
    public void Json_NonPersonNames_Kept(string url, string body)
    {
        var exchange = Testing.Exchanges.Get(url, body);

        var redacted = Policies.Default.Redact(exchange);
        output.WriteLine(string.Join(", ", redacted.Redactions.Select(r => r.Location + " " + r.Rule)));

        Assert.DoesNotContain(redacted.Redactions, r => r.Rule == "person-name");
    }
}
