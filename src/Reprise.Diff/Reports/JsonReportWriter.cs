using System.Text.Json;
using System.Text.Json.Serialization;
using Reprise.Diff.Model;

namespace Reprise.Diff.Reports;

/// <summary>The <c>--json</c> output: the whole report as one JSON object (camelCase, enums as strings).</summary>
public static class JsonReportWriter
{
    /// <summary>Options shared with the HTML report's embedded data.</summary>
    internal static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // stdout and files, never inside HTML
    };

    /// <summary>Writes the report.</summary>
    public static Task WriteAsync(Stream stream, DiffReport report, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(stream, report, Options, cancellationToken);

    /// <summary>The report as a string.</summary>
    public static string Serialize(DiffReport report) => JsonSerializer.Serialize(report, Options);
}
