using BenchmarkDotNet.Running;

// Timings that write to /dev/null are only true if it is the device: on this project's machines a root process once
// replaced it with a regular file (on tmpfs), and every "> /dev/null" then paid for writing memory.
// A byte written to the device is gone; written to a regular file, it stays.
if (OperatingSystem.IsLinux() && !IsNullDevice())
{
    Console.Error.WriteLine("benchmarks: /dev/null is not the null device (a regular file took its place?); recreate it: rm -f /dev/null && mknod -m 666 /dev/null c 1 3");
    return 2;
}

// `dotnet run -c Release --project tests/GoHeapDump.Benchmarks -- --filter '*'` runs the BenchmarkDotNet
// suites in this assembly. Side-by-side comparisons with the Go yardsticks are separate modes, added per area.
if (args is ["kaitai", .. var kaitaiArgs])
{
    // Side by side with the Go yardstick reader: see KaitaiVersusYardstick.
    return GoHeapDump.Benchmarks.KaitaiVersusYardstick.Run(kaitaiArgs);
}

// `-- side-by-side FILE` times the Go yardstick, the fast reader and the validator on one file (SideBySide.cs).
if (GoHeapDump.Benchmarks.SideBySide.TryRun(args, out var exitCode))
{
    return exitCode;
}

// `-- scaling [--max-gb G]`: dumps from 10 MB to G GB, time and peak memory of every pass and the Go yardstick (Scaling.cs).
if (args.Length > 0 && args[0] == "scaling")
{
    return GoHeapDump.Benchmarks.Scaling.Run(args);
}

// `-- whole FILE [--samples 7] [--tool PATH] [--parse]`: the scaling run's whole-process rows on a dump made elsewhere (Scaling.cs).
if (args.Length > 0 && args[0] == "whole")
{
    return GoHeapDump.Benchmarks.Scaling.RunWhole(args);
}

if (args.Length is 4 or 5 && args[0] == "scaling-child")
{
    return GoHeapDump.Benchmarks.Scaling.RunChild(args);
}

// `-- writer-vs-go [--objects N] [--reps R]`: the reference writer side by side with the Go runtime's WriteHeapDump.
if (args.Length > 0 && args[0] == "writer-vs-go")
{
    return GoHeapDump.Benchmarks.WriterVersusGo.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

static bool IsNullDevice()
{
    using (var null_ = new FileStream("/dev/null", FileMode.Append, FileAccess.Write))
    {
        null_.WriteByte((byte)'x');
    }

    return new FileInfo("/dev/null").Length == 0;
}

/// <summary>Entry point type (referenced for assembly discovery).</summary>
internal sealed partial class Program;
