using System.CommandLine;
using GoHeapDump.Validation;
using Spectre.Console;

namespace GoHeapDump.Cli.Commands;

/// <summary>
/// <c>goheapdump validate FILE…</c>: the verdict on each dump against the rule catalogue.
/// Exit 0 when every file conforms, 1 when violations were found, 2 for usage errors, 3 when a file cannot be read.
/// </summary>
internal static class ValidateCommand
{
    /// <summary>Files at least this large get a progress bar (when stderr is a terminal).</summary>
    private const long ProgressThreshold = 32L << 20;

    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.OneOrMore, Description = "Heap dump files (runtime/debug.WriteHeapDump output)." };
        var strict = new Option<bool>("--strict") { Description = "Strict profile: everything the Go runtime guarantees (warnings become errors)." };
        var format = new Option<string>("--format") { Description = "Report format: text, json or junit.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "junit");
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of standard output." };
        var crossCheck = new Option<bool>("--cross-check") { Description = "Also parse with the independent Kaitai parser and report any disagreement." };
        var maxPerRule = new Option<int>("--max-per-rule") { Description = "Diagnostics listed per rule and file; the rest are counted.", DefaultValueFactory = _ => 100 };
        var noProgress = new Option<bool>("--no-progress") { Description = "Never show a progress bar." };

        var command = new Command("validate", "Check heap dumps against the format's rules (spec/FORMAT.md) and report every violation with its offset.")
        {
            files, strict, format, output, crossCheck, maxPerRule, noProgress,
        };
        command.SetAction(result => Run(
            result.GetValue(files) ?? [],
            result.GetValue(strict) ? ValidationProfile.Strict : ValidationProfile.Default,
            result.GetValue(format) ?? "text",
            result.GetValue(output),
            result.GetValue(crossCheck),
            result.GetValue(maxPerRule),
            !result.GetValue(noProgress),
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string[] files, ValidationProfile profile, string format, string? output, bool crossCheck, int maxPerRule,
        bool progress, TextWriter stdout, TextWriter stderr)
    {
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
                var report = ValidateOne(file, profile, maxPerRule, crossCheck, progress, stderr);

                reports.Add(report);
                if (format == "text" && output is null)
                {
                    TextReportWriter.Write(console, report);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
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

    private static ValidationReport ValidateOne(string file, ValidationProfile profile, int maxPerRule, bool crossCheck, bool progress, TextWriter stderr)
    {
        if (Directory.Exists(file))
        {
            throw new IOException($"{file} is a directory, not a heap dump file");
        }

        var length = new FileInfo(file).Length;
        var options = new ValidationOptions
        {
            Profile = profile,
            MaxDiagnosticsPerRule = maxPerRule,
            CrossCheckWith = crossCheck ? new CrossCheck.Parser("Kaitai parser", CrossCheckParsers.Kaitai!) : null,
        };
        if (!progress || length < ProgressThreshold || !ReferenceEquals(stderr, Console.Error) || Console.IsErrorRedirected)
        {
            return HeapDumpValidator.ValidateFile(file, options);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        ValidationReport? report = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Path.GetFileName(file), maxValue: length);
                var withProgress = new ValidationOptions
                {
                    Profile = options.Profile,
                    MaxDiagnosticsPerRule = options.MaxDiagnosticsPerRule,
                    CrossCheckWith = options.CrossCheckWith,
                    Progress = bytes => task.Value = bytes,
                };
                report = HeapDumpValidator.ValidateFile(file, withProgress);
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
                            TextReportWriter.Write(console, report);
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

        // Written to a temporary name beside the target, then moved into place.
        var full = Path.GetFullPath(output);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
            {
                Render(stream);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}

/// <summary>The second parser for <c>--cross-check</c>: the Kaitai parser (generated from spec/go_heapdump.ksy).</summary>
internal static class CrossCheckParsers
{
    /// <summary>Opens the Kaitai parser on a stream; null would make <c>--cross-check</c> a usage error.</summary>
    public static Func<Stream, IHeapDumpReader>? Kaitai { get; set; } = stream => GoHeapDump.Kaitai.KaitaiHeapDumpReader.Open(stream);
}

/// <summary>A Spectre console over one of the command's writers (ANSI only when it is the real terminal).</summary>
internal static class CliConsole
{
    public static IAnsiConsole Create(TextWriter writer)
    {
        var terminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            // Redirected output: one diagnostic per line, however long, for grep and CI logs.
            console.Profile.Width = 1000;
        }

        return console;
    }
}
