using System.Globalization;
using GoHeapDump.Validation;
using Spectre.Console;

namespace GoHeapDump.Cli;

/// <summary>
/// <c>validate</c>'s human-readable report: per file a verdict, records by kind, diagnostics by rule, then each
/// diagnostic. The CLI's rendering of the library's <see cref="ValidationReport"/> (the library renders nothing).
/// </summary>
internal static class TextReport
{
    /// <summary>Tags in display order: the record kinds by tag, EOF last.</summary>
    private static readonly int[] KindOrder = [.. Enumerable.Range(1, HeapDumpFormat.MaxRecordTag), 0];

    /// <summary>The "records by kind" table of <c>validate</c> and <c>inspect</c>: each kind that occurs, in tag order.</summary>
    public static Table KindsTable(IReadOnlyList<KindTally> kinds)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("records by kind");
        table.AddColumn("kind");
        table.AddColumn(new TableColumn("count").RightAligned());
        table.AddColumn(new TableColumn("bytes").RightAligned());
        foreach (var tag in KindOrder)
        {
            if (kinds[tag].Count > 0)
            {
                table.AddRow(((RecordKind)tag).Name(), kinds[tag].Count.ToString("N0", CultureInfo.InvariantCulture), kinds[tag].Bytes.ToString("N0", CultureInfo.InvariantCulture));
            }
        }

        return table;
    }

    public static void Write(IAnsiConsole console, ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        var verdict = report.Conforms
            ? "[green]conforms[/]"
            : "[red]does not conform[/]";
        console.MarkupLine(CultureInfo.InvariantCulture,
            $"[bold]{Markup.Escape(report.Name)}[/]: {verdict} ({report.ErrorCount} errors, {report.WarningCount} warnings; {(report.Profile == ValidationProfile.Strict ? "strict" : "default")} profile)");
        if (report.WrongInput is { } wrong)
        {
            console.MarkupLine($"  [yellow]This is {Markup.Escape(wrong)}.[/]");
        }

        if (report.Version is { } version)
        {
            console.MarkupLine(CultureInfo.InvariantCulture,
                $"  header {HeapDumpFormat.VersionName(version)}, {report.BytesRead:N0} bytes read, {report.RecordCount:N0} records, {report.Elapsed.TotalMilliseconds:F0} ms");
        }

        if (report.RecordCount > 0 || report.Kinds.Any(k => k.Count > 0))
        {
            console.Write(KindsTable(report.Kinds));
        }

        if (report.CountsByRule.Count > 0)
        {
            var rules = new Table().Border(TableBorder.Rounded).Title("diagnostics by rule");
            rules.AddColumn("rule");
            rules.AddColumn("slug");
            rules.AddColumn("severity");
            rules.AddColumn(new TableColumn("count").RightAligned());
            foreach (var (id, count) in report.CountsByRule.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var rule = ValidationRules.Find(id)?.Rule;
                var severity = rule is null ? "error" : report.SeverityOf(rule) == RuleSeverity.Error ? "[red]error[/]" : "[yellow]warning[/]";
                rules.AddRow(id, Markup.Escape(rule?.Slug ?? ""), severity, count.ToString("N0", CultureInfo.InvariantCulture));
            }

            console.Write(rules);
        }

        foreach (var d in report.Diagnostics)
        {
            var color = d.Severity == RuleSeverity.Error ? "red" : "yellow";
            console.MarkupLine($"  [{color}]{Markup.Escape(d.ToString())}[/]");
        }

        foreach (var (id, count) in report.CountsByRule.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var kept = report.Diagnostics.Count(d => d.Rule.Id == id);
            if (count > kept)
            {
                console.MarkupLine(CultureInfo.InvariantCulture, $"  … and {count - kept:N0} more {id} diagnostics (raise --max-per-rule to see them)");
            }
        }

        foreach (var note in report.Notes)
        {
            console.MarkupLine($"  [yellow]note: {Markup.Escape(note)}[/]");
        }

        if (report.CrossCheckDisagreements is { } disagreements)
        {
            console.MarkupLine(disagreements.Count > 0
                ? "  [red]cross-check: the parsers disagree[/]"
                : report.CrossCheckIncomplete is { } why
                    ? $"  [yellow]cross-check incomplete: the parsers agree up to where it {Markup.Escape(why)}[/]"
                    : "  cross-check: the fast reader and the Kaitai parser agree");
            foreach (var line in disagreements)
            {
                console.MarkupLine($"    [red]{Markup.Escape(line)}[/]");
            }
        }

        console.WriteLine();
    }
}
