using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using GoHeapDump.Real.Tests.Infrastructure;

namespace GoHeapDump.Real.Tests.Live;

/// <summary>One probe's outcome in a live run: a line of run-probes' timings.tsv.</summary>
/// <param name="Result"><c>ok</c>, <c>check-failed</c> (dumpcheck, the Go-side check, failed), <c>run-failed</c>,
/// <c>build-failed</c> or <c>cannot-exec</c>.</param>
internal sealed record ProbeRun(string Target, string Directory, string Probe, string Result, string BuildSeconds, string RunSeconds, string DumpBytes)
{
    public string Id => $"{Directory}/{Probe}";
}

/// <summary>What running the probes for one target gave.</summary>
/// <param name="Target">run-probes target (<c>gc-s390x</c>).</param>
/// <param name="MissingTools">What run-probes says is missing (with the Debian package), or null.</param>
/// <param name="HostCannotExecute">The binaries built but this host cannot execute them (a kernel without 32-bit
/// x86 support refuses gc-386 binaries): a property of the machine, not a missing toolchain.</param>
/// <param name="OutputDirectory">run-probes' -o directory.</param>
/// <param name="Probes">Per probe, its timings.tsv line.</param>
/// <param name="Log">run-probes' output.</param>
/// <param name="Elapsed">Wall time of the run (build, run, dumpcheck).</param>
internal sealed record TargetRun(string Target, string? MissingTools, bool HostCannotExecute, string OutputDirectory,
    IReadOnlyDictionary<string, ProbeRun> Probes, string Log, TimeSpan Elapsed)
{
    public string DumpPath(ProbeRun p) => Path.Combine(OutputDirectory, p.Directory, p.Probe + ".dump");

    public string ManifestPath(ProbeRun p) => Path.Combine(OutputDirectory, p.Directory, p.Probe + ".manifest.json");
}

/// <summary>
/// The live runs: builds and runs the probe programs through <c>fixtures/producers/go/run-probes</c>, once per target
/// for the whole test run (the first test of a target starts it, the others reuse it). Output goes to a temporary
/// directory removed at the end, or to <c>GOHEAPDUMP_LIVE_OUT</c> when set (kept, for looking at the dumps).
/// </summary>
public sealed class LiveProbeRuns : IDisposable
{
    private static readonly TimeSpan TargetTimeout = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, Lazy<TargetRun>> _runs = new(StringComparer.Ordinal);
    private readonly bool _keep;

    public LiveProbeRuns()
    {
        var configured = Environment.GetEnvironmentVariable("GOHEAPDUMP_LIVE_OUT");
        _keep = !string.IsNullOrEmpty(configured);
        OutputDirectory = _keep ? Directory.CreateDirectory(configured!).FullName : Directory.CreateTempSubdirectory("goheapdump-live-").FullName;
    }

    /// <summary>Where run-probes writes.</summary>
    public string OutputDirectory { get; }

    internal TargetRun Get(string target) =>
        _runs.GetOrAdd(target, t => new Lazy<TargetRun>(() => Run(t, LiveSelection.ProbesFor(t)))).Value;

    /// <summary>The runs done so far (for the summary).</summary>
    internal IEnumerable<TargetRun> Completed => _runs.Values.Where(l => l.IsValueCreated).Select(l => l.Value);

    private static string RunProbes => Path.Combine(RepoPaths.GoProducers, "run-probes");

    private TargetRun Run(string target, IReadOnlyList<string> probes)
    {
        var missing = MissingTools(target);
        if (missing is not null)
        {
            return new TargetRun(target, missing, false, OutputDirectory, new Dictionary<string, ProbeRun>(), "", TimeSpan.Zero);
        }

        var clock = Stopwatch.StartNew();
        var (exit, stdout, stderr) = ChildProcess.Run("bash",
            [RunProbes, "-o", OutputDirectory, "-t", "300", "-p", string.Join(',', probes), target], TargetTimeout, RepoPaths.GoProducers);
        clock.Stop();
        var log = $"run-probes {target} -p {string.Join(',', probes)}: exit {exit} after {clock.Elapsed.TotalSeconds:F1} s\n{stdout}{stderr}";
        if (exit == 3)
        {
            // Checked up front by run-probes too: a tool vanished between --list and the run.
            return new TargetRun(target, stderr.Trim(), false, OutputDirectory, new Dictionary<string, ProbeRun>(), log, clock.Elapsed);
        }

        var results = ReadTimings(target);
        var cannotExec = results.Count > 0 && results.Values.All(p => p.Result == "cannot-exec");
        return new TargetRun(target, null, cannotExec, OutputDirectory, results, log, clock.Elapsed);
    }

