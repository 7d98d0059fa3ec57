namespace Reprise.Diff.Tests.Sample;

/// <summary>The regressions the sample service can be started with (one endpoint each).</summary>
[Flags]
public enum Regression
{
    None = 0,

    /// <summary>GET /api/products/{id}: price changes.</summary>
    ChangedField = 1,

    /// <summary>GET /api/users/{id}: email disappears.</summary>
    RemovedField = 2,

    /// <summary>GET /api/orders/{id}: ids divisible by 3 answer 404 instead of 200.</summary>
    StatusChange = 4,

    /// <summary>GET /api/search: every 5th request takes 50 ms longer (a p95 regression, p50 unchanged).</summary>
    SlowP95 = 8,

    /// <summary>POST /api/checkout: every 4th request fails with 500.</summary>
    NewErrors = 16,
}
