using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using GoHeapDump.Real.Tests.Infrastructure;

namespace GoHeapDump.Real.Tests.Live;

/// <summary>One probe's outcome in a live run: a line of run-probes' timings.tsv.</summary>
/// <param name="Result"><c>ok</c>, <c>check-failed</c> (dumpcheck, the Go-side check, failed), <c>run-failed</c>,
/// <c>build-failed</c> or <c>cannot-exec</c>.</param>
internal sealed record ProbeRun(string Target, string Go, string Directory, string Probe, string Result, string BuildSeconds, string RunSeconds, string DumpBytes)
{
    public string Id => $"{Directory}/{Probe}";
}

/// <summary>What running the probes for one Go release and target gave.</summary>
/// <param name="Go">The release asked for (<c>1.22</c>), or <see cref="LiveSelection.GccgoRelease"/> for gccgo.</param>
/// <param name="Target">run-probes target (<c>gc-s390x</c>).</param>
/// <param name="MissingTools">What run-probes says is missing (with the Debian package), or null.</param>
/// <param name="HostCannotExecute">The binaries built but this host cannot execute them (a kernel without 32-bit
/// x86 support refuses gc-386 binaries): a property of the machine, not a missing toolchain.</param>
/// <param name="OutputDirectory">run-probes' -o directory.</param>
/// <param name="Probes">Per probe, its timings.tsv line.</param>
/// <param name="Log">run-probes' output.</param>
/// <param name="Elapsed">Wall time of the run (build, run, dumpcheck).</param>
internal sealed record TargetRun(string Go, string Target, string? MissingTools, bool HostCannotExecute, string OutputDirectory,
    IReadOnlyDictionary<string, ProbeRun> Probes, string Log, TimeSpan Elapsed)
{
    public string DumpPath(ProbeRun p) => Path.Combine(OutputDirectory, p.Directory, p.Probe + ".dump");

    public string ManifestPath(ProbeRun p) => Path.Combine(OutputDirectory, p.Directory, p.Probe + ".manifest.json");
}

/// <summary>
/// The live runs: builds and runs the probe programs through <c>fixtures/producers/go/run-probes</c>, once per Go release
/// and target for the whole test run (the first test of a pair starts it, the others reuse it). Output goes to a
/// temporary directory removed at the end, or to <c>GOHEAPDUMP_LIVE_OUT</c> when set (kept, for looking at the dumps).
/// </summary>
public sealed class LiveProbeRuns : IDisposable
{
    private static readonly TimeSpan TargetTimeout = TimeSpan.FromMinutes(20);

    private readonly ConcurrentDictionary<(string Go, string Target), Lazy<TargetRun>> _runs = new();
    private readonly Lazy<string> _list = new(ListTools);
    private readonly bool _keep;

    public LiveProbeRuns()
    {
        var configured = Environment.GetEnvironmentVariable("GOHEAPDUMP_LIVE_OUT");
        _keep = !string.IsNullOrEmpty(configured);
        OutputDirectory = _keep ? Directory.CreateDirectory(configured!).FullName : Directory.CreateTempSubdirectory("goheapdump-live-").FullName;
    }

    /// <summary>Where run-probes writes.</summary>
    public string OutputDirectory { get; }

    internal TargetRun Get(string go, string target) =>
        _runs.GetOrAdd((go, target), k => new Lazy<TargetRun>(() => Run(k.Go, k.Target, LiveSelection.ProbesFor(k.Target)))).Value;

    /// <summary>The runs done so far (for the summary).</summary>
    internal IEnumerable<TargetRun> Completed => _runs.Values.Where(l => l.IsValueCreated).Select(l => l.Value);

    private static string RunProbes => Path.Combine(RepoPaths.GoProducers, "run-probes");

