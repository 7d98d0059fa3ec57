namespace Reprise.Core.Model;

/// <summary>Which side of the service under capture an exchange crossed.</summary>
public enum Direction
{
    /// <summary>A request into the service (what <c>replay</c> drives).</summary>
    Inbound,

    /// <summary>A call from the service to a dependency (what <c>mock</c> serves).</summary>
    Outbound,
}
