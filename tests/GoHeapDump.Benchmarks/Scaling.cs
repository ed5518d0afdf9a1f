using System.Diagnostics;
using System.Globalization;
using System.Text;
using GoHeapDump.Testing;
using GoHeapDump.Validation;

namespace GoHeapDump.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/GoHeapDump.Benchmarks -- scaling [--max-gb 4] [--gogen-max-gb 1.5]
/// [--kaitai-max-mb 700] [--samples 3] [--tool PATH] [--out DIR] [--work DIR]</c>: builds dumps of increasing size (the reference writer, 10 MB
/// growing ×4 up to --max-gb; real Go dumps written by ../shared/bench/gogen up to --gogen-max-gb) and measures on
/// each, one fresh process per pass: the Go yardstick (readall, mmap, stream), the fast reader's structure-only pass,
/// the validator (what <c>goheapdump validate</c> runs), one Kaitai reader to canonical JSONL (the library's
/// path; <c>goheapdump parse</c> on a file of 8 MiB or more uses segments on every core; up to --kaitai-max-mb) and, for reference-writer dumps, the
/// writer itself. Then, as a user runs them, whole processes of the shipped tool (--tool, default a Native AOT publish
/// of src/GoHeapDump.Cli made in the work directory): <c>goheapdump validate FILE</c>, <c>validate -</c> with the dump
/// on a pipe, and <c>parse FILE</c> to /dev/null, beside the yardstick's mmap mode and its stream mode on the same pipe,
/// each taking turns --samples times (the median is reported). Ratios compare
/// with the fastest yardstick mode on the same file (in-process passes with the fastest in-process figure, whole
/// processes with the mmap whole process). Writes scaling.md (table), scaling.csv, scaling-throughput.png and scaling-memory.png to DIR
/// (default tests/GoHeapDump.Benchmarks/results). Each dump is deleted once measured; the largest needs --max-gb of
/// free disk (and of memory, for yardstick readall).
/// </summary>
internal static class Scaling
{
    private const double Mb = 1e6;

    private sealed record Measurement(string Source, long Bytes, long Objects, string Pass, double Seconds, double CpuSeconds, long PeakKb, string Note, double ColdSeconds = double.NaN);