    private TargetRun Run(string go, string target, IReadOnlyList<string> probes)
    {
        var missing = MissingTools(go, target);
        if (missing is not null)
        {
            return new TargetRun(go, target, missing, false, OutputDirectory, new Dictionary<string, ProbeRun>(), "", TimeSpan.Zero);
        }

        List<string> args = [RunProbes, "-o", OutputDirectory, "-t", "600", "-p", string.Join(',', probes)];
        if (target != "gccgo")
        {
            args.AddRange(["--go", go]);
        }

        args.Add(target);
        var clock = Stopwatch.StartNew();
        var (exit, stdout, stderr) = ChildProcess.Run("bash", args, TargetTimeout, RepoPaths.GoProducers);
        clock.Stop();
        var log = $"run-probes {string.Join(' ', args.Skip(1))}: exit {exit} after {clock.Elapsed.TotalSeconds:F1} s\n{stdout}{stderr}";
        if (exit == 3)
        {
            // Checked up front by run-probes too: a tool vanished between --list and the run.
            return new TargetRun(go, target, stderr.Trim(), false, OutputDirectory, new Dictionary<string, ProbeRun>(), log, clock.Elapsed);
        }

        var results = ReadTimings(go, target);
        var cannotExec = results.Count > 0 && results.Values.All(p => p.Result == "cannot-exec");
        return new TargetRun(go, target, null, cannotExec, OutputDirectory, results, log, clock.Elapsed);
    }

    /// <summary>What <c>run-probes --list</c> reports missing for the release and target, or null when all is installed.</summary>
    private string? MissingTools(string go, string target)
    {
        if (Toolchain.FindOnPath("bash") is null)
        {
            return "bash is not on PATH";
        }

        var list = _list.Value;
        if (list.StartsWith("run-probes --list failed", StringComparison.Ordinal))
        {
            return list;
        }

        // Lines: "<target> runs <runner> [MISSING: …]" and "go<release> <path> (<version>)" or "go<release> MISSING: …".
        string? Missing(string first, string what)
        {
            foreach (var line in list.Split('\n'))
            {
                if (line.Split(' ', 2)[0] != first)
                {
                    continue;
                }

                var at = line.IndexOf("MISSING: ", StringComparison.Ordinal);
                return at < 0 ? null : $"{what} needs {line[(at + "MISSING: ".Length)..].Trim()}";
            }

            return $"run-probes --list does not know {what}";
        }

        var missing = Missing(target, target);
        if (missing is null && target != "gccgo")
        {
            missing = Missing("go" + go, "go " + go);
        }

        return missing;
    }

    private static string ListTools()
    {
        var (exit, stdout, stderr) = ChildProcess.Run("bash", [RunProbes, "--list"], TimeSpan.FromMinutes(1), RepoPaths.GoProducers);
        return exit == 0 ? stdout : $"run-probes --list failed ({exit}): {stderr}";
    }

