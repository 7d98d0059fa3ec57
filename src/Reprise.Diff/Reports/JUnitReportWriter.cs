using System.Globalization;
using System.Text;
using System.Xml;
using Reprise.Core.Text;
using Reprise.Diff.Model;

namespace Reprise.Diff.Reports;

/// <summary>
/// JUnit XML as Jenkins, GitLab, GitHub test reporters and Azure DevOps read it (the Surefire/Jenkins
/// junit-10 schema): one <c>testsuite</c> named after the results file, one <c>testcase</c> per endpoint,
/// a <c>failure</c> when the gate fails for that endpoint, carrying the reasons and the differences.
/// </summary>
public static class JUnitReportWriter
{
    /// <summary>Differences listed per failing endpoint in the failure text.</summary>
    public const int MaxLocationsPerCase = 50;

    /// <summary>Writes the XML.</summary>
    public static void Write(Stream stream, DiffReport report)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), CheckCharacters = false };
        using var xml = XmlWriter.Create(stream, settings);
        var failures = report.Endpoints.Count(e => e.Failed);
        var seconds = report.Endpoints.Sum(e => e.Latency.CandidateP50 * e.Exchanges) / 1000.0;
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", "reprise diff");
        xml.WriteAttributeString("tests", Number(report.Endpoints.Count));
        xml.WriteAttributeString("failures", Number(failures));
        xml.WriteAttributeString("errors", "0");
        xml.WriteAttributeString("time", Time(seconds));
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", "reprise diff " + Path.GetFileName(report.Results));
        xml.WriteAttributeString("tests", Number(report.Endpoints.Count));
        xml.WriteAttributeString("failures", Number(failures));
        xml.WriteAttributeString("errors", "0");
        xml.WriteAttributeString("skipped", "0");
        xml.WriteAttributeString("time", Time(seconds));
        xml.WriteStartElement("properties");
        Property(xml, "recorded", report.Recorded);
        Property(xml, "results", report.Results);
        Property(xml, "gate", report.Gate);
        Property(xml, "verdict", report.Failed ? "fail" : "pass");
        foreach (var (name, value) in report.Variables)
        {
            Property(xml, name, Gate.GateExpression.Format(name, value));
        }

        xml.WriteEndElement();
        foreach (var endpoint in report.Endpoints)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("name", Clean(endpoint.Name));
            xml.WriteAttributeString("classname", "reprise.diff");
            xml.WriteAttributeString("time", Time(endpoint.Latency.CandidateP50 * endpoint.Exchanges / 1000.0));
            if (endpoint.Failed)
            {
                xml.WriteStartElement("failure");
                xml.WriteAttributeString("type", "regression");
                xml.WriteAttributeString("message", Clean(string.Join("; ", endpoint.Reasons)));
                xml.WriteString(Clean(FailureText(endpoint, report)));
                xml.WriteEndElement();
            }

            xml.WriteElementString("system-out", Clean(Summary(endpoint, report)));
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static string FailureText(EndpointReport endpoint, DiffReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{endpoint.Diffs} of {Counted.Of(endpoint.Exchanges, "exchange")} {(endpoint.Diffs == 1 ? "differs" : "differ")}; {Counted.Of(endpoint.Errors, "new error")}{MarkdownReportWriter.ByKind(endpoint.ErrorsByKind)}.");
        foreach (var location in endpoint.Locations.Take(MaxLocationsPerCase))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {location.Example.ToSingleLine()} ({location.Count}×)");
        }

        if (endpoint.Locations.Count > MaxLocationsPerCase)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  … {endpoint.Locations.Count - MaxLocationsPerCase} more locations");
        }

        var sample = report.Samples.FirstOrDefault(s => s.Endpoint == endpoint.Name);
        if (sample is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"First: {sample.Method} {sample.Url} (recorded {sample.RecordedId}, result {sample.ResultId})");
        }

        if (endpoint.Latency.Significant)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"p95 {endpoint.Latency.ReferenceP95:0.#} ms → {endpoint.Latency.CandidateP95:0.#} ms (95% CI of the difference {endpoint.Latency.P95DeltaLow:0.#}..{endpoint.Latency.P95DeltaHigh:0.#} ms)");
        }

        return text.ToString();
    }

    private static string Summary(EndpointReport e, DiffReport report) => string.Create(CultureInfo.InvariantCulture,
        $"exchanges {e.Exchanges}, diffs {e.Diffs}, new errors {e.Errors}; p50/p95/p99 {e.Latency.CandidateP50:0.#}/{e.Latency.CandidateP95:0.#}/{e.Latency.CandidateP99:0.#} ms vs {report.LatencyReference} {(e.Latency.ReferenceCount == 0 ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"{e.Latency.ReferenceP50:0.#}/{e.Latency.ReferenceP95:0.#}/{e.Latency.ReferenceP99:0.#} ms"))} (Mann-Whitney p={e.Latency.PValue:0.####}, effect {e.Latency.Effect:+0.00;-0.00})");

    private static void Property(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", Clean(value));
        xml.WriteEndElement();
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(double seconds) => Math.Max(0, seconds).ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>Drops characters XML 1.0 cannot carry (response bodies may hold them).</summary>
    private static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (XmlConvert.IsXmlChar(c) || char.IsSurrogate(c))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('\uFFFD');
            }
        }

        return builder.ToString();
    }
}
