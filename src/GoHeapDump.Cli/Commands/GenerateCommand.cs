using System.CommandLine;
using System.Diagnostics;
using GoHeapDump.Reference;
using GoHeapDump.Runtime;

namespace GoHeapDump.Cli.Commands;

/// <summary>
/// <c>goheapdump generate --seed N --objects M [--arch A] --out FILE</c>: a seeded, realistic runtime state
/// written through the reference writer. Same arguments, same bytes. The file appears only when complete.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var seed = new Option<ulong>("--seed") { Description = "Seed of the state builder; the same seed gives the same bytes.", Required = true };
        var objects = new Option<int>("--objects") { Description = "About this many heap object records.", DefaultValueFactory = _ => 10000 };
        var arch = new Option<string>("--arch")
        {
            Description = $"GOARCH of the dumping process: {string.Join(", ", GoArchitecture.Names)}.",
            DefaultValueFactory = _ => "amd64",
        };
        arch.AcceptOnlyFromAmong([.. GoArchitecture.Names]);
        var go = new Option<string>("--go")
        {
            Description = $"Go release whose runtime writes the dump: 1.5 to {StateBuilder.Newest.Major}.{StateBuilder.Newest.Minor} (1.N takes the release's last patch, 1.N.P names one).",
            DefaultValueFactory = _ => $"{StateBuilder.Newest.Major}.{StateBuilder.Newest.Minor}",
        };
        go.Validators.Add(result =>
        {
            if (StateBuilder.FindRelease(result.GetValueOrDefault<string>() ?? "") is null)
            {
                result.AddError($"--go: '{result.GetValueOrDefault<string>()}' is not a modelled release; use 1.5 to {StateBuilder.Newest.Major}.{StateBuilder.Newest.Minor}");
            }
        });
        var output = new Option<FileInfo>("--out") { Description = "Output file (written to a temporary name, then moved into place; a device or a named pipe is written directly).", Required = true };
        objects.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--objects must be 0 or more");
            }
        });

        var command = new Command("generate", "Write a heap dump of a seeded runtime state, realistic for the Go release, through the reference writer.")
        {
            seed, objects, arch, go, output,
        };
        command.SetAction(parse => Run(
            parse.GetValue(seed),
            parse.GetValue(objects),
            parse.GetValue(arch)!,
            StateBuilder.FindRelease(parse.GetValue(go)!)!.Value,
            parse.GetValue(output)!,
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(ulong seed, int objects, string arch, GoRelease release, FileInfo output, TextWriter stdout, TextWriter stderr)
    {
        var stopwatch = Stopwatch.StartNew();
        // The state without its spans' contents: the writer fills each span as it walks allspans, so memory stays bounded
        // whatever the dump's size (the same bytes as writing StateBuilder.Build's state).
        RuntimeState state;
        AllSpans spans;
        try
        {
            (state, spans) = StateBuilder.Stream(seed, objects, arch, release);
        }
        catch (ArgumentException e)
        {
            // A GOARCH the release did not have (go1.5/1.6 params name the architecture by its thechar).
            stderr.WriteLine($"goheapdump generate: {e.Message}");
            return ExitCodes.Usage;
        }

        var built = stopwatch.Elapsed;
        try
        {
            HeapDumpWriter.WriteFile(state, spans, output.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"goheapdump generate: cannot write {output.FullName}: {e.Message}");
            return ExitCodes.IoError;
        }

        // A device or a pipe (written directly, see AtomicFile) has no length to report.
        var length = FileKind.IsSpecial(output.FullName) ? "written" : $"{new FileInfo(output.FullName).Length} bytes";
        stdout.WriteLine($"{output.FullName}: {length}, go{release} {arch}, seed {seed}, {state.MemStats.HeapObjects} objects " +
            $"(built in {built.TotalMilliseconds:F0} ms, written in {(stopwatch.Elapsed - built).TotalMilliseconds:F0} ms)");
        return ExitCodes.Ok;
    }
}
