using System.CommandLine;
using GoHeapDump.Kaitai;

namespace GoHeapDump.Cli.Commands;

/// <summary>
/// <c>goheapdump parse FILE</c>: reads a dump with the Kaitai parser (generated from spec/go_heapdump.ksy) and
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
        var command = new Command("parse", "Parse a heap dump with the Kaitai parser and print its records as canonical JSON Lines (spec/FORMAT.md).")
        {
            file,
        };
        command.SetAction(parseResult => Run(
            parseResult.GetRequiredValue(file),
            Console.OpenStandardInput,
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Runs the command; <paramref name="openStdin"/> supplies the input for <c>-</c>.</summary>
    internal static int Run(string file, Func<Stream> openStdin, TextWriter stdout, TextWriter stderr)
    {
        var name = file == "-" ? "<stdin>" : file;
        using var output = CommandOutput.Open(stdout);
        using var jsonl = new CanonicalJsonlWriter(output, leaveOpen: true);
        try
        {
            using var reader = file == "-"
                ? KaitaiHeapDumpReader.Open(openStdin(), leaveOpen: false)
                : KaitaiHeapDumpReader.Open(file);
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