    /// <summary>What <c>run-probes --list</c> reports missing for the target, or null when all is installed.</summary>
    private static string? MissingTools(string target)
    {
        if (Toolchain.FindOnPath("bash") is null)
        {
            return "bash is not on PATH";
        }

        var (exit, stdout, stderr) = ChildProcess.Run("bash", [RunProbes, "--list"], TimeSpan.FromMinutes(1), RepoPaths.GoProducers);
        if (exit != 0)
        {
            return $"run-probes --list failed ({exit}): {stderr}";
        }

        foreach (var line in stdout.Split('\n'))
        {
            var fields = line.Split(' ', 2);
            if (fields[0] != target)
            {
                continue;
            }

            var at = line.IndexOf("MISSING: ", StringComparison.Ordinal);
            return at < 0 ? null : $"{target} needs {line[(at + "MISSING: ".Length)..].Trim()}";
        }

        return $"run-probes --list does not know target {target}";
    }

    private Dictionary<string, ProbeRun> ReadTimings(string target)
    {
        var results = new Dictionary<string, ProbeRun>(StringComparer.Ordinal);
        var path = Path.Combine(OutputDirectory, "timings.tsv");
        if (!File.Exists(path))
        {
            return results;
        }

        // target, dir, probe, build_s, run_s, dump_bytes, result (later lines win: a rerun of the same target).
        foreach (var line in File.ReadAllLines(path).Skip(1))
        {
            var f = line.Split('\t');
            if (f.Length == 7 && f[0] == target)
            {
                results[f[2]] = new ProbeRun(f[0], f[1], f[2], f[6], f[3], f[4], f[5]);
            }
        }

        return results;
    }

    public void Dispose()
    {
        WriteTimingSummary();
        if (!_keep)
        {
            try
            {
                Directory.Delete(OutputDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is not worth failing the run for.
            }
        }
    }

    /// <summary>Adds the live run's timings to the CI summary file (GOHEAPDUMP_REAL_SUMMARY), one line per target.</summary>
    private void WriteTimingSummary()
    {
        foreach (var run in Completed)
        {
            RunSummary.Record("live-target", run.Target,
                run.MissingTools is not null ? "missing" : run.HostCannotExecute ? "cannot-exec" : string.Create(CultureInfo.InvariantCulture, $"run-probes {run.Elapsed.TotalSeconds:F1}s"),
                run.Probes.Count, run.Probes.Values.Count(p => p.Result != "ok"));
        }
    }
}

/// <summary>
/// Which targets and probes the live category runs. Default: basic and empty on every target (each run takes under a
/// second natively, a few seconds under qemu), the three heavy probes on gc-amd64 only, where they run natively in
/// about a second each (checking big-objects, a 70 MB dump, takes about 15 s). <c>GOHEAPDUMP_LIVE_PROBES=all</c> runs every
/// probe on every target; <c>GOHEAPDUMP_LIVE_TARGETS</c> (space- or comma-separated) replaces the target list.
/// </summary>
internal static class LiveSelection
{
    public static readonly string[] AllProbes = ["basic", "empty", "many-goroutines", "big-objects", "many-itabs"];

    // 64-bit little-endian and 32-bit little-endian natively (386 where the kernel runs it), 64-bit big-endian (ppc64)
    // and 32-bit big-endian (mips) under qemu, and gccgo. ppc64 rather than s390x, and no arm: s390x and arm dumps are
    // committed, so the live run adds architectures. A cold cross build compiles the target's standard library (15-25 s
    // on 2 shared cores), which is what each further target costs; GOHEAPDUMP_LIVE_TARGETS adds more.
    private static readonly string[] DefaultTargets = ["gc-amd64", "gc-386", "gc-ppc64", "gc-mips", "gccgo"];

    public static IReadOnlyList<string> Targets =>
        Environment.GetEnvironmentVariable("GOHEAPDUMP_LIVE_TARGETS") is { Length: > 0 } t
            ? t.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)
            : DefaultTargets;

    public static IReadOnlyList<string> ProbesFor(string target) =>
        Environment.GetEnvironmentVariable("GOHEAPDUMP_LIVE_PROBES") == "all" || target == "gc-amd64"
            ? AllProbes
            : ["basic", "empty"];

    /// <summary>Theory data: every (target, probe) pair, target-major.</summary>
    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var target in Targets)
            {
                foreach (var probe in ProbesFor(target))
                {
                    data.Add(target, probe);
                }
            }

            return data;
        }
    }
}
