using Reprise.Core.Model;
using Reprise.Core.Protocols;
using Reprise.Testing;
using Xunit;

namespace Reprise.Core.Tests.Protocols;

public sealed class ProtocolClassifierTests
{
    [Fact]
    public void Classify_GraphQLPost_NamesOperationFromQueryWhenNoOperationName()
    {
        var exchange = Exchanges.Send("POST", "http://a.test/api", """{"query":"mutation AddItem($id: ID!) { addItem(id: $id) { id } }","variables":{"id":"1"}}""");
        var classified = ProtocolClassifier.Classify(exchange);
        Assert.Equal(Protocol.GraphQL, classified.Protocol);
        Assert.Equal("AddItem", classified.Tags[ProtocolClassifier.GraphQLOperationTag]);
        Assert.Equal("mutation", classified.Tags[ProtocolClassifier.GraphQLTypeTag]);
    }

    [Fact]
    public void Classify_AnonymousGraphQLQuery_IsGraphQLWithoutOperation()
    {
        var classified = ProtocolClassifier.Classify(Exchanges.Send("POST", "http://a.test/graphql", """{"query":"{ me { id } }"}"""));
        Assert.Equal(Protocol.GraphQL, classified.Protocol);
        Assert.False(classified.Tags.ContainsKey(ProtocolClassifier.GraphQLOperationTag));
    }

    [Fact]
    public void Classify_JsonWithQueryFieldThatIsNotGraphQL_StaysHttp()
    {
        var classified = ProtocolClassifier.Classify(Exchanges.Send("POST", "http://a.test/search", """{"query":"red shoes","limit":10}"""));
        Assert.Equal(Protocol.Http1, classified.Protocol);
    }

    [Fact]
    public void Classify_Soap11_TagsSoapAction()
    {
        var exchange = Exchanges.Get("http://a.test/svc") with
        {
            Request = new ExchangeRequest
            {
                Method = "POST",
                Url = "http://a.test/svc",
                Headers = [new("Content-Type", "text/xml; charset=utf-8"), new("SOAPAction", "\"http://tempuri.org/GetQuote\"")],
                Body = ExchangeBody.FromText("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body/></soap:Envelope>", "text/xml"),
            },
        };
        var classified = ProtocolClassifier.Classify(exchange);
        Assert.Equal(Protocol.Soap, classified.Protocol);
        Assert.Equal("http://tempuri.org/GetQuote", classified.Tags[ProtocolClassifier.SoapActionTag]);
    }

    [Fact]
    public void Classify_Soap12ActionInContentType_TagsSoapAction()
    {
        var exchange = Exchanges.Get("http://a.test/svc") with
        {
            Request = new ExchangeRequest { Method = "POST", Url = "http://a.test/svc", Headers = [new("Content-Type", "application/soap+xml; charset=utf-8; action=\"urn:Quote\"")] },
        };
        Assert.Equal("urn:Quote", ProtocolClassifier.Classify(exchange).Tags[ProtocolClassifier.SoapActionTag]);
    }

    [Fact]
    public void Classify_Grpc_TagsMethod()
    {
        var exchange = Exchanges.Get("http://a.test/greet.Greeter/SayHello") with
        {
            Request = new ExchangeRequest { Method = "POST", Url = "http://a.test/greet.Greeter/SayHello", Version = "HTTP/2", Headers = [new("content-type", "application/grpc")] },
        };
        var classified = ProtocolClassifier.Classify(exchange);
        Assert.Equal(Protocol.Grpc, classified.Protocol);
        Assert.Equal("/greet.Greeter/SayHello", classified.Tags[ProtocolClassifier.GrpcMethodTag]);
    }

    [Theory]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", true)]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01", false)]
    [InlineData("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01", false)]
    [InlineData("garbage", false)]
    [InlineData(null, false)]
    public void TraceContext_TryParse_FollowsW3C(string? header, bool valid) =>
        Assert.Equal(valid, TraceContext.TryParse(header, out _, out _));

    [Fact]
    public void TraceContext_NewIds_Parse()
    {
        var header = TraceContext.Format(TraceContext.NewTraceId(), TraceContext.NewSpanId());
        Assert.True(TraceContext.TryParse(header, out _, out _));
    }

    [Theory]
    [InlineData("websocket", 101, "websocket", Protocol.WebSocket)]
    [InlineData("WebSocket", 101, "WebSocket", Protocol.WebSocket)]
    [InlineData("foo/2, websocket", 101, "websocket", Protocol.WebSocket)]
    [InlineData("websocket", 101, null, Protocol.WebSocket)]
    [InlineData("h2c", 101, "h2c", Protocol.Http1)]
    [InlineData("SPDY/3.1", 101, "SPDY/3.1", Protocol.Http1)]
    [InlineData(null, 101, "custom", Protocol.Http1)]
    [InlineData("websocket", 101, "h2c", Protocol.Http1)]
    [InlineData("websocketx", 101, "websocketx", Protocol.Http1)]
    [InlineData("websocket", 403, null, Protocol.Http1)]
    [InlineData("h2c", 200, null, Protocol.Http1)]
    public void Classify_Upgrade_WebSocketOnlyForWebSocketTokenAnd101(string? asked, int status, string? switchedTo, Protocol expected)
    {
        var exchange = Exchanges.Get("http://a.test/ws") is var e
            ? e with
            {
                Request = e.Request with { Headers = asked is null ? [] : [new("Connection", "Upgrade"), new("Upgrade", asked)] },
                Response = e.Response! with { Status = status, Headers = switchedTo is null ? [] : [new("Connection", "Upgrade"), new("Upgrade", switchedTo)], Body = null },
            }
            : null!;
        Assert.Equal(expected, ProtocolClassifier.Classify(exchange).Protocol);
    }

    [Theory]
    [InlineData("websocket", "websocket", true)]
    [InlineData(" h2c , WebSocket ", "websocket", true)]
    [InlineData("SPDY/3.1", "spdy", true)]
    [InlineData("SPDY/3.1", "SPDY/3.1", true)]
    [InlineData("SPDY/3.1", "SPDY/2", false)]
    [InlineData("websockets", "websocket", false)]
    [InlineData("", "websocket", false)]
    [InlineData(null, "websocket", false)]
    public void UpgradeNames_TokenInCommaList(string? header, string protocol, bool expected) =>
        Assert.Equal(expected, ProtocolClassifier.UpgradeNames(header, protocol));
}
