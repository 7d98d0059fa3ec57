namespace Reprise.Core.Analysis;

/// <summary>An endpoint: service, method and templated path (plus the operation for GraphQL/SOAP/gRPC).</summary>
/// <param name="Service">The service (host when unnamed).</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Template">The templated path, e.g. <c>/orders/{id}</c>.</param>
/// <param name="Operation">The GraphQL operation or SOAP action, when there is one; else the routing query parameters (<see cref="RoutingQuery"/>), when there are some.</param>
public sealed record EndpointKey(string Service, string Method, string Template, string? Operation)
{
    /// <inheritdoc />
    public override string ToString() => Operation is null ? $"{Method} {Template}" : $"{Method} {Template} ({Operation})";

    /// <summary>The endpoint an exchange belongs to.</summary>
    public static EndpointKey Of(Model.Exchange exchange)
    {
        exchange.Tags.TryGetValue(Protocols.ProtocolClassifier.GraphQLOperationTag, out var operation);
        if (operation is null)
        {
            exchange.Tags.TryGetValue(Protocols.ProtocolClassifier.SoapActionTag, out operation);
        }

        // An application routed by its query (/?_task=mail&_action=list) or form (action=heartbeat) has one endpoint per route, not one in all.
        operation ??= RoutingQuery.Of(exchange.Request);

        return new EndpointKey(
            exchange.Service ?? Model.UrlParts.Host(exchange.Request.Url),
            exchange.Request.Method.ToUpperInvariant(),
            PathTemplate.Of(Model.UrlParts.Path(exchange.Request.Url)),
            operation);
    }
}
