using System.Diagnostics;
using System.Globalization;
using GoHeapDump.Validation;

namespace GoHeapDump.Benchmarks;

/// <summary>
/// Times, in one run on one file: the Go yardstick reader (/work/shared/bench/yardstick, built from a temp
/// copy) in its readall, mmap and stream modes; the fast reader's structure-only pass (record views); the
/// full validation (all rules). Prints each throughput and the ratios to the yardstick's in-memory mode, and
/// the peak memory of a structure-only pass and of a full validation, each in a fresh child process.
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project tests/GoHeapDump.Benchmarks -- side-by-side [--iters N]
/// [--warmup N] [--yardstick DIR] [--small FILE] FILE</c>. Times are medians of N in-process iterations, as
/// the yardstick reports its own; the .NET passes get W warm-up iterations first (tiered JIT) and the first,
/// cold iteration is printed too. <c>--small FILE</c> adds a second, smaller dump to the memory
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
        var yardstickSource = "/work/shared/bench/yardstick";
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

        exitCode = Run(file, small, iterations, warmup, yardstickSource);
        return true;
    }

    private static int Run(string file, string? small, int iterations, int warmup, string yardstickSource)
    {
        var bytes = new FileInfo(file).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"file {file}: {bytes:N0} bytes; {iterations} iterations (median), {warmup} warm-up iterations for .NET; {Environment.ProcessorCount} CPUs; load {LoadAverage()}"));

        var yardstick = BuildYardstick(yardstickSource);
        var results = new List<(string Name, double Ms, double Cold)>();
        var go = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var mode in new[] { "readall", "mmap", "stream" })
        {
            var ms = RunYardstick(yardstick, mode, iterations, file);
            go[mode] = ms;
            results.Add(($"Go yardstick -mode {mode}", ms, double.NaN));
        }

        var (readMs, readCold) = Time(() => StructureOnly(file), iterations, warmup);
        results.Add(("fast reader, structure only (record views)", readMs, readCold));
        var (modelMs, modelCold) = Time(() => ModelRecords(file), Math.Max(1, iterations / 2), 1);
        results.Add(("fast reader, model records (IHeapDumpReader)", modelMs, modelCold));
        ValidationReport? report = null;
        var (validateMs, validateCold) = Time(() => report = HeapDumpValidator.ValidateFile(file), iterations, warmup);
        results.Add(("full validation (all rules)", validateMs, validateCold));

        Console.WriteLine();
        Console.WriteLine($"{"pass",-48} {"median ms",10} {"MB/s",9} {"cold ms",9}");
        foreach (var (name, ms, cold) in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-48} {ms,10:F2} {bytes / 1e6 / (ms / 1000),9:F1} {(double.IsNaN(cold) ? "" : cold.ToString("F2", CultureInfo.InvariantCulture)),9}"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio structure-only / yardstick readall: {go["readall"] / readMs:F2} (target ≥ 1.00)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio full validation / yardstick readall: {go["readall"] / validateMs:F2} (target ≥ 0.50)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio structure-only / yardstick mmap: {go["mmap"] / readMs:F2}; / stream: {go["stream"] / readMs:F2}"));
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
            var read = Child("read", f);
            var validate = Child("validate", f);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {Path.GetFileName(f),-30} read {read.PeakKb,8:N0} kB (+{read.PeakKb - baseline.PeakKb:N0}), validate {validate.PeakKb,8:N0} kB (+{validate.PeakKb - baseline.PeakKb:N0}); {validate.Objects:N0} objects, {validate.Runs:N0} runs, largest record {validate.LargestRecord:N0} bytes"));
            perFile.Add((f, validate.Objects, validate.PeakKb));
        }

        if (perFile.Count == 2 && perFile[1].Objects > perFile[0].Objects)
        {
            var perObject = (perFile[1].ValidateKb - perFile[0].ValidateKb) * 1024.0 / (perFile[1].Objects - perFile[0].Objects);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  validation peak grows by {perObject:F1} bytes per object between the two files (budget: 32 bytes per object, plus the largest record)"));
        }

        return 0;
    }

    private static (double MedianMs, double ColdMs) Time(Action action, int iterations, int warmup)
    {
        var cold = Stopwatch.StartNew();
        action();
        var coldMs = cold.Elapsed.TotalMilliseconds;
        for (var i = 1; i < warmup; i++)
        {
            action();
        }

        var times = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            GC.Collect();
            var clock = Stopwatch.StartNew();
            action();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        var median = iterations % 2 == 1 ? times[iterations / 2] : (times[(iterations / 2) - 1] + times[iterations / 2]) / 2;
        return (median, coldMs);
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
        foreach (var f in Directory.GetFiles(source))
        {
            File.Copy(f, Path.Combine(directory, Path.GetFileName(f)));
        }

        var binary = Path.Combine(directory, "yardstick");
        var build = Process.Start(new ProcessStartInfo("go", $"build -o {binary} .") { WorkingDirectory = directory })!;
        build.WaitForExit();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException("go build of the yardstick failed");
        }

        return binary;
    }

    private static double RunYardstick(string binary, string mode, int iterations, string file)
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
        var field = summary.Split(' ').First(f => f.StartsWith("med_ms=", StringComparison.Ordinal));
        return double.Parse(field["med_ms=".Length..], CultureInfo.InvariantCulture);
    }

    private readonly record struct ChildResult(long PeakKb, long Objects, long Runs, long LargestRecord);

    /// <summary>Runs one pass in a fresh process of this program and reads what it reports.</summary>
    private static ChildResult Child(string what, string file)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        var entry = Environment.GetCommandLineArgs()[0];
        if (entry.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(entry);
        }

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
