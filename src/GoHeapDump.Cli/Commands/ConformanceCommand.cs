using System.CommandLine;
using System.Globalization;
using GoHeapDump.Fixtures;
using Spectre.Console;

namespace GoHeapDump.Cli.Commands;

/// <summary>
/// <c>goheapdump conformance --parser "COMMAND"</c>: runs a parser once per fixture (dump on stdin, canonical JSONL
/// on stdout, exit 0 accept / 1 reject), compares, and prints a table. Exit 0 when every fixture passes and no
/// known failure passes; 1 otherwise; 2 usage; 3 I/O error.
/// </summary>
internal static class ConformanceCommand
{
    public static Command Create()
    {
        var parser = new Option<string>("--parser") { Description = "The parser command, run through /bin/sh -c: reads a dump on stdin, prints canonical JSONL, exits 0 (accept) or 1 (reject).", Required = true };
        var timeout = new Option<double>("--timeout") { Description = "Seconds per fixture.", DefaultValueFactory = _ => 30 };
        var knownFailures = new Option<string?>("--known-failures") { Description = "A file of fixture names (one per line, # comments) expected to fail; a listed fixture that passes fails the run." };
        var fixtures = new Option<string?>("--fixtures") { Description = "The corpus folder (default: fixtures/ of the repository containing the current directory, else the corpus bundled with goheapdump)." };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Fixtures run at once.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var filter = new Option<string?>("--filter") { Description = "Only fixtures whose name contains this text." };
        var all = new Option<bool>("--all") { Description = "List passing fixtures in the table too." };
        var command = new Command("conformance", "Run a third-party parser over the conformance corpus and compare its output with the expected canonical JSONL.")
        {
            parser, timeout, knownFailures, fixtures, jobs, filter, all,
        };
        command.SetAction(r => Run(
            r.GetRequiredValue(parser), r.GetValue(timeout), r.GetValue(knownFailures), r.GetValue(fixtures), r.GetValue(jobs), r.GetValue(filter),
            r.GetValue(all), r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(string parser, double timeoutSeconds, string? knownFailuresFile, string? fixturesDir, int jobs, string? filter, bool all,
        TextWriter stdout, TextWriter stderr)
    {
        if (timeoutSeconds <= 0 || jobs < 1)
        {
            stderr.WriteLine("goheapdump conformance: --timeout must be positive and --jobs at least 1");
            return ExitCodes.Usage;
        }

        var dir = CorpusLocation.Resolve(fixturesDir);
        if (dir is null || !File.Exists(Path.Combine(dir, CorpusBuilder.ManifestFileName)))
        {
            stderr.WriteLine($"goheapdump conformance: {(dir is null ? CorpusLocation.NotFound : "no manifest.json in " + dir)}; pass --fixtures DIR");
            return ExitCodes.Usage;
        }

        ConformanceReport report;
        try
        {
            var known = knownFailuresFile is null ? new HashSet<string>(StringComparer.Ordinal) : ConformanceRunner.ReadKnownFailures(knownFailuresFile);
            report = ConformanceRunner.Run(new ConformanceOptions(parser, dir, TimeSpan.FromSeconds(timeoutSeconds), known, jobs, filter));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            stderr.WriteLine($"goheapdump conformance: {e.Message}");
            return ExitCodes.IoError;
        }

        Print(report, all, stdout);
        return report.Ok ? ExitCodes.Ok : ExitCodes.FormatError;
    }

    private static void Print(ConformanceReport report, bool all, TextWriter stdout)
    {
        var console = CliConsole.Create(stdout);
        console.MarkupLine($"Go heap dump conformance suite {Markup.Escape(report.SuiteVersion)}: [bold]{Markup.Escape(report.Command)}[/]");
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("fixture").AddColumn("expected").AddColumn("result").AddColumn("detail").AddColumn(new TableColumn("ms").RightAligned());
        var rows = 0;
        foreach (var c in report.Cases.OrderBy(c => c.Ok).ThenBy(c => c.Name, StringComparer.Ordinal))
        {
            if (!all && c.Passed && !c.Listed)
            {
                continue;
            }

            var verdict = c.Ok ? (c.Passed ? "[green]pass[/]" : "[yellow]known failure[/]") : $"[red]{Markup.Escape(c.Verdict)}[/]";
            table.AddRow(Markup.Escape(c.Name), Markup.Escape(c.Expected), verdict, Markup.Escape(c.Detail),
                c.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture));
            rows++;
        }

        if (rows > 0)
        {
            console.Write(table);
        }

        foreach (var name in report.UnknownListedNames)
        {
            console.MarkupLine($"[red]known-failures lists {Markup.Escape(name)}, which is not a fixture[/]");
        }

        var passed = report.Cases.Count(c => c.Passed && !c.Listed);
        var failed = report.Cases.Count(c => !c.Passed && !c.Listed);
        var known = report.Cases.Count(c => !c.Passed && c.Listed);
        var fixedCount = report.Cases.Count(c => c.Passed && c.Listed);
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.Cases.Count} fixtures: {passed} passed, {failed} failed, {known} known failures, {fixedCount} fixed (listed as known failures but passing). {(report.Ok ? "[green]OK[/]" : "[red]FAILED[/]")}"));
    }
}
