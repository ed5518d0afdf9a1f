using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using GoHeapDump.Kaitai;

namespace GoHeapDump.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/GoHeapDump.Benchmarks -- kaitai DUMP [--iters N] [--yardstick DIR]</c>:
/// reads DUMP record by record with the Kaitai parser (KaitaiHeapDumpReader, records discarded) and with the Go
/// yardstick reader (shared/bench/yardstick, mode stream), in the same run, and prints the MB/s of each and
/// their ratio. The yardstick is found in a <c>shared/bench/yardstick</c> folder above the repository unless
/// given, and built with <c>go build</c> in a temporary copy.
/// </summary>
internal static partial class KaitaiVersusYardstick
{
    public static int Run(string[] args)
    {
        string? dump = null;
        string? yardstickDir = null;
        var iters = 5;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--iters" when i + 1 < args.Length:
                    iters = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--yardstick" when i + 1 < args.Length:
                    yardstickDir = args[++i];
                    break;
                default:
                    dump = Path.GetFullPath(args[i]); // the yardstick runs in its build directory
                    break;
            }
        }

        if (dump is null || !File.Exists(dump) || iters < 1)
        {
            Console.Error.WriteLine("usage: kaitai DUMP [--iters N] [--yardstick DIR]");
            return 2;
        }

        var bytes = new FileInfo(dump).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"file={dump} bytes={bytes} iters={iters} (median of iters, after one warm-up pass)"));

        var kaitaiMs = MedianMs(iters + 1, () => ReadWithKaitai(dump), skipFirst: true);
        var kaitaiMBps = bytes / 1e6 / (kaitaiMs / 1000);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kaitai     med_ms={kaitaiMs:F0} MBps={kaitaiMBps:F1}"));

        yardstickDir ??= SharedBench.Find() is { } bench ? Path.Combine(bench, "yardstick") : null;
        if (yardstickDir is null)
        {
            Console.WriteLine("yardstick  not found (no shared/bench/yardstick above the repository; pass --yardstick DIR)");
            return 0;
        }

        var yardstickMBps = RunYardstick(yardstickDir, dump, iters);
        if (yardstickMBps is null)
        {
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"yardstick  MBps={yardstickMBps:F1} (Go: bufio.Reader + binary.ReadUvarint, strings skipped)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio kaitai/yardstick = {kaitaiMBps / yardstickMBps:F3}"));
        return 0;
    }

    private static long ReadWithKaitai(string dump)
    {
        long records = 0;
        using var reader = KaitaiHeapDumpReader.Open(dump);
        while (reader.Read() is not null)
        {
            records++;
        }

        return records;
    }

    private static double MedianMs(int runs, Func<long> action, bool skipFirst)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            watch.Stop();
            if (!(skipFirst && i == 0))
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        return times[times.Count / 2];
    }

    private static double? RunYardstick(string sourceDir, string dump, int iters)
    {
        // shared/ is read-only: build in a temporary copy.
        var work = Directory.CreateTempSubdirectory("yardstick-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(sourceDir))
            {
                File.Copy(file, Path.Combine(work, Path.GetFileName(file)));
            }

            var binary = Path.Combine(work, "readdump");
            var build = Exec(work, "go", ["build", "-o", binary, "."]);
            if (build is not { ExitCode: 0 })
            {
                Console.Error.WriteLine($"yardstick: go build failed: {build?.Output}");
                return null;
            }

            var run = Exec(work, binary, ["-iters", iters.ToString(CultureInfo.InvariantCulture), "-q", dump]);
            var match = run is { ExitCode: 0 } ok ? MBps().Match(ok.Output) : Match.Empty;
            if (!match.Success)
            {
                Console.Error.WriteLine($"yardstick: no SUMMARY line in its output: {run?.Output}");
                return null;
            }

            return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static (int ExitCode, string Output)? Exec(string dir, string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.Error.WriteLine($"cannot run {file}: {e.Message}");
            return null;
        }
    }

    [GeneratedRegex(@"SUMMARY .* MBps=([0-9.]+)")]
    private static partial Regex MBps();
}
