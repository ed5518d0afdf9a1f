using System.CommandLine;
using System.Globalization;
using GoHeapDump.Validation;
using Spectre.Console;

namespace GoHeapDump.Cli.Commands;

/// <summary>
/// <c>goheapdump inspect FILE</c>: a readable summary of a dump (params, records by kind, object sizes,
/// goroutines, types), or with <c>--jsonl</c> the canonical JSON Lines rendering of every record.
/// Exit 0 when the whole dump was read, 1 when it breaks a structure rule, 3 when it cannot be read.
/// </summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A heap dump file." };
        var jsonl = new Option<bool>("--jsonl") { Description = "Print the canonical JSON Lines rendering (spec/FORMAT.md) instead of the summary." };
        var types = new Option<int>("--types") { Description = "Type names to list in the summary.", DefaultValueFactory = _ => 25 };
        var command = new Command("inspect", "Summarise a heap dump, or print it as canonical JSON Lines.") { file, jsonl, types };
        command.SetAction(result => Run(
            result.GetValue(file)!,
            result.GetValue(jsonl),
            Math.Max(0, result.GetValue(types)),
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string file, bool jsonl, int typeCount, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            return jsonl ? RunJsonl(file, stdout, stderr) : RunSummary(file, typeCount, stdout, stderr);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            stderr.WriteLine($"goheapdump: {file}: {e.Message}");
            return ExitCodes.IoError;
        }
    }

    private static int RunJsonl(string file, TextWriter stdout, TextWriter stderr)
    {
        using var output = CommandOutput.Open(stdout);
        using var writer = new CanonicalJsonlWriter(output, leaveOpen: true);
        HeapDumpReader reader;
        try
        {
            reader = HeapDumpReader.Open(file);
        }
        catch (HeapDumpFormatException e)
        {
            writer.WriteError(e);
            writer.Flush();
            stderr.WriteLine($"goheapdump: {file}: {e.Message}");
            return ExitCodes.FormatError;
        }

        using (reader)
        {
            writer.WriteHeader(reader.Version);
            try
            {
                while (reader.Read() is { } record)
                {
                    writer.WriteRecord(record);
                }
            }
            catch (HeapDumpFormatException e)
            {
                writer.WriteError(e);
                writer.Flush();
                stderr.WriteLine($"goheapdump: {file}: {e.Message}");
                return ExitCodes.FormatError;
            }
        }

        writer.Flush();
        return ExitCodes.Ok;
    }

    private static int RunSummary(string file, int typeCount, TextWriter stdout, TextWriter stderr)
    {
        DumpSummary summary;
        try
        {
            summary = DumpSummary.Read(file);
        }
        catch (HeapDumpFormatException e)
        {
            using var stream = File.OpenRead(file);
            var wrong = InputSniffer.Describe(stream);
            stderr.WriteLine($"goheapdump: {file}: {e.Message}");
            if (wrong is not null)
            {
                stderr.WriteLine($"goheapdump: {file} is {wrong}.");
            }

            return ExitCodes.FormatError;
        }

        var console = CliConsole.Create(stdout);
        Render(console, summary, file, typeCount);
        if (summary.Error is { } error)
        {
            console.MarkupLine($"[red]The dump ends early: {Markup.Escape(error.Message)}[/]");
            return ExitCodes.FormatError;
        }

        return ExitCodes.Ok;
    }

    private static void Render(IAnsiConsole console, DumpSummary summary, string file, int typeCount)
    {
        console.MarkupLine(CultureInfo.InvariantCulture, $"[bold]{Markup.Escape(file)}[/]: {HeapDumpFormat.VersionName(summary.Version)} heap dump, {summary.Bytes:N0} bytes");
        console.MarkupLine($"  params: {Markup.Escape(DescribeParams(summary) ?? "none")}");
        console.MarkupLine($"  producer: {Markup.Escape(summary.Producer?.Describe() ?? "unknown (no params record)")}");
        console.MarkupLine($"  memstats: {Markup.Escape(DescribeMemStats(summary.MemStats) ?? "none")}");

        console.Write(TextReport.KindsTable(summary.Kinds));

        var sizes = new Table().Border(TableBorder.Rounded).Title("object sizes");
        sizes.AddColumn("size");
        sizes.AddColumn(new TableColumn("objects").RightAligned());
        sizes.AddColumn(new TableColumn("bytes").RightAligned());
        for (var b = 0; b < DumpSummary.SizeBucketCount; b++)
        {
            if (summary.ObjectCounts[b] > 0)
            {
                sizes.AddRow(SizeLabel(b), N(summary.ObjectCounts[b]), N(summary.ObjectBytes[b]));
            }
        }

        console.Write(sizes);

        if (summary.Goroutines.Count > 0)
        {
            var goroutines = new Table().Border(TableBorder.Rounded)
                .Title(string.Create(CultureInfo.InvariantCulture, $"goroutines ({N(summary.Goroutines.Values.Sum())}, {N(summary.SystemGoroutines)} system)"));
            goroutines.AddColumn("status");
            goroutines.AddColumn("wait reason");
            goroutines.AddColumn(new TableColumn("count").RightAligned());
            foreach (var ((status, reason), count) in summary.Goroutines.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Status))
            {
                goroutines.AddRow(StatusName(status), Markup.Escape(reason.Length == 0 ? "—" : reason), N(count));
            }

            console.Write(goroutines);
        }

        if (summary.Types.Count > 0 && typeCount > 0)
        {
            var types = new Table().Border(TableBorder.Rounded)
                .Title(string.Create(CultureInfo.InvariantCulture, $"types ({N(summary.Types.Count)} names in {N(summary.Kinds[(int)RecordKind.Type].Count)} records; first {Math.Min(typeCount, summary.Types.Count)} by name)"));
            types.AddColumn("name");
            types.AddColumn(new TableColumn("size").RightAligned());
            types.AddColumn(new TableColumn("records").RightAligned());
            foreach (var (name, (size, records)) in summary.Types.OrderBy(p => p.Key, StringComparer.Ordinal).Take(typeCount))
            {
                types.AddRow(Markup.Escape(name), N((long)size), N(records));
            }

            console.Write(types);
        }
    }

    private static string? DescribeParams(DumpSummary summary) => summary is { Params: { } p, Producer: { } producer }
        ? string.Create(CultureInfo.InvariantCulture,
            $"{producer.Arch}, {p.PtrSize}-byte pointers, {(p.BigEndian ? "big" : "little")}-endian, {p.Ncpu} CPUs, heap 0x{p.HeapStart:x}–0x{p.HeapEnd:x}, version info \"{p.VersionInfo}\"")
        : null;

    private static string? DescribeMemStats(MemStatsRecord? m) => m is null
        ? null
        : string.Create(CultureInfo.InvariantCulture,
            $"HeapAlloc {m.HeapAlloc:N0} B, HeapObjects {m.HeapObjects:N0}, HeapSys {m.HeapSys:N0} B, Sys {m.Sys:N0} B, NumGC {m.NumGC:N0}");

    private static string SizeLabel(int bucket) => bucket switch
    {
        0 => "0",
        1 => "1",
        _ => $"{N((1L << (bucket - 1)) + 1)}–{(bucket >= 63 ? "∞" : N(1L << bucket))}",
    };

    // Go: runtime2.go _Grunnable = 1, _Gsyscall = 3, _Gwaiting = 4.
    private static string StatusName(ulong status) => status switch
    {
        1 => "runnable",
        3 => "syscall",
        4 => "waiting",
        _ => $"status {status}",
    };

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
