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
        var output = new Option<FileInfo>("--out") { Description = "Output file (written to a temporary name, then moved into place).", Required = true };
        objects.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--objects must be 0 or more");
            }
        });

        var command = new Command("generate", "Write a heap dump of a seeded, realistic Go 1.19 runtime state through the reference writer.")
        {
            seed, objects, arch, output,
        };
        command.SetAction(parse => Run(
            parse.GetValue(seed),
            parse.GetValue(objects),
            parse.GetValue(arch)!,
            parse.GetValue(output)!,
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(ulong seed, int objects, string arch, FileInfo output, TextWriter stdout, TextWriter stderr)
    {
        var stopwatch = Stopwatch.StartNew();
        var state = StateBuilder.Build(seed, objects, arch);
        var built = stopwatch.Elapsed;
        try
        {
            HeapDumpWriter.WriteFile(state, output.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"goheapdump generate: cannot write {output.FullName}: {e.Message}");
            return ExitCodes.IoError;
        }

        var length = new FileInfo(output.FullName).Length;
        stdout.WriteLine($"{output.FullName}: {length} bytes, {arch}, seed {seed}, {state.MemStats.HeapObjects} objects " +
            $"(built in {built.TotalMilliseconds:F0} ms, written in {(stopwatch.Elapsed - built).TotalMilliseconds:F0} ms)");
        return ExitCodes.Ok;
    }
}
