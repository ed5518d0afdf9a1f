using System.Diagnostics;
using System.Globalization;
using GoHeapDump.Validation;

namespace GoHeapDump.Benchmarks;

/// <summary>
/// Times, in one run on one file: the Go yardstick reader (shared/bench/yardstick, built from a temp
/// copy) in its readall, mmap and stream modes; the fast reader's structure-only pass (record views); the
/// full validation (all rules). Prints each throughput and the ratios to the yardstick's in-memory mode, and
/// the peak memory of a structure-only pass and of a full validation, each in a fresh child process.
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project tests/GoHeapDump.Benchmarks -- side-by-side [--iters N]
/// [--warmup N] [--yardstick DIR] [--small FILE] FILE</c>, where FILE may be <c>gogen:N</c> (an N-object dump
/// written by shared/bench/gogen, built and run in a temp directory). Every pass runs about N times in rounds of 3 that
/// interleave all passes (so load from other processes falls on all alike); each figure is the median over its
/// iterations (the yardstick's own in-process medians per round), wall and CPU time. The .NET passes get W
/// warm-up iterations first (tiered JIT); the first, cold iteration is printed too. <c>--small FILE</c> adds a second, smaller dump to the memory
/// measurement so the per-object cost shows as the difference.
/// </remarks>
internal static class SideBySide
{
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length >= 2 && args[0] == "measure-child")
        {
            exitCode = MeasureChild(args[1], args[2]);
            return true;
        }

        if (args.Length == 0 || args[0] != "side-by-side")
        {
            return false;
        }

        var iterations = 5;
        var warmup = 3;
        string? yardstickSource = null;
        string? small = null;
        string? file = null;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--iters":
                    iterations = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--warmup":
                    warmup = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--yardstick":
                    yardstickSource = args[++i];
                    break;
                case "--small":
                    small = args[++i];
                    break;
                default:
                    file = args[i];
                    break;
            }
        }

        if (file is null)
        {
            Console.Error.WriteLine("usage: side-by-side [--iters N] [--warmup N] [--yardstick DIR] [--small FILE] FILE");
            exitCode = 2;
            return true;
        }

        file = MaybeGenerate(file);
        small = small is null ? null : MaybeGenerate(small);
        exitCode = Run(file, small, iterations, warmup, yardstickSource ?? SharedBench.Source("yardstick"));
        return true;
    }

    /// <summary><c>gogen:N</c> builds shared/bench/gogen (from a temp copy) and writes an N-object dump with it.</summary>
    private static string MaybeGenerate(string file)
    {
        if (!file.StartsWith("gogen:", StringComparison.Ordinal))
        {
            return file;
        }

        var objects = long.Parse(file["gogen:".Length..], CultureInfo.InvariantCulture);
        var directory = Directory.CreateTempSubdirectory("gogen-").FullName;
        TemporaryDirectories.Add(directory);
        var binary = SharedBench.Build(SharedBench.Source("gogen"), directory);
        var dump = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"gogen-{objects}.dump"));
        SharedBench.Run(binary, directory, "-n", objects.ToString(CultureInfo.InvariantCulture), "-out", dump, "-reps", "1", "-devnull-reps", "0");
        Console.WriteLine($"generated {dump} with gogen -n {objects}");
        return dump;
    }

    private static readonly List<string> TemporaryDirectories = [];

    /// <summary>A valid dump of <paramref name="objects"/> 16-byte objects 32 bytes apart, in shuffled span-sized blocks.</summary>
    private static string SparseDump(int objects)
    {
        var path = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"sparse-{objects}-{Environment.ProcessId}.dump"));
        using var output = new BufferedStream(File.Create(path), 1 << 20);
        var buffer = new byte[16];
        void U(ulong value) => output.Write(buffer, 0, Uvarint.Write(buffer, value));
        const ulong heap = 0xc000000000;
        output.Write("go1.7 heap dump\n"u8);
        U(6); U(0); U(8); U(heap); U(heap + ((ulong)objects * 32) + (1 << 20)); U(5); output.Write("amd64"u8); U(0); U(2);
        var blocks = Enumerable.Range(0, (objects + 255) / 256).ToArray();
        new Random(1).Shuffle(blocks);
        var contents = new byte[16];
        foreach (var block in blocks)
        {
            for (var i = block * 256; i < Math.Min(objects, (block + 1) * 256); i++)
            {
                U(1); U(heap + ((ulong)i * 32)); U(16); output.Write(contents); U(1); U(8); U(0);
            }
        }

        U(10);
        for (var i = 0; i < HeapDumpFormat.MemStatsValueCount; i++)
        {
            U(0);
        }

        U(0);
        return path;
    }

    private static int Run(string file, string? small, int iterations, int warmup, string yardstickSource)
    {
        var bytes = new FileInfo(file).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"file {file}: {bytes:N0} bytes; {iterations} iterations (median), {warmup} warm-up iterations for .NET; {Environment.ProcessorCount} CPUs; load {LoadAverage()}"));

        var yardstick = BuildYardstick(yardstickSource);

        // Warm-up (tiered JIT), then rounds that interleave every pass, so that load from other processes on
        // the machine falls on all of them alike. Each pass's figure is the median over all its iterations.
        var (_, readCold, _) = Once(() => StructureOnly(file));
        var (_, validateCold, _) = Once(() => HeapDumpValidator.ValidateFile(file));
        for (var i = 1; i < warmup; i++)
        {
            StructureOnly(file);
            ModelRecords(file);
            HeapDumpValidator.ValidateFile(file);
        }

        var passes = new[]
        {
            "Go yardstick -mode readall", "Go yardstick -mode mmap", "Go yardstick -mode stream",
            "fast reader, structure only (record views)", "fast reader, model records (IHeapDumpReader)", "full validation (all rules)",
        };
        var wall = passes.ToDictionary(p => p, _ => new List<double>(), StringComparer.Ordinal);
        var cpu = passes.ToDictionary(p => p, _ => new List<double>(), StringComparer.Ordinal);
        ValidationReport? report = null;
        const int perRound = 3;
        var rounds = Math.Max(1, (iterations + perRound - 1) / perRound);
        for (var round = 0; round < rounds; round++)
        {
            foreach (var mode in new[] { "readall", "mmap", "stream" })
            {
                var (ms, cpuMs) = RunYardstick(yardstick, mode, perRound, file);
                wall[$"Go yardstick -mode {mode}"].Add(ms);
                cpu[$"Go yardstick -mode {mode}"].Add(cpuMs);
            }

            for (var i = 0; i < perRound; i++)
            {
                Record(passes[3], Once(() => StructureOnly(file)));
                Record(passes[4], Once(() => ModelRecords(file)));
                Record(passes[5], Once(() => report = HeapDumpValidator.ValidateFile(file)));
            }
        }

        void Record(string pass, (double Ms, double Cold, double CpuMs) time)
        {
            wall[pass].Add(time.Ms);
            cpu[pass].Add(time.CpuMs);
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"pass",-48} {"median ms",10} {"MB/s",9} {"cpu ms",9} {"cold ms",9}"));
        foreach (var pass in passes)
        {
            var ms = Median(wall[pass]);
            var cold = pass == passes[3] ? readCold : pass == passes[5] ? validateCold : double.NaN;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{pass,-48} {ms,10:F2} {bytes / 1e6 / (ms / 1000),9:F1} {Median(cpu[pass]),9:F2} {(double.IsNaN(cold) ? "" : cold.ToString("F2", CultureInfo.InvariantCulture)),9}"));
        }

        var readall = Median(wall[passes[0]]);
        var read = Median(wall[passes[3]]);
        var validate = Median(wall[passes[5]]);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio structure-only / yardstick readall: {readall / read:F2} (target ≥ 1.00); by CPU time {Median(cpu[passes[0]]) / Median(cpu[passes[3]]):F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio full validation / yardstick readall: {readall / validate:F2} (target ≥ 0.50); by CPU time {Median(cpu[passes[0]]) / Median(cpu[passes[5]]):F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio structure-only / yardstick mmap: {Median(wall[passes[1]]) / read:F2}; / stream: {Median(wall[passes[2]]) / read:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"validation verdict: {(report!.Conforms ? "conforms" : "does not conform")}, {report.RecordCount:N0} records, {report.ObjectCount:N0} objects in {report.ObjectRunCount:N0} runs"));

        Console.WriteLine();
        Console.WriteLine("peak memory (VmHWM of a fresh child process doing one pass; 'none' = runtime and code only):");
        var files = small is null ? new[] { file } : new[] { small, file };
        var baseline = Child("none", file);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"none",-10} {baseline.PeakKb,10:N0} kB"));
        var perFile = new List<(string File, long Objects, long ValidateKb)>();
        foreach (var f in files)
        {
            var readPeak = Child("read", f);
            var validatePeak = Child("validate", f);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {Path.GetFileName(f),-30} read {readPeak.PeakKb,8:N0} kB (+{readPeak.PeakKb - baseline.PeakKb:N0}), validate {validatePeak.PeakKb,8:N0} kB (+{validatePeak.PeakKb - baseline.PeakKb:N0}); {validatePeak.Objects:N0} objects, {validatePeak.Runs:N0} runs, largest record {validatePeak.LargestRecord:N0} bytes"));
            perFile.Add((f, validatePeak.Objects, validatePeak.PeakKb));
        }

        if (perFile.Count == 2 && perFile[1].Objects > perFile[0].Objects)
        {
            var perObject = (perFile[1].ValidateKb - perFile[0].ValidateKb) * 1024.0 / (perFile[1].Objects - perFile[0].Objects);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  validation peak grows by {perObject:F1} bytes per object between the two files (budget: 32 bytes per object, plus the largest record)"));
        }

        // Worst case for the object table: no two objects adjacent, so every object is its own run.
        var sparseSmall = SparseDump(100_000);
        var sparseLarge = SparseDump(2_000_000);
        try
        {
            var a = Child("validate", sparseSmall);
            var b = Child("validate", sparseLarge);
            var worst = (b.PeakKb - a.PeakKb) * 1024.0 / (b.Objects - a.Objects);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  worst case (synthetic, no two objects adjacent): {a.Objects:N0} objects {a.PeakKb:N0} kB, {b.Objects:N0} objects {b.PeakKb:N0} kB: {worst:F1} bytes per object (budget 32)"));
        }
        finally
        {
            File.Delete(sparseSmall);
            File.Delete(sparseLarge);
        }

        foreach (var directory in TemporaryDirectories)
        {
            Directory.Delete(directory, recursive: true);
        }

        return 0;
    }

    /// <summary>One timed iteration after a collection: wall ms, the same as "cold" for the first call, and process CPU ms.</summary>
    private static (double Ms, double Cold, double CpuMs) Once(Action action)
    {
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action();
        var ms = clock.Elapsed.TotalMilliseconds;
        process.Refresh();
        return (ms, ms, (process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }

    private static long StructureOnly(string file)
    {
        using var reader = HeapDumpReader.Open(file);
        long count = 0;
        while (reader.MoveNext())
        {
            count++;
        }

        return count;
    }

    private static long ModelRecords(string file)
    {
        using var reader = HeapDumpReader.Open(file);
        long count = 0;
        while (reader.Read() is not null)
        {
            count++;
        }

        return count;
    }

    private static string BuildYardstick(string source)
    {
        var directory = Directory.CreateTempSubdirectory("yardstick-").FullName;
        TemporaryDirectories.Add(directory);
        return SharedBench.Build(source, directory);
    }

    private static (double Ms, double CpuMs) RunYardstick(string binary, string mode, int iterations, string file)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true };
        foreach (var argument in new[] { "-mode", mode, "-iters", iterations.ToString(CultureInfo.InvariantCulture), "-q", file })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var summary = output.Split('\n').First(l => l.StartsWith("SUMMARY", StringComparison.Ordinal));
        double Field(string name) => double.Parse(summary.Split(' ').First(f => f.StartsWith(name, StringComparison.Ordinal))[name.Length..], CultureInfo.InvariantCulture);
        return (Field("med_ms="), Field("cpu_med_ms="));
    }

    private readonly record struct ChildResult(long PeakKb, long Objects, long Runs, long LargestRecord);

    /// <summary>Runs one pass in a fresh process of this program and reads what it reports.</summary>
    private static ChildResult Child(string what, string file)
    {
        // Through the dotnet host and the entry assembly: under `dotnet run` the process is the apphost, whose
        // command line still names the .dll first, so the apphost cannot be given the .dll as an argument.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        start.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);

        start.ArgumentList.Add("measure-child");
        start.ArgumentList.Add(what);
        start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim().Split(' ');
        process.WaitForExit();
        return new ChildResult(
            long.Parse(output[0], CultureInfo.InvariantCulture),
            long.Parse(output[1], CultureInfo.InvariantCulture),
            long.Parse(output[2], CultureInfo.InvariantCulture),
            long.Parse(output[3], CultureInfo.InvariantCulture));
    }

    private static int MeasureChild(string what, string file)
    {
        long objects = 0, runs = 0, largest = 0;
        switch (what)
        {
            case "read":
                using (var reader = HeapDumpReader.Open(file))
                {
                    while (reader.MoveNext())
                    {
                        largest = Math.Max(largest, reader.Current.Length);
                    }
                }

                break;
            case "validate":
                var report = HeapDumpValidator.ValidateFile(file);
                objects = report.ObjectCount;
                runs = report.ObjectRunCount;
                using (var reader = HeapDumpReader.Open(file))
                {
                    // Measured after the validation's peak; the reader's buffer is at most the largest record anyway.
                    while (reader.MoveNext())
                    {
                        largest = Math.Max(largest, reader.Current.Length);
                    }
                }

                break;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{PeakKb()} {objects} {runs} {largest}"));
        return 0;
    }

    private static long PeakKb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
