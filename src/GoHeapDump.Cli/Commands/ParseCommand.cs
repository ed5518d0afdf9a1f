using System.CommandLine;
using GoHeapDump.Kaitai;

namespace GoHeapDump.Cli.Commands;

/// <summary>
/// <c>goheapdump parse FILE|- [--parser kaitai|fast]</c>: reads a dump with the Kaitai parser (generated from
/// spec/go_heapdump.ksy) or the fast reader and
/// prints its canonical JSON Lines: the header line, then one line per record. On a format error the records
/// decoded before it are printed, then the error line; the message goes to stderr.
/// </summary>
internal static class ParseCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file")
        {
            Description = "The heap dump to parse, or - for standard input.",
        };
        var parser = new Option<string>("--parser")
        {
            Description = "kaitai (generated from spec/go_heapdump.ksy, the default) or fast (the hand-written streaming reader); same output contract.",
            DefaultValueFactory = _ => "kaitai",
        };
        parser.AcceptOnlyFromAmong("kaitai", "fast");
        var command = new Command("parse", "Parse a heap dump and print its records as canonical JSON Lines (spec/FORMAT.md); exit 0 accepted, 1 rejected (the error line last), 3 I/O error.")
        {
            file, parser,
        };
        command.SetAction(parseResult => Run(
            parseResult.GetRequiredValue(file),
            parseResult.GetValue(parser) == "fast",
            Console.OpenStandardInput,
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Runs the command; <paramref name="openStdin"/> supplies the input for <c>-</c>.</summary>
    internal static int Run(string file, Func<Stream> openStdin, TextWriter stdout, TextWriter stderr) =>
        Run(file, fast: false, openStdin, stdout, stderr);

    /// <summary>Runs the command with the fast reader (<paramref name="fast"/>) or the Kaitai parser.</summary>
    internal static int Run(string file, bool fast, Func<Stream> openStdin, TextWriter stdout, TextWriter stderr)
    {
        var name = file == "-" ? "<stdin>" : file;
        using var output = CommandOutput.Open(stdout);
        using var jsonl = new CanonicalJsonlWriter(output, leaveOpen: true);
        try
        {
            if (!fast && file != "-" && SegmentedKaitaiParse.Applies(file))
            {
                // A large file: Kaitai readers parse segments of it on every core (SegmentedKaitaiParse).
                SegmentedKaitaiParse.Write(file, jsonl, output);
                jsonl.Flush();
                return ExitCodes.Ok;
            }

            // The Kaitai parser reads a file on a second thread, a batch of records ahead of the rendering
            // (ReadAheadRecordReader): its parse takes about twice the rendering's time, so on two cores the rendering
            // comes off the critical path (g3m, 112 MB: 1.20 s -> 0.92 to 0.95 s on an idle machine). Not the fast reader,
            // which already reads ahead on the second core and gained 1 to 4 % (two runs); not standard input, since
            // stopping that thread waits for its read, which a pipe can block. The fast reader does read standard input
            // ahead: this process owns it, and its ReadAhead leaves a read still running at Dispose behind.
            using IHeapDumpReader reader = (file == "-", fast) switch
            {
                (true, true) => HeapDumpReader.Open(openStdin(), leaveOpen: false, HeapDumpReader.DefaultBufferSize, readAhead: Environment.ProcessorCount > 1 ? true : null),
                (true, false) => KaitaiHeapDumpReader.Open(openStdin(), leaveOpen: false),
                (false, true) => HeapDumpReader.Open(file),
                (false, false) => new ReadAheadRecordReader(KaitaiHeapDumpReader.Open(file)),
            };
            jsonl.WriteHeader(reader.Version);
            while (reader.Read() is { } record)
            {
                jsonl.WriteRecord(record);
            }

            jsonl.Flush();
            return ExitCodes.Ok;
        }
        catch (HeapDumpFormatException e)
        {
            jsonl.WriteError(e);
            jsonl.Flush();
            stderr.WriteLine($"goheapdump parse: {name}: {e.Message}");
            return ExitCodes.FormatError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or OutOfMemoryException)
        {
            // NotSupportedException: a single string larger than a .NET array (over 2 GiB), or a record whose object
            // tree does not fit in the memory this process may use, cannot be held.
            TryFlush(jsonl);
            stderr.WriteLine($"goheapdump parse: {name}: {e.Message}");
            return ExitCodes.IoError;
        }
    }

    private static void TryFlush(CanonicalJsonlWriter jsonl)
    {
        try
        {
            jsonl.Flush();
        }
        catch (IOException)
        {
            // The output itself failed (a closed pipe): nothing more can be written to it.
        }
    }
}
