using System.CommandLine;
using GoHeapDump.Validation;
using Spectre.Console;

namespace GoHeapDump.Cli.Commands;

/// <summary>
/// <c>goheapdump validate FILE…</c>: the verdict on each dump against the rule catalogue (<c>-</c>: standard input).
/// Exit 0 when every file conforms, 1 when violations were found, 2 for usage errors, 3 when a file cannot be read.
/// </summary>
internal static class ValidateCommand
{
    /// <summary>Files at least this large get a progress bar (when stderr is a terminal).</summary>
    private const long ProgressThreshold = 32L << 20;

    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.OneOrMore, Description = "Heap dump files (runtime/debug.WriteHeapDump output); - reads one from standard input." };
        var strict = new Option<bool>("--strict") { Description = "Strict profile: everything the Go runtime guarantees (warnings become errors)." };
        var format = new Option<string>("--format") { Description = "Report format: text, json or junit.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "junit");
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of standard output." };
        var crossCheck = new Option<bool>("--cross-check") { Description = "Also parse with the independent Kaitai parser and report any disagreement." };
        var maxPerRule = new Option<int>("--max-per-rule") { Description = "Diagnostics listed per rule and file; the rest are counted.", DefaultValueFactory = _ => 100 };
        var noProgress = new Option<bool>("--no-progress") { Description = "Never show a progress bar." };
        var maxMemory = new Option<string?>("--max-memory")
        {
            Description = "Most memory for the cross-record tables (object runs, references, sets), e.g. 512M or 2G; past it the rules "
                + "that need them (V07, R09-R17) are skipped with a note. Default: half the memory this process may use.",
        };

        var command = new Command("validate", "Check heap dumps against the format's rules (spec/FORMAT.md) and report every violation with its offset.")
        {
            files, strict, format, output, crossCheck, maxPerRule, noProgress, maxMemory,
        };
        command.SetAction(result => Run(
            result.GetValue(files) ?? [],
            result.GetValue(strict) ? ValidationProfile.Strict : ValidationProfile.Default,
            result.GetValue(format) ?? "text",
            result.GetValue(output),
            result.GetValue(crossCheck),
            result.GetValue(maxPerRule),
            !result.GetValue(noProgress),
            result.GetValue(maxMemory),
            Console.OpenStandardInput,
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>The standard input's name in reports.</summary>
    internal const string StdinName = "<stdin>";

    /// <summary>Runs the command; <paramref name="openStdin"/> supplies the input for <c>-</c>.</summary>
    internal static int Run(string[] files, ValidationProfile profile, string format, string? output, bool crossCheck, int maxPerRule,
        bool progress, string? maxMemoryText, Func<Stream> openStdin, TextWriter stdout, TextWriter stderr)
    {
        var stdinCount = files.Count(f => f == "-");
        if (stdinCount > 1)
        {
            stderr.WriteLine("goheapdump: - (standard input) can be given once");
            return ExitCodes.Usage;
        }

        if (stdinCount > 0 && crossCheck)
        {
            // The second parser reads the dump again from its start, which a pipe cannot give.
            stderr.WriteLine("goheapdump: --cross-check reads the dump twice and cannot read - (standard input); give a file");
            return ExitCodes.Usage;
        }

        long maxMemory;
        if (maxMemoryText is null)
        {
            // The GC's limit honours DOTNET_GCHeapHardLimit and container limits: the tables never take more than half.
            maxMemory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;
        }
        else if (!TryParseSize(maxMemoryText, out maxMemory))
        {
            stderr.WriteLine($"goheapdump: --max-memory takes a size such as 512M, 2G or a number of bytes, not '{maxMemoryText}'");
            return ExitCodes.Usage;
        }

        if (maxPerRule < 0)
        {
            stderr.WriteLine("goheapdump: --max-per-rule must be 0 or more");
            return ExitCodes.Usage;
        }

        if (crossCheck && CrossCheckParsers.Kaitai is null)
        {
            stderr.WriteLine("goheapdump: --cross-check needs the Kaitai parser, which this build of goheapdump does not include");
            return ExitCodes.Usage;
        }

        var reports = new List<ValidationReport>();
        var ioErrors = new Dictionary<string, string>(StringComparer.Ordinal);
        var console = CliConsole.Create(stdout);
        foreach (var file in files)
        {
            try
            {
                var report = file == "-"
                    ? ValidateStdin(openStdin, profile, maxPerRule, maxMemory)
                    : ValidateOne(file, profile, maxPerRule, crossCheck, progress, maxMemory, stderr);

                reports.Add(report);
                if (format == "text" && output is null)
                {
                    TextReport.Write(console, report);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or OutOfMemoryException)
            {
                // NotSupportedException: one record larger than this process can hold (the reader holds a record whole).
                ioErrors[file] = e.Message;
                stderr.WriteLine($"goheapdump: {file}: {e.Message}");
            }
        }

        if (format != "text" || output is not null)
        {
            try
            {
                WriteReport(format, output, reports, ioErrors, stdout);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"goheapdump: {output}: {e.Message}");
                return ExitCodes.IoError;
            }
        }
        else if (files.Length > 1)
        {
            var conforming = reports.Count(r => r.Conforms);
            console.MarkupLine($"{conforming} of {files.Length} files conform.");
        }

        if (ioErrors.Count > 0)
        {
            return ExitCodes.IoError;
        }

        return reports.All(r => r.Conforms) ? ExitCodes.Ok : ExitCodes.FormatError;
    }

    /// <summary>A byte count with an optional binary suffix: 1048576, 512K, 64M, 2G, 1T.</summary>
    internal static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var t = text.Trim().TrimEnd('B', 'b').TrimEnd('i');
        if (t.Length == 0)
        {
            return false;
        }

        var shift = char.ToUpperInvariant(t[^1]) switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 };
        if (shift > 0)
        {
            t = t[..^1];
        }

        if (!long.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n > long.MaxValue >> shift)
        {
            return false;
        }

        bytes = n << shift;
        return true;
    }

    /// <summary>
    /// A dump on standard input, read once as it arrives (no progress bar: its size is unknown). Overlapping objects are
    /// still reported, without the offsets a second pass would find (HeapDumpValidator.Validate without reopen).
    /// </summary>
    private static ValidationReport ValidateStdin(Func<Stream> openStdin, ValidationProfile profile, int maxPerRule, long maxMemory)
    {
        // This process owns standard input: it may be read ahead, and a read left running after an error harms nobody.
        using var stdin = openStdin();
        return HeapDumpValidator.Validate(stdin, StdinName, Options(profile, maxPerRule, maxMemory, crossCheck: false, ownedInput: true));
    }

    /// <summary>The validator's options for one input, as the command line set them.</summary>
    private static ValidationOptions Options(ValidationProfile profile, int maxPerRule, long maxMemory, bool crossCheck, Action<long>? progress = null,
        bool ownedInput = false) => new()
    {
        ReadAheadUnseekable = ownedInput,
        Profile = profile,
        MaxDiagnosticsPerRule = maxPerRule,
        CrossCheckWith = crossCheck ? new CrossCheck.Parser("Kaitai parser", CrossCheckParsers.Kaitai!) : null,
        MaxMemory = maxMemory,
        Progress = progress,
    };

    private static ValidationReport ValidateOne(string file, ValidationProfile profile, int maxPerRule, bool crossCheck, bool progress, long maxMemory, TextWriter stderr)
    {
        if (Directory.Exists(file))
        {
            throw new IOException($"{file} is a directory, not a heap dump file");
        }

        var length = new FileInfo(file).Length;
        if (!progress || length < ProgressThreshold || !ReferenceEquals(stderr, Console.Error) || Console.IsErrorRedirected)
        {
            return HeapDumpValidator.ValidateFile(file, Options(profile, maxPerRule, maxMemory, crossCheck));
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        ValidationReport? report = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Path.GetFileName(file), maxValue: length);
                report = HeapDumpValidator.ValidateFile(file, Options(profile, maxPerRule, maxMemory, crossCheck, bytes => task.Value = bytes));
                task.Value = length;
            });
        return report!;
    }

    private static void WriteReport(string format, string? output, IReadOnlyList<ValidationReport> reports,
        IReadOnlyDictionary<string, string> ioErrors, TextWriter stdout)
    {
        void Render(Stream stream)
        {
            switch (format)
            {
                case "json":
                    JsonReportWriter.Write(stream, reports, ioErrors);
                    break;
                case "junit":
                    JUnitReportWriter.Write(stream, reports, ioErrors);
                    break;
                default:
                    using (var writer = new StreamWriter(stream, leaveOpen: true))
                    {
                        var console = CliConsole.Create(writer);
                        foreach (var report in reports)
                        {
                            TextReport.Write(console, report);
                        }
                    }

                    break;
            }
        }

        if (output is null)
        {
            using var buffer = new MemoryStream();
            Render(buffer);
            stdout.Write(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
            stdout.WriteLine();
            return;
        }

        // Written to a temporary name beside the target, then moved into place: a failed run leaves the old report.
        AtomicFile.Write(output, Render);
    }
}

/// <summary>The second parser for <c>--cross-check</c>: the Kaitai parser (generated from spec/go_heapdump.ksy).</summary>
internal static class CrossCheckParsers
{
    /// <summary>Opens the Kaitai parser on a stream; null would make <c>--cross-check</c> a usage error.</summary>
    public static Func<Stream, IHeapDumpReader>? Kaitai { get; set; } = stream => GoHeapDump.Kaitai.KaitaiHeapDumpReader.Open(stream);
}