    public static int Run(string[] args)
    {
        var maxGb = 4.0;
        var gogenMaxGb = 1.5;
        var kaitaiMaxMb = 700.0;
        var root = RepositoryRoot.Path;
        var outDir = Path.Combine(root, "tests", "GoHeapDump.Benchmarks", "results");
        var work = Path.Combine(Path.GetTempPath(), "goheapdump-scaling");
        string? tool = null;
        var samples = 3;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--max-gb": maxGb = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--gogen-max-gb": gogenMaxGb = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--kaitai-max-mb": kaitaiMaxMb = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--out": outDir = Path.GetFullPath(args[++i]); break;
                case "--work": work = Path.GetFullPath(args[++i]); break;
                case "--tool": tool = Path.GetFullPath(args[++i]); break;
                case "--samples": samples = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
                default:
                    Console.Error.WriteLine("usage: scaling [--max-gb 4] [--gogen-max-gb 1.5] [--kaitai-max-mb 700] [--samples 3] [--tool PATH] [--out DIR] [--work DIR]");
                    return 2;
            }
        }

        Directory.CreateDirectory(work);
        Directory.CreateDirectory(outDir);
        Log($"work directory {work}; {Environment.ProcessorCount} CPUs; load {Load()}");
        var yardstick = SharedBench.Build(SharedBench.Source("yardstick"), Path.Combine(work, "yardstick"));
        var gogen = SharedBench.Build(SharedBench.Source("gogen"), Path.Combine(work, "gogen"));
        var self = Environment.GetCommandLineArgs()[0];
        tool ??= PublishTool(root, Path.Combine(work, "tool"));
        Log($"whole-process runs use {tool}");

        var results = new List<Measurement>();
        var csv = Path.Combine(outDir, "scaling.csv");
        const double bytesPerRefObject = 37.4; // measured: 1M objects → 37.36 MB (goheapdump generate, amd64, seed 1)
        const double bytesPerGogenObject = 38.0;
        foreach (var targetMb in Sizes(maxGb * 1000))
        {
            var objects = (long)(targetMb * Mb / bytesPerRefObject);
            var dump = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"reference-{objects}.dump"));
            var gen = Child(self, "generate", dump, objects);
            var bytes = new FileInfo(dump).Length;
            results.Add(new Measurement("reference writer", bytes, objects, "reference writer (generate)", gen.Seconds, gen.CpuSeconds, gen.PeakKb, "spans filled as the writer walks them (StateBuilder.Stream)"));
            Log(string.Create(CultureInfo.InvariantCulture, $"  generate: {gen.Seconds:F2} s, {gen.PeakKb / 1024.0:F0} MB peak"));
            MeasureAll("reference writer", dump, objects);
        }

        foreach (var targetMb in Sizes(gogenMaxGb * 1000))
        {
            var objects = (long)(targetMb * Mb / bytesPerGogenObject);
            var dump = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"gogen-{objects}.dump"));
            SharedBench.Run(gogen, work, "-n", objects.ToString(CultureInfo.InvariantCulture), "-out", dump, "-reps", "1", "-devnull-reps", "0");
            MeasureAll("Go runtime (gogen)", dump, objects);
        }

        WriteMarkdown(Path.Combine(outDir, "scaling.md"), results, maxGb, gogenMaxGb, kaitaiMaxMb, samples);
        Charts.Write(outDir, results.Select(r => (r.Source, r.Bytes, r.Pass, r.Seconds, r.PeakKb)).ToList());
        Log($"wrote {outDir}/scaling.md, scaling.csv, scaling-throughput.png, scaling-memory.png");
        return 0;

        void MeasureAll(string source, string dump, long objects)
        {
            var bytes = new FileInfo(dump).Length;
            Log(string.Create(CultureInfo.InvariantCulture, $"{source}: {bytes / Mb:F0} MB, {objects:N0} objects; df {FreeGb(work):F0} GB free"));
            foreach (var mode in new[] { "readall", "mmap", "stream" })
            {
                var run = Timed([yardstick, "-mode", mode, "-iters", samples.ToString(CultureInfo.InvariantCulture), "-q", dump]); // its median
                double Field(string name) => double.Parse(run.Output.Split(' ').First(f => f.StartsWith(name, StringComparison.Ordinal))[name.Length..], CultureInfo.InvariantCulture);
                Add($"Go yardstick -mode {mode}", new ChildResult(Field("med_ms=") / 1000, Field("cpu_med_ms=") / 1000, run.PeakKb), "");
            }

            Add("fast reader, structure only", Child(self, "read", dump, 0, samples), "record views, no rules");
            var validate = Child(self, "validate", dump, 0, samples);
            Add("validator (goheapdump validate)", validate, validate.Note);
            if (bytes <= kaitaiMaxMb * Mb)
            {
                var parse = Child(self, "parse", dump, 0, samples);
                // One Kaitai reader on one thread, as the library gives it; the command (segments on every core) is a whole-process row.
                Add("Kaitai parser, one reader (library)", parse, "records to canonical JSONL, discarded");
            }

            // Whole processes, as a user runs them: start-up, reading and exit included; wall time from start to exit,
            // peak RSS from GNU time, CPU time not measured (-1). Each runs `samples` times, the commands taking turns so that a burst of
            // other work on the machine hits them alike; the median wall time and the largest peak are reported.
            var whole = WholeProcesses(yardstick, tool, dump, bytes <= kaitaiMaxMb * Mb).ToList();
            var runs = TakeTurns(whole, dump, samples);

            for (var i = 0; i < whole.Count; i++)
            {
                var seconds = runs[i].Select(r => r.Seconds).Order().ToList();
                Add(whole[i].Pass, new ChildResult(seconds[seconds.Count / 2], -1, runs[i].Max(r => r.PeakKb)),
                    string.Create(CultureInfo.InvariantCulture, $"whole process, median of {samples}"));
            }

            File.Delete(dump);
            File.WriteAllLines(csv, ["source,bytes,objects,pass,seconds,cpu_seconds,peak_kb,note", .. results.Select(r => string.Create(CultureInfo.InvariantCulture,
                $"{r.Source},{r.Bytes},{r.Objects},{r.Pass},{r.Seconds:F4},{r.CpuSeconds:F4},{r.PeakKb},{r.Note}"))]);

            void Add(string pass, ChildResult r, string note)
            {
                var m = new Measurement(source, bytes, objects, pass, Math.Max(1e-3, r.Seconds), r.CpuSeconds < 0 ? double.NaN : Math.Max(1e-3, r.CpuSeconds), r.PeakKb, note, r.ColdSeconds);
                results.Add(m);
                Log(string.Create(CultureInfo.InvariantCulture,
                    $"  {pass,-40} {m.Seconds,9:F3} s {bytes / Mb / m.Seconds,9:F1} MB/s (cpu {m.CpuSeconds:F3} s) {r.PeakKb / 1024.0,9:F1} MB peak"));
            }
        }
    }

    /// <summary>
    /// <c>-- whole FILE [--samples 7] [--tool PATH] [--parse]</c>: the whole-process rows of the scaling run on a dump made
    /// elsewhere, without building any: the yardstick's mmap mode and stream mode on a pipe, <c>goheapdump validate</c>
    /// on the file and on a pipe (and with --parse both parsers' <c>parse</c>), taking turns --samples times, each after
    /// the file was read once untimed (<see cref="Warm"/>). Prints each
    /// command's median and range of wall time, its largest peak, and the ratio to the yardstick's mmap median.
    /// </summary>
    public static int RunWhole(string[] args)
    {
        string? file = null;
        string? tool = null;
        var samples = 7;
        var parse = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--tool": tool = Path.GetFullPath(args[++i]); break;
                case "--samples": samples = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
                case "--parse": parse = true; break;
                default: file = Path.GetFullPath(args[i]); break;
            }
        }

        if (file is null || !File.Exists(file))
        {
            Console.Error.WriteLine("usage: whole FILE [--samples 7] [--tool PATH] [--parse]");
            return 2;
        }

        var work = Path.Combine(Path.GetTempPath(), "goheapdump-whole");
        Directory.CreateDirectory(work);
        var yardstick = SharedBench.Build(SharedBench.Source("yardstick"), Path.Combine(work, "yardstick"));
        tool ??= PublishTool(RepositoryRoot.Path, Path.Combine(work, "tool"));
        var bytes = new FileInfo(file).Length;
        Log($"{file}: {bytes:N0} bytes; {Environment.ProcessorCount} CPUs; load {Load()}; tool {tool}");
        var whole = WholeProcesses(yardstick, tool, file, parse).ToList();
        var runs = TakeTurns(whole, file, samples);

        double Median(List<Timing> r) => r.Select(t => t.Seconds).Order().ElementAt(r.Count / 2);
        var yardstickMedian = Median(runs[0]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"command",-50} {"median s",9} {"min–max s",13} {"MB/s",7} {"peak MB",8} {"× mmap",7}"));
        for (var i = 0; i < whole.Count; i++)
        {
            var median = Median(runs[i]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{whole[i].Pass.Replace(Whole, "", StringComparison.Ordinal),-50} {median,9:F3} {runs[i].Min(r => r.Seconds),6:F2}–{runs[i].Max(r => r.Seconds),-6:F2} {bytes / Mb / median,7:F0} {runs[i].Max(r => r.PeakKb) / 1024.0,8:F1} {yardstickMedian / median,7:F2}"));
        }

        Log($"load at the end {Load()}; medians of {samples} runs taken in turns");
        return runs.Any(r => r.Any(t => t.ExitCode != 0)) ? 1 : 0;
    }

    /// <summary>
    /// Runs the commands <paramref name="samples"/> times, taking turns so that a burst of other work on the machine hits
    /// them alike, each after <paramref name="dump"/> was read once untimed; the timings per command, in its order.
    /// </summary>
    private static List<List<Timing>> TakeTurns(List<(string Pass, string Command)> whole, string dump, int samples)
    {
        var runs = whole.Select(_ => new List<Timing>()).ToList();
        for (var round = 0; round < samples; round++)
        {
            for (var i = 0; i < whole.Count; i++)
            {
                Warm(dump);
                runs[i].Add(Timed(["sh", "-c", whole[i].Command]));
            }
        }

        return runs;
    }

    /// <summary>
    /// Reads <paramref name="path"/> once, untimed, so that the command timed next finds it in the page cache. Without
    /// it whole-process times were bimodal (0.84 s or 1.25 s for the same validation): the machines here run DAMON with
    /// a pageout scheme, which evicts a file's pages between runs, and whoever ran after that read from disk.
    /// </summary>
    private static void Warm(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        while (stream.Read(buffer) > 0)
        {
        }
    }

    /// <summary>Prefix of the whole-process passes; ratios compare them with <see cref="WholeYardstick"/>.</summary>
    private const string Whole = "whole process: ";
    private const string WholeYardstick = Whole + "Go yardstick -mode mmap";

    private static IEnumerable<(string Pass, string Command)> WholeProcesses(string yardstick, string tool, string dump, bool parse)
    {
        var (y, t, d) = (Quote(yardstick), Quote(tool), Quote(dump));
        yield return (WholeYardstick, $"{y} -mode mmap -iters 1 -q {d} >/dev/null");
        yield return (Whole + "goheapdump validate FILE", $"{t} validate {d} >/dev/null");
        yield return (Whole + "goheapdump validate - (pipe)", $"cat {d} | {t} validate - >/dev/null");
        yield return (Whole + "Go yardstick -mode stream on a pipe", $"cat {d} | {y} -mode stream -iters 1 -q /dev/stdin >/dev/null");
        if (parse)
        {
            yield return (Whole + "goheapdump parse FILE (Kaitai, JSONL to /dev/null)", $"{t} parse {d} >/dev/null");
            yield return (Whole + "goheapdump parse --parser fast FILE", $"{t} parse --parser fast {d} >/dev/null");
        }
    }

    private static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>The tool as the linux-x64 package ships it: a Native AOT publish of the CLI.</summary>
    private static string PublishTool(string root, string output)
    {
        Log($"publishing goheapdump (Native AOT, linux-x64) to {output}");
        var run = Timed(["dotnet", "publish", Path.Combine(root, "src", "GoHeapDump.Cli"), "-c", "Release", "-r", "linux-x64", "-o", output, "-v", "q"]);
        var path = Path.Combine(output, "goheapdump");
        return run.ExitCode == 0 && File.Exists(path) ? path : throw new InvalidOperationException($"dotnet publish failed: {run.Output}");
    }

    /// <summary>
    /// The yardstick figure a pass is compared with: for a whole process, the yardstick's mmap mode as a whole process;
    /// otherwise the fastest of its modes' in-process figures on that file (by wall or by CPU time).
    /// </summary>
    private static Measurement? Yardstick(List<Measurement> results, Measurement r, bool cpu)
    {
        if (r.Pass.StartsWith("reference writer", StringComparison.Ordinal) || r.Pass.StartsWith("Go yardstick", StringComparison.Ordinal) || r.Pass == WholeYardstick)
        {
            return null;
        }

        var same = results.Where(y => y.Source == r.Source && y.Bytes == r.Bytes);
        return r.Pass.StartsWith(Whole, StringComparison.Ordinal)
            ? (cpu ? null : same.FirstOrDefault(y => y.Pass == WholeYardstick))
            : same.Where(y => y.Pass.StartsWith("Go yardstick", StringComparison.Ordinal)).MinBy(y => cpu ? y.CpuSeconds : y.Seconds);
    }

    /// <summary>10 MB, then ×4 while under the maximum, then the maximum itself.</summary>
    private static IEnumerable<double> Sizes(double maxMb)
    {
        var size = 10.0;
        for (; size < maxMb * 0.9; size *= 4)
        {
            yield return size;
        }

        yield return maxMb;
    }

    private static void WriteMarkdown(string path, List<Measurement> results, double maxGb, double gogenMaxGb, double kaitaiMaxMb, int samples)
    {
        var md = new StringBuilder();
        md.AppendLine("# Scaling: time and peak memory from 10 MB to multi-GB dumps");
        md.AppendLine();
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Produced by `dotnet run -c Release --project tests/GoHeapDump.Benchmarks -- scaling --max-gb {maxGb} --gogen-max-gb {gogenMaxGb} --kaitai-max-mb {kaitaiMaxMb} --samples {samples}` on {DateTime.UtcNow:yyyy-MM-dd} ({Environment.ProcessorCount} CPUs shared with other work; load average at the end {Load()})."));
        md.AppendLine();
        md.AppendLine("One fresh process per pass and size. Time is the pass itself, measured inside the process: the Go yardstick's own figure");
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"(the median of {samples} passes); for .NET the library calls the `goheapdump validate` and `parse` commands make, run 1 + {samples} times in the process:"));
        md.AppendLine("the median of the last ones is reported, the first (cold: JIT) in its own column. Wall clock and the process's CPU time (the steadier");
        md.AppendLine("figure on a shared machine; .NET's includes its background JIT and GC threads). Peak: the process's maximum");
        md.AppendLine("resident set (VmHWM; GNU time for the yardstick; mmap's counts the file pages it touched), runtime included.");
        md.AppendLine("Whole-process rows: the shipped tool (Native AOT) and the yardstick run as a user runs them, timed from start to exit (peak by GNU time),");
        md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"start-up included (no CPU figure), the commands taking turns {samples} times, each after the file was read once untimed (the machine's DAMON pageout evicts it between runs): the median wall time and the largest peak. The"));
        md.AppendLine("yardstick's stream mode reading the same pipe is the figure to set `validate -` against. Ratios: the yardstick's time over this pass's (≥ 1: faster than the yardstick),");
        md.AppendLine("against the yardstick's *fastest* mode on the same file: for in-process passes the fastest of its in-process");
        md.AppendLine("figures (readall, mmap, stream; by wall or by CPU time), for whole processes its mmap mode as a whole process.");
        md.AppendLine();
        md.AppendLine("## Summary");
        md.AppendLine();
        foreach (var source in results.Select(r => r.Source).Distinct())
        {
            var mine = results.Where(r => r.Source == source).ToList();
            var largest = mine.Max(r => r.Bytes);
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"**{source}**, largest dump {largest / Mb:F0} MB:"));
            md.AppendLine();
            foreach (var pass in mine.Select(r => r.Pass).Distinct())
            {
                var runs = mine.Where(r => r.Pass == pass).OrderBy(r => r.Bytes).ToList();
                var big = runs[^1];
                var yard = Yardstick(results, big, cpu: false);
                var yardCpu = Yardstick(results, big, cpu: true);
                var steady = runs.Where(r => r.Bytes >= 100 * Mb && !double.IsNaN(r.CpuSeconds)).Select(r => r.Bytes / Mb / r.CpuSeconds).ToList();
                var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
                    $"- {pass}: at {big.Bytes / Mb:F0} MB {big.Bytes / Mb / big.Seconds:F0} MB/s wall, peak {big.PeakKb / 1024.0:F0} MB"));
                if (yard is not null)
                {
                    line.Append(string.Create(CultureInfo.InvariantCulture, $", {yard.Seconds / big.Seconds:F2}× the fastest yardstick ({yard.Pass.Replace(Whole, "", StringComparison.Ordinal)}) by wall time"));
                }

                if (yardCpu is not null)
                {
                    line.Append(string.Create(CultureInfo.InvariantCulture, $", {yardCpu.CpuSeconds / big.CpuSeconds:F2}× by CPU time"));
                }

                if (steady.Count >= 2)
                {
                    line.Append(string.Create(CultureInfo.InvariantCulture, $"; from 100 MB up, {steady.Min():F0}–{steady.Max():F0} MB per CPU-second"));
                }

                if (big.Note.Contains(" runs", StringComparison.Ordinal))
                {
                    line.Append(" (").Append(big.Note).Append(')');
                }

                md.AppendLine(line.ToString());
            }

            md.AppendLine();
        }

        md.AppendLine("![throughput](scaling-throughput.png)");
        md.AppendLine();
        md.AppendLine("![peak memory](scaling-memory.png)");
        md.AppendLine();
        md.AppendLine("| dump | MB | objects | pass | wall s | MB/s | cpu s | cold wall s | peak MB | vs fastest yardstick (wall) | (cpu) |");
        md.AppendLine("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var yard = Yardstick(results, r, cpu: false);
            var yardCpu = Yardstick(results, r, cpu: true);
            var ratio = yard is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{yard.Seconds / r.Seconds:F2}");
            var cpuRatio = yardCpu is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{yardCpu.CpuSeconds / r.CpuSeconds:F2}");
            var cpuText = double.IsNaN(r.CpuSeconds) ? "" : r.CpuSeconds.ToString("F3", CultureInfo.InvariantCulture);
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Source} | {r.Bytes / Mb:F0} | {r.Objects:N0} | {r.Pass} | {r.Seconds:F3} | {r.Bytes / Mb / r.Seconds:F0} | {cpuText} | {(double.IsNaN(r.ColdSeconds) ? "" : r.ColdSeconds.ToString("F3", CultureInfo.InvariantCulture))} | {r.PeakKb / 1024.0:F0} | {ratio} | {cpuRatio} |"));
        }

        File.WriteAllText(path, md.ToString());
    }

    private readonly record struct ChildResult(double Seconds, double CpuSeconds, long PeakKb, string Note = "", double ColdSeconds = double.NaN);

    /// <summary>One pass in a fresh process of this program (<see cref="RunChild"/>).</summary>
    private static ChildResult Child(string self, string pass, string file, long objects, int warmRuns = 1)
    {
        var run = Timed(["dotnet", self, "scaling-child", pass, file, objects.ToString(CultureInfo.InvariantCulture), warmRuns.ToString(CultureInfo.InvariantCulture)]);
        var fields = run.Output.Trim().Split(' ', 5);
        return new ChildResult(
            double.Parse(fields[0], CultureInfo.InvariantCulture) / 1000,
            double.Parse(fields[1], CultureInfo.InvariantCulture) / 1000,
            long.Parse(fields[2], CultureInfo.InvariantCulture),
            fields.Length > 4 ? fields[4] : "",
            double.Parse(fields[3], CultureInfo.InvariantCulture) / 1000);
    }

    /// <summary>
    /// <c>scaling-child PASS FILE OBJECTS [WARM]</c>: runs one pass and prints wall ms, CPU ms (of the median of WARM runs after a
    /// cold one), VmHWM kB and the cold run's wall ms. Passes: read (fast reader,
    /// record views), validate (<see cref="HeapDumpValidator.ValidateFile"/>, as <c>goheapdump validate</c>), parse (Kaitai
    /// parser records rendered as canonical JSONL to a null stream, as <c>goheapdump parse</c>), generate (state builder
    /// and reference writer to FILE, as <c>goheapdump generate --seed 1</c>).
    /// </summary>
    public static int RunChild(string[] args)
    {
        var (pass, file, objects) = (args[1], args[2], long.Parse(args[3], CultureInfo.InvariantCulture));
        var warm = args.Length > 4 ? Math.Max(1, int.Parse(args[4], CultureInfo.InvariantCulture)) : 1;
        var note = "";
        var process = Process.GetCurrentProcess();
        var coldMs = 0.0;
        var timings = new List<(double WallMs, double CpuMs)>();

        // Passes over an existing file run 1 + WARM times: the first (cold: JIT, page cache) is reported beside the
        // median of the others, so that one burst of other work on the machine does not make a row.
        var runs = pass == "generate" ? 1 : 1 + warm;
        for (var i = 0; i < runs; i++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            note = Pass(pass, file, objects);
            var wall = clock.Elapsed.TotalMilliseconds;
            process.Refresh();
            if (i == 0)
            {
                coldMs = wall;
            }

            if (i > 0 || runs == 1)
            {
                timings.Add((wall, (process.TotalProcessorTime - cpu).TotalMilliseconds));
            }
        }

        var (wallMs, cpuMs) = timings.OrderBy(t => t.WallMs).ElementAt(timings.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{wallMs:F1} {cpuMs:F1} {PeakKb()} {coldMs:F1} {note}"));
        return 0;
    }

    private static string Pass(string pass, string file, long objects)
    {
        switch (pass)
        {
            case "read":
                using (var reader = HeapDumpReader.Open(file))
                {
                    while (reader.MoveNext())
                    {
                    }
                }

                return "";
            case "validate":
                var report = HeapDumpValidator.ValidateFile(file);
                return string.Create(CultureInfo.InvariantCulture,
                    $"{(report.Conforms ? "conforms" : $"{report.ErrorCount} errors")}; {report.ObjectCount} objects in {report.ObjectRunCount} runs");
            case "parse":
                using (var reader = GoHeapDump.Kaitai.KaitaiHeapDumpReader.Open(file))
                using (var jsonl = new CanonicalJsonlWriter(Stream.Null, leaveOpen: true))
                {
                    jsonl.WriteHeader(reader.Version);
                    while (reader.Read() is { } record)
                    {
                        jsonl.WriteRecord(record);
                    }
                }

                return "";
            case "generate":
                // As `goheapdump generate` runs it: the spans filled while the writer walks them.
                var (state, spans) = GoHeapDump.Reference.StateBuilder.Stream(1, checked((int)objects), "amd64", GoHeapDump.Reference.StateBuilder.Newest);
                GoHeapDump.Reference.HeapDumpWriter.WriteFile(state, spans, file);
                return "";
            default:
                throw new ArgumentException($"unknown pass {pass}");
        }
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

    private readonly record struct Timing(double Seconds, long PeakKb, int ExitCode, string Output);

    /// <summary>Runs a command under GNU time (for its peak RSS): wall seconds, peak RSS, exit code, standard output.</summary>
    /// <remarks>The wall time is this process's clock from start to exit, GNU time's own start included (about a
    /// millisecond): GNU time's %e has 10 ms steps, which put an 11 MB dump's 0.00 s at 10,933 MB/s.</remarks>
    private static Timing Timed(string[] command)
    {
        var report = Path.GetTempFileName();
        var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-f", "%M", "-o", report, .. command])
        {
            start.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var seconds = clock.Elapsed.TotalSeconds;
        var peakKb = long.Parse(File.ReadAllLines(report).Last(l => l.Length > 0), CultureInfo.InvariantCulture);
        File.Delete(report);
        if (process.ExitCode is not (0 or 1))
        {
            Log($"  {string.Join(' ', command)}: exit {process.ExitCode}: {errors.Result.Trim()}");
        }

        return new Timing(seconds, peakKb, process.ExitCode, output);
    }

    private static double FreeGb(string path) => new DriveInfo(Path.GetPathRoot(path)!).AvailableFreeSpace / 1e9;

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static void Log(string message) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
