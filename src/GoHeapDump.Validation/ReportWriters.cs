using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace GoHeapDump.Validation;

/// <summary>Machine-readable report: one JSON document for all files.</summary>
public static class JsonReportWriter
{
    public static void Write(Stream output, IReadOnlyList<ValidationReport> reports, IReadOnlyDictionary<string, string>? ioErrors = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(reports);
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("tool", "goheapdump validate");
        json.WriteStartArray("files");
        foreach (var report in reports)
        {
            WriteReport(json, report);
        }

        if (ioErrors is not null)
        {
            foreach (var (file, message) in ioErrors)
            {
                json.WriteStartObject();
                json.WriteString("file", file);
                json.WriteBoolean("conforms", false);
                json.WriteString("io_error", message);
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteReport(Utf8JsonWriter json, ValidationReport report)
    {
        json.WriteStartObject();
        json.WriteString("file", report.Name);
        json.WriteBoolean("conforms", report.Conforms);
        json.WriteString("profile", report.Profile == ValidationProfile.Strict ? "strict" : "default");
        if (report.Version is { } version)
        {
            json.WriteString("version", HeapDumpFormat.VersionName(version));
        }

        if (report.WrongInput is { } wrong)
        {
            json.WriteString("wrong_input", wrong);
        }

        json.WriteNumber("bytes", report.BytesRead);
        json.WriteNumber("records", report.RecordCount);
        json.WriteNumber("elapsed_ms", Math.Round(report.Elapsed.TotalMilliseconds, 3));
        json.WriteNumber("errors", report.ErrorCount);
        json.WriteNumber("warnings", report.WarningCount);
        json.WriteStartObject("kinds");
        for (var tag = 0; tag < report.Kinds.Length; tag++)
        {
            var tally = report.Kinds[tag];
            if (tally.Count > 0)
            {
                json.WriteStartObject(((RecordKind)tag).Name());
                json.WriteNumber("count", tally.Count);
                json.WriteNumber("bytes", tally.Bytes);
                json.WriteEndObject();
            }
        }

        json.WriteEndObject();
        json.WriteStartObject("counts_by_rule");
        foreach (var (id, count) in report.CountsByRule.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(id, count);
        }

        json.WriteEndObject();
        json.WriteStartArray("diagnostics");
        foreach (var d in report.Diagnostics)
        {
            json.WriteStartObject();
            json.WriteString("rule", d.Rule.Id);
            json.WriteString("slug", d.Rule.Slug);
            json.WriteString("severity", d.Severity == RuleSeverity.Error ? "error" : "warning");
            json.WriteNumber("offset", d.Offset);
            json.WriteNumber("record_index", d.RecordIndex);
            if (d.RecordKind is { } kind)
            {
                json.WriteString("record_kind", kind.Name());
            }
            else
            {
                json.WriteNull("record_kind");
            }

            json.WriteString("message", d.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (report.Notes.Count > 0)
        {
            json.WriteStartArray("notes");
            foreach (var note in report.Notes)
            {
                json.WriteStringValue(note);
            }

            json.WriteEndArray();
            json.WriteStartArray("skipped_rules");
            foreach (var id in report.SkippedRules)
            {
                json.WriteStringValue(id);
            }

            json.WriteEndArray();
        }

        if (report.CrossCheckDisagreements is { } disagreements)
        {
            json.WriteStartObject("cross_check");
            json.WriteBoolean("agree", disagreements.Count == 0);
            if (report.CrossCheckIncomplete is { } why)
            {
                json.WriteString("incomplete", why);
            }

            json.WriteStartArray("disagreements");
            foreach (var line in disagreements)
            {
                json.WriteStringValue(line);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}

/// <summary>JUnit XML: one test suite per file, one test case per rule, so CI systems list every rule's verdict.</summary>
public static class JUnitReportWriter
{
    public static void Write(Stream output, IReadOnlyList<ValidationReport> reports, IReadOnlyDictionary<string, string>? ioErrors = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(reports);
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
        using var xml = XmlWriter.Create(output, settings);
        var rules = ValidationRules.Catalogue;
        long failures = 0;
        foreach (var report in reports)
        {
            failures += rules.Count(r => Failed(report, r.Rule)) + (report.CrossCheckDisagreements is { Count: > 0 } ? 1 : 0);
        }

        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", "goheapdump validate");
        xml.WriteAttributeString("tests", Invariant(((long)reports.Count * rules.Count) + (ioErrors?.Count ?? 0)));
        xml.WriteAttributeString("failures", Invariant(failures));
        xml.WriteAttributeString("errors", Invariant(ioErrors?.Count ?? 0));
        foreach (var report in reports)
        {
            WriteSuite(xml, report, rules);
        }

        if (ioErrors is not null)
        {
            foreach (var (file, message) in ioErrors)
            {
                xml.WriteStartElement("testsuite");
                xml.WriteAttributeString("name", file);
                xml.WriteAttributeString("tests", "1");
                xml.WriteAttributeString("failures", "0");
                xml.WriteAttributeString("errors", "1");
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("classname", file);
                xml.WriteAttributeString("name", "read");
                xml.WriteStartElement("error");
                xml.WriteAttributeString("message", message);
                xml.WriteEndElement();
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
        }

        xml.WriteEndElement();
    }

    private static bool Failed(ValidationReport report, FormatRule rule) =>
        report.CountsByRule.ContainsKey(rule.Id) && report.SeverityOf(rule) == RuleSeverity.Error;

    private static void WriteSuite(XmlWriter xml, ValidationReport report, IReadOnlyList<RuleInfo> rules)
    {
        var crossCheckFailed = report.CrossCheckDisagreements is { Count: > 0 };
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", report.Name);
        xml.WriteAttributeString("tests", Invariant(rules.Count + (report.CrossCheckDisagreements is null ? 0 : 1) + report.Notes.Count));
        xml.WriteAttributeString("failures", Invariant(rules.Count(r => Failed(report, r.Rule)) + (crossCheckFailed ? 1 : 0)));
        xml.WriteAttributeString("errors", "0");
        xml.WriteAttributeString("time", Invariant(report.Elapsed.TotalSeconds));
        var structureBroken = report.StructureError;
        foreach (var info in rules)
        {
            var rule = info.Rule;
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("classname", report.Name);
            xml.WriteAttributeString("name", $"{rule.Id} {rule.Slug}");
            var diagnostics = report.Diagnostics.Where(d => d.Rule.Id == rule.Id).ToList();
            report.CountsByRule.TryGetValue(rule.Id, out var count);
            if (count > 0)
            {
                var text = string.Join("\n", diagnostics.Select(d => d.ToString()));
                if (count > diagnostics.Count)
                {
                    text += string.Create(CultureInfo.InvariantCulture, $"\n… and {count - diagnostics.Count} more");
                }

                if (report.SeverityOf(rule) == RuleSeverity.Error)
                {
                    xml.WriteStartElement("failure");
                    xml.WriteAttributeString("type", rule.Id);
                    xml.WriteAttributeString("message", diagnostics.Count > 0 ? diagnostics[0].ToString() : rule.Summary);
                    xml.WriteString(text);
                    xml.WriteEndElement();
                }
                else
                {
                    xml.WriteElementString("system-out", text);
                }
            }
            else if (structureBroken is not null && !rule.Id.StartsWith('S'))
            {
                xml.WriteStartElement("skipped");
                xml.WriteAttributeString("message", string.Create(CultureInfo.InvariantCulture,
                    $"not checked: decoding stopped at offset {structureBroken.Offset} ({structureBroken.RuleId})"));
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        foreach (var note in report.Notes)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("classname", report.Name);
            xml.WriteAttributeString("name", "limits");
            xml.WriteStartElement("skipped");
            xml.WriteAttributeString("message", note);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        if (report.CrossCheckDisagreements is { } disagreements)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("classname", report.Name);
            xml.WriteAttributeString("name", "cross-check fast reader vs Kaitai parser");
            if (disagreements.Count > 0)
            {
                xml.WriteStartElement("failure");
                xml.WriteAttributeString("message", disagreements[0]);
                xml.WriteString(string.Join("\n", disagreements));
                xml.WriteEndElement();
            }
            else if (report.CrossCheckIncomplete is { } why)
            {
                xml.WriteStartElement("skipped");
                xml.WriteAttributeString("message", "incomplete: " + why);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