    private Dictionary<string, ProbeRun> ReadTimings(string go, string target)
    {
        var results = new Dictionary<string, ProbeRun>(StringComparer.Ordinal);
        var path = Path.Combine(OutputDirectory, "timings.tsv");
        if (!File.Exists(path))
        {
            return results;
        }

        // target, go, dir, probe, build_s, run_s, dump_bytes, result (later lines win: a rerun of the same pair).
        var label = target == "gccgo" ? "gccgo" : go;
        foreach (var line in File.ReadAllLines(path).Skip(1))
        {
            var f = line.Split('\t');
            if (f.Length == 8 && f[0] == target && f[1] == label)
            {
                results[f[3]] = new ProbeRun(f[0], f[1], f[2], f[3], f[7], f[4], f[5], f[6]);
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

    /// <summary>Adds the live run's timings to the CI summary file (GOHEAPDUMP_REAL_SUMMARY), one line per release and target.</summary>
    private void WriteTimingSummary()
    {
        foreach (var run in Completed)
        {
            var name = run.Probes.Values.FirstOrDefault()?.Directory ?? $"{run.Target} go{run.Go}";
            RunSummary.Record("live-target", name,
                run.MissingTools is not null ? "missing" : run.HostCannotExecute ? "cannot-exec" : string.Create(CultureInfo.InvariantCulture, $"run-probes {run.Elapsed.TotalSeconds:F1}s"),
                run.Probes.Count, run.Probes.Values.Count(p => p.Result != "ok"));
        }
    }
}

/// <summary>
/// Which Go releases, targets and probes the live category runs: the version matrix.
/// <list type="bullet">
/// <item>Releases: every release in <c>fixtures/producers/go/go-releases</c> (what install-toolchains installs);
/// <c>GOHEAPDUMP_LIVE_GO</c> (<c>1.22,1.27</c>) replaces the list.</item>
/// <item>Targets, by default: gc-amd64 natively with every probe, gc-386 natively where the kernel runs it, gc-arm (32-bit)
/// and gc-s390x (64-bit big-endian) under qemu-user with basic and empty, for every release; and gccgo (one release of
/// its own) with basic and empty. <c>GOHEAPDUMP_LIVE_TARGETS</c> (space- or comma-separated) replaces the target list.</item>
/// <item><c>GOHEAPDUMP_LIVE_FULL=1</c>: the full matrix, every probe on every target run-probes has a runner for on this
/// host, for every release. <c>GOHEAPDUMP_LIVE_PROBES=all</c>: every probe on the selected targets.</item>
/// </list>
/// A cold cross build compiles the target's standard library for each release (15-25 s on 2 shared cores), which is
/// what each further release × target costs.
/// </summary>
internal static class LiveSelection
{
    /// <summary>The release label of gccgo cases: gccgo has one release of its own, whatever <c>--go</c> says.</summary>
    public const string GccgoRelease = "gccgo";

    public static readonly string[] AllProbes = ["basic", "empty", "many-goroutines", "big-objects", "many-itabs"];

    private static readonly string[] DefaultTargets = ["gc-amd64", "gc-386", "gc-arm", "gc-s390x", "gccgo"];

    private static readonly string[] FullTargets =
        ["gc-amd64", "gc-386", "gc-arm", "gc-arm64", "gc-s390x", "gc-ppc64", "gc-ppc64le", "gc-mips", "gc-mipsle", "gc-mips64", "gc-mips64le", "gc-riscv64", "gccgo"];

    public static bool Full => Environment.GetEnvironmentVariable("GOHEAPDUMP_LIVE_FULL") == "1";

    /// <summary>The releases listed in go-releases (in their order), or <c>GOHEAPDUMP_LIVE_GO</c>.</summary>
    public static IReadOnlyList<string> Releases =>
        Environment.GetEnvironmentVariable("GOHEAPDUMP_LIVE_GO") is { Length: > 0 } g && g != "all"
            ? g.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)
            : GoReleases.Listed;

    public static IReadOnlyList<string> Targets =>
        Environment.GetEnvironmentVariable("GOHEAPDUMP_LIVE_TARGETS") is { Length: > 0 } t
            ? t.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)
            : Full ? FullTargets : DefaultTargets;

    public static IReadOnlyList<string> ProbesFor(string target) =>
        Full || Environment.GetEnvironmentVariable("GOHEAPDUMP_LIVE_PROBES") == "all" || target == "gc-amd64"
            ? AllProbes
            : ["basic", "empty"];

    /// <summary>Theory data: every (release, target, probe), release-major; gccgo once, with <see cref="GccgoRelease"/>.</summary>
    public static TheoryData<string, string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var target in Targets.Where(t => t == "gccgo"))
            {
                foreach (var probe in ProbesFor(target))
                {
                    data.Add(GccgoRelease, target, probe);
                }
            }

            foreach (var go in Releases)
            {
                foreach (var target in Targets.Where(t => t != "gccgo"))
                {
                    foreach (var probe in ProbesFor(target))
                    {
                        data.Add(go, target, probe);
                    }
                }
            }

            return data;
        }
    }
}

/// <summary>fixtures/producers/go/go-releases: the Go releases the suite runs the probes on.</summary>
internal static class GoReleases
{
    private static readonly Lazy<IReadOnlyList<string>> ListedValue = new(Read);

    /// <summary>The releases, in file order (<c>1.19</c>, <c>1.21</c>, …).</summary>
    public static IReadOnlyList<string> Listed => ListedValue.Value;

    private static List<string> Read() =>
        File.ReadAllLines(Path.Combine(RepoPaths.GoProducers, "go-releases"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 3)
            .Select(f => f[0])
            .ToList();
}
