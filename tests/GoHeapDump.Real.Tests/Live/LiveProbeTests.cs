using GoHeapDump.Kaitai;
using GoHeapDump.Real.Tests.Checking;
using GoHeapDump.Real.Tests.Infrastructure;
using GoHeapDump.Real.Tests.Manifests;
using GoHeapDump.Validation;
using Xunit.Abstractions;

namespace GoHeapDump.Real.Tests.Live;

[CollectionDefinition(Name)]
public sealed class LiveRunsDefinition : ICollectionFixture<LiveProbeRuns>
{
    public const string Name = "Live probe runs";
}

/// <summary>
/// Live real producers: the probe programs built and run now, for every Go release in go-releases (Debian's golang-go and
/// the golang-1.NN-go packages, side by side) on gc-amd64 and gc-386 natively and gc-arm (32-bit) and gc-s390x (64-bit
/// big-endian) under qemu-user-static, and with gccgo-12. Every dump they write is checked against its manifest through
/// both parsers, validated under both profiles with the cross-check (no errors), compared with the Go reader, and checked
/// by the Go-side dumpcheck. One case per release × target × probe (<see cref="LiveSelection"/>).
/// </summary>
/// <remarks>
/// Opt-in (<c>GOHEAPDUMP_LIVE=1</c>, or <c>GOHEAPDUMP_CI=1</c>): otherwise every case skips and says so.
/// A missing toolchain, release or emulator skips the cases with the reason (the Debian package to install); in CI
/// (<c>GOHEAPDUMP_CI=1</c>) it fails them, because <c>.ci/run</c> installs them. A host that cannot execute a target's
/// binaries at all (gc-386 on a kernel without 32-bit x86 support, as in the sandbox this suite was written in) skips
/// in CI too: no package fixes the kernel, and qemu-i386 does not run Go's 386 runtime (fixtures/producers/go/README.md).
/// </remarks>
[Collection(LiveRunsDefinition.Name)]
[Trait("Category", "Live")]
public sealed class LiveProbeTests(LiveProbeRuns runs, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static TheoryData<string, string, string> Cases => LiveSelection.Cases;

    private (TargetRun Run, ProbeRun Probe) Require(string go, string target, string probe)
    {
        Skip.IfNot(Toolchain.LiveEnabled,
            "live runs are opt-in: set GOHEAPDUMP_LIVE=1 to build and run the probes now (CI does, through GOHEAPDUMP_CI=1)");
        var run = runs.Get(go, target);
        Toolchain.Require(run.MissingTools is null, $"live go {go} {target}: {run.MissingTools}");
        Skip.If(run.HostCannotExecute,
            $"live {target}: this host cannot execute {target} binaries (exec format error: the kernel lacks 32-bit x86 support); "
            + "a property of the machine, not a missing toolchain, so it skips in CI too");
        Assert.True(run.Probes.TryGetValue(probe, out var p), $"run-probes wrote no result for go {go} {target} {probe}\n{run.Log}");
        Assert.True(p.Result is "ok" or "check-failed", $"go {go} {target} {probe}: {p.Result}\n{run.Log}");
        output.WriteLine($"{p.Id}: build {p.BuildSeconds} s, run {p.RunSeconds} s, {p.DumpBytes} bytes (run-probes for go {go} {target}: {run.Elapsed.TotalSeconds:F1} s)");
        return (run, p);
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void LiveDump_KaitaiParser_SatisfiesItsManifest(string go, string target, string probe) => CheckManifest(go, target, probe, DumpReaders.Kaitai);

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void LiveDump_FastReader_SatisfiesItsManifest(string go, string target, string probe) => CheckManifest(go, target, probe, DumpReaders.Fast);

    private void CheckManifest(string go, string target, string probe, string parser)
    {
        var (run, p) = Require(go, target, probe);
        var manifest = ProbeManifest.Load(run.ManifestPath(p));
        using var stream = File.OpenRead(run.DumpPath(p));
        using var reader = DumpReaders.Open(parser, stream);

        var report = ManifestChecker.Check(manifest, reader, p.Id);

        output.WriteLine(report.Describe());
        RunSummary.Record("live", p.Id, "manifest/" + parser, report.Results.Count, report.FailedCount);
        Assert.True(report.AllPassed, report.Describe());
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void LiveDump_Validator_DefaultProfile_ReportsNoErrors(string go, string target, string probe) => Validate(go, target, probe, "default");

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void LiveDump_Validator_StrictProfile_ReportsNoErrors(string go, string target, string probe) => Validate(go, target, probe, "strict");

    private void Validate(string go, string target, string probe, string profile)
    {
        var (run, p) = Require(go, target, probe);

        var report = RealValidation.Validate(profile, run.DumpPath(p), () => File.OpenRead(run.DumpPath(p)));

        var description = RealValidation.Describe(report);
        output.WriteLine(description);
        RunSummary.Record("live", p.Id, "validate/" + profile, 1, RealValidation.Clean(report) ? 0 : 1);
        Assert.True(RealValidation.Clean(report), description);
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void LiveDump_GoheapdumpParse_AgreesWithGoReaderOnEveryLine(string go, string target, string probe)
    {
        var (run, p) = Require(go, target, probe);
        Readers.RequireDumpJsonl();

        var (comparison, goExit, cliExit, stderr) = JsonlAgreement.CompareReaders(run.DumpPath(p), Timeout, cliAsProcess: true);

        output.WriteLine($"{p.Id}: {comparison}");
        RunSummary.Record("live", p.Id, "agreement", comparison.Lines, comparison.Differences);
        Assert.True(comparison.Agree, $"{p.Id}: {comparison}");
        Assert.True(goExit == 0 && cliExit == 0, $"exit codes: dumpjsonl {goExit}, goheapdump parse {cliExit}\n{stderr}");
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void LiveDump_GoSideDumpcheck_Passes(string go, string target, string probe)
    {
        // dumpcheck (Go, written independently of this suite) checked the same dump inside run-probes.
        var (run, p) = Require(go, target, probe);
        var facts = Path.Combine(run.OutputDirectory, p.Directory, p.Probe + ".facts.txt");

        RunSummary.Record("live", p.Id, "dumpcheck", 1, p.Result == "ok" ? 0 : 1);
        Assert.True(p.Result == "ok", $"{p.Id}: dumpcheck {p.Result}\n{(File.Exists(facts) ? File.ReadAllText(facts) : run.Log)}");
    }
}
