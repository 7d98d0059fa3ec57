using Reprise.Mock.Chaos;

namespace Reprise.Mock.Config;

/// <summary>One <c>routes:</c> entry: which recorded requests it covers and what it changes.</summary>
public sealed class RouteRuleOptions
{
    /// <summary>HTTP method (any when absent).</summary>
    public string? Method { get; set; }

    /// <summary>Recorded host (any when absent).</summary>
    public string? Host { get; set; }

    /// <summary>Path glob (<c>*</c> one segment, <c>**</c> any), any when absent.</summary>
    public string? Path { get; set; }

    /// <summary>Response JSON paths to set from templates, e.g. <c>$.id: "{{request.path[1]}}"</c>.</summary>
    public Dictionary<string, string> Set { get; set; } = [];

    /// <summary>Response headers to set from templates.</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>Shift recorded timestamps in the response by (now - recording start).</summary>
    public bool? ShiftDates { get; set; }

    /// <summary>Chaos for this route (overrides the command-line values it sets).</summary>
    public ChaosOptionsYaml? Chaos { get; set; }
}

/// <summary>YAML shape of <see cref="ChaosOptions"/> (mutable for the deserializer).</summary>
public sealed class ChaosOptionsYaml
{
    public string? Latency { get; set; }

    public double? ErrorRate { get; set; }

    public int? ErrorStatus { get; set; }

    public double? ResetRate { get; set; }

    public double? TimeoutRate { get; set; }

    public string? RateLimit { get; set; }

    /// <summary>As options.</summary>
    public ChaosOptions ToOptions() => new()
    {
        Latency = Latency, ErrorRate = ErrorRate, ErrorStatus = ErrorStatus, ResetRate = ResetRate, TimeoutRate = TimeoutRate, RateLimit = RateLimit,
    };
}
