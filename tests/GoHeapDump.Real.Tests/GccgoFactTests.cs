using GoHeapDump.Real.Tests.Checking;
using GoHeapDump.Real.Tests.Infrastructure;
using GoHeapDump.Validation;

namespace GoHeapDump.Real.Tests;

/// <summary>
/// What gccgo (libgo, gccgo 12.2) writes differently from the gc runtime, one test per difference, on the committed
/// gccgo dumps, each with the gc dump of the same probe as the contrast (spec/FORMAT.md, "What varies between Go
/// versions and producers"). The manifest checker relies on these (<see cref="ProducerProfile.Gccgo"/>); if a gccgo
/// release changes one, the test that names it fails.
/// </summary>
public sealed class GccgoFactTests
{
    private static readonly Lazy<IReadOnlyList<HeapDumpRecord>> GccgoBasicRecords = new(() => RealDumpCatalog.Get("gccgo-12.2.0-linux-amd64/basic").ReadAllRecords());
    private static readonly Lazy<IReadOnlyList<HeapDumpRecord>> GccgoEmptyRecords = new(() => RealDumpCatalog.Get("gccgo-12.2.0-linux-amd64/empty").ReadAllRecords());
    private static readonly Lazy<IReadOnlyList<HeapDumpRecord>> GcBasicRecords = new(() => RealDumpCatalog.Get("gc-go1.19.8-linux-amd64/basic").ReadAllRecords());
    private static readonly Lazy<IReadOnlyList<HeapDumpRecord>> GcEmptyRecords = new(() => RealDumpCatalog.Get("gc-go1.19.8-linux-amd64/empty").ReadAllRecords());

    private static IReadOnlyList<HeapDumpRecord> GccgoBasic => GccgoBasicRecords.Value;
    private static IReadOnlyList<HeapDumpRecord> GccgoEmpty => GccgoEmptyRecords.Value;
    private static IReadOnlyList<HeapDumpRecord> GcBasic => GcBasicRecords.Value;
    private static IReadOnlyList<HeapDumpRecord> GcEmpty => GcEmptyRecords.Value;

    private static int Count(IReadOnlyList<HeapDumpRecord> records, RecordKind kind) => records.Count(r => r.Kind == kind);

    public static TheoryData<RecordKind> KindsGccgoDoesNotWrite => [RecordKind.StackFrame, RecordKind.Type, RecordKind.Itab, RecordKind.Data, RecordKind.Bss];

    [Theory]
    [MemberData(nameof(KindsGccgoDoesNotWrite))]
    public void Gccgo_RecordKindGcWrites_IsAbsent(RecordKind kind)
    {
        // libgo's heap dump has no traceback (frames), no itab walk (types, itabs) and no module roots (data, bss).
        Assert.Equal(0, Count(GccgoBasic, kind));
        Assert.Equal(0, Count(GccgoEmpty, kind));
        Assert.True(Count(GcBasic, kind) > 0, $"gc basic has no {kind.Name()} records");
    }

    [Fact]
    public void Gccgo_OtherRoot_IsAbsentAsInGc()
    {
        Assert.Equal(0, Count(GccgoBasic, RecordKind.OtherRoot));
        Assert.Equal(0, Count(GcBasic, RecordKind.OtherRoot));
    }

    [Fact]
    public void Gccgo_HeaderAndRecordLayouts_AreGc()
    {
        // Same header and record shapes: the Kaitai parser reads both to EOF with one grammar.
        Assert.IsType<EofRecord>(GccgoBasic[^1]);
        Assert.IsType<ParamsRecord>(GccgoBasic[0]);
        Assert.Equal("amd64", GccgoBasic.OfType<ParamsRecord>().Single().Arch?.ToString());
    }

    [Fact]
    public void Gccgo_ParamsVersionInfo_IsUnknown()
    {
        Assert.Equal("unknown", GccgoBasic.OfType<ParamsRecord>().Single().VersionInfo.ToString());
        Assert.Equal("go1.19.8", GcBasic.OfType<ParamsRecord>().Single().VersionInfo.ToString());
    }

    [Fact]
    public void Gccgo_GoroutineSp_IsZeroExceptInASyscall()
    {
        var goroutines = GccgoBasic.OfType<GoroutineRecord>().ToList();

        Assert.All(goroutines.Where(g => g.Status != 3), g => Assert.Equal(0UL, g.Sp));
        var syscall = Assert.Single(goroutines, g => g.Status == 3);
        Assert.NotEqual(0UL, syscall.Sp);
        Assert.All(GcBasic.OfType<GoroutineRecord>(), g => Assert.NotEqual(0UL, g.Sp));
    }

    [Fact]
    public void Gccgo_GoroutineCtxt_IsZero()
    {
        Assert.All(GccgoBasic.OfType<GoroutineRecord>(), g => Assert.Equal(0UL, g.Ctxt));
    }

    [Fact]
    public void Gccgo_DeferRecords_HaveZeroSpPcAndEntryPc()
    {
        var defers = GccgoBasic.OfType<DeferRecord>().ToList();

        Assert.NotEmpty(defers);
        Assert.All(defers, d => Assert.Equal((0UL, 0UL, 0UL), (d.Sp, d.Pc, d.EntryPc)));
        // gc fills them in for its (non-open-coded) defers.
        Assert.Contains(GcBasic.OfType<DeferRecord>(), d => d.Sp != 0 && d.Pc != 0 && d.EntryPc != 0);
    }

    [Fact]
    public void Gccgo_DeferRunningDuringThePanic_HasZeroFuncval()
    {
        // basic's panicking goroutine is blocked inside its first deferred call: that defer's funcval is 0, the others' set.
        var panic = GccgoBasic.OfType<PanicRecord>().Single();
        var defers = GccgoBasic.OfType<DeferRecord>().Where(d => d.Goroutine == panic.Goroutine).ToList();

        Assert.Equal(4, defers.Count);
        Assert.Single(defers, d => d.Funcval == 0);
        Assert.Single(GccgoBasic.OfType<DeferRecord>(), d => d.Funcval == 0);
    }

    [Fact]
    public void Gccgo_DeferRecords_CanLiveOnGoroutineStacksOutsideTheHeap()
    {
        var p = GccgoBasic.OfType<ParamsRecord>().Single();
        var defers = GccgoBasic.OfType<DeferRecord>().ToList();

        Assert.Contains(defers, d => d.Address < p.HeapStart || d.Address >= p.HeapEnd);
        Assert.Contains(defers, d => d.Address >= p.HeapStart && d.Address < p.HeapEnd);
    }

    [Fact]
    public void Gccgo_FinalizerArgType_DiffersFromObjectType()
    {
        var finalizers = GccgoBasic.OfType<FinalizerRecordBase>().ToList();

        Assert.Equal(14, finalizers.Count); // 9 registered + 5 queued
        Assert.All(finalizers, f => Assert.NotEqual(f.ArgType, f.ObjectType));
        Assert.All(GcBasic.OfType<FinalizerRecordBase>(), f => Assert.Equal(f.ArgType, f.ObjectType));
    }

    [Fact]
    public void Gccgo_InterfaceTabWord_IsListedAsAPointerField()
    {
        // main.Node.Desc is an interface at +80 (tab word) and +88 (data word); gc lists only the data word.
        static EquatableArray<Field> FieldsOfNode0(IReadOnlyList<HeapDumpRecord> records, string dumpId)
        {
            var address = RealDumpCatalog.Get(dumpId).LoadManifest().Objects.Single(o => o.Name == "node[0]").Address;
            return records.OfType<ObjectRecord>().Single(o => o.Address == address).Fields;
        }

        var gccgo = FieldsOfNode0(GccgoBasic, "gccgo-12.2.0-linux-amd64/basic");
        var gc = FieldsOfNode0(GcBasic, "gc-go1.19.8-linux-amd64/basic");

        Assert.Contains(Field.Ptr(80), gccgo);
        Assert.Contains(Field.Ptr(88), gccgo);
        Assert.DoesNotContain(Field.Ptr(80), gc);
        Assert.Contains(Field.Ptr(88), gc);
    }

    [Fact]
    public void Gccgo_MemoryProfile_IsWrittenEvenWithoutProfilingAsked()
    {
        // empty never calls runtime.MemProfile: the gc linker turns profiling off (Go 1.17+), libgo does not.
        Assert.True(Count(GccgoEmpty, RecordKind.MemProf) > 0);
        Assert.True(Count(GccgoEmpty, RecordKind.AllocSample) > 0);
        Assert.Equal(0, Count(GcEmpty, RecordKind.MemProf));
        Assert.Equal(0, Count(GcEmpty, RecordKind.AllocSample));
    }

    [Fact]
    public void Gccgo_MemProfStacks_EndWithAZeroPcFrame()
    {
        var unknownZero = new MemProfFrame(GoString.FromText("(0x0)"), GoString.FromText("?"), 0);

        Assert.All(GccgoBasic.OfType<MemProfRecord>().Concat(GccgoEmpty.OfType<MemProfRecord>()),
            b => Assert.Equal(unknownZero, b.Frames[^1]));
        Assert.DoesNotContain(GcBasic.OfType<MemProfRecord>(), b => b.Frames[^1] == unknownZero);
    }

    [Fact]
    public void Gccgo_MemProfStacks_StartInTheCFunctionRuntimeCallersRaw()
    {
        Assert.All(GccgoBasic.OfType<MemProfRecord>(), b => Assert.Equal("runtime_callersRaw", b.Frames[0].FuncName.ToString()));
    }

    [Fact]
    public void Gccgo_MemProfStacks_HoldUnresolvedNonZeroPcs()
    {
        // Besides the final (0x0), PCs without symbols (the C start-up code below __libc_start_main) print as
        // (0x…) with file ? and line 0, as gc writes an unknown PC (Go: runtime/heapdump.go dumpmemprof_callback).
        var unresolved = GccgoBasic.OfType<MemProfRecord>().SelectMany(b => b.Frames.Take(b.Frames.Count - 1))
            .Where(f => f.FuncName.ToString().StartsWith("(0x", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(unresolved);
        Assert.All(unresolved, f =>
        {
            Assert.Matches("^\\(0x[0-9a-f]+\\)$", f.FuncName.ToString());
            Assert.NotEqual("(0x0)", f.FuncName.ToString());
            Assert.Equal(("?", 0UL), (f.File.ToString(), f.Line));
        });
    }

    [Fact]
    public void Gccgo_MemProfFunctionNames_AreMangled()
    {
        // gccgo encodes '/' in a package path as "_1": heapdumpprobes/internal/probekit -> heapdumpprobes_1internal_1probekit.
        var names = GccgoBasic.OfType<MemProfRecord>().SelectMany(b => b.Frames).Select(f => f.FuncName.ToString()).ToHashSet();

        Assert.Contains(names, n => n.StartsWith("heapdumpprobes_1internal_1probekit.", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.StartsWith("heapdumpprobes/internal/probekit.", StringComparison.Ordinal));
        Assert.Contains(GcBasic.OfType<MemProfRecord>().SelectMany(b => b.Frames), f => f.FuncName.ToString().StartsWith("heapdumpprobes/internal/probekit.", StringComparison.Ordinal));
    }

    [Fact]
    public void Gccgo_MemProfFilePaths_AreRelativeToTheGccBuildExceptGeneratedOnes()
    {
        // libgo sources are named relative to gcc's build directory, generated libgo files by an absolute path,
        // the probe's own files as the go command passed them.
        var files = GccgoBasic.OfType<MemProfRecord>().SelectMany(b => b.Frames).Select(f => f.File.ToString()).ToHashSet();

        Assert.Contains("../../../src/libgo/go/runtime/malloc.go", files);
        Assert.Contains("./basic/main.go", files);
        Assert.Contains(files, f => f.StartsWith('/') && f.EndsWith("/libgo/libcalls.go", StringComparison.Ordinal));
    }

    [Fact]
    public void Gccgo_MemStatsStackInuseAndStackSys_AreZero()
    {
        var gccgo = GccgoBasic.OfType<MemStatsRecord>().Single();
        var gc = GcBasic.OfType<MemStatsRecord>().Single();

        Assert.Equal((0UL, 0UL), (gccgo.StackInuse, gccgo.StackSys));
        Assert.NotEqual(0UL, gc.StackInuse);
    }

    [Fact]
    public void Gccgo_GoroutineStatusesAndWaitReasons_AreGcs()
    {
        // The same probe goroutines get the same statuses and wait reasons from both runtimes.
        static IEnumerable<(string Role, ulong Status, string Reason)> Parked(IReadOnlyList<HeapDumpRecord> records, string dumpId)
        {
            var goroutines = records.OfType<GoroutineRecord>().ToDictionary(g => g.Goid);
            foreach (var c in RealDumpCatalog.Get(dumpId).LoadManifest().Goroutines)
            {
                var g = goroutines[c.Goid];
                yield return (c.Role, g.Status, g.Status == 4 ? g.WaitReason.ToString() : "");
            }
        }

        Assert.Equal(Parked(GcBasic, "gc-go1.19.8-linux-amd64/basic").Order(), Parked(GccgoBasic, "gccgo-12.2.0-linux-amd64/basic").Order());
    }

    [Theory]
    [InlineData("gccgo-12.2.0-linux-amd64/basic")]
    [InlineData("gccgo-12.2.0-linux-amd64/empty")]
    public void Gccgo_EveryDifference_IsAcceptedByTheDefaultValidationProfile(string id)
    {
        // Everything above is legitimate producer behaviour: the validator's default profile reports no error
        // (and, as observed with gccgo 12.2, no warning either).
        var dump = RealDumpCatalog.Get(id);
        using var stream = dump.OpenDecompressed();

        var report = HeapDumpValidator.Validate(stream, id, new ValidationOptions { Profile = ValidationProfile.Default }, dump.OpenDecompressed);

        Assert.True(report.ErrorCount == 0 && report.StructureError is null, CommittedDumpTests.Describe(report));
        Assert.Equal(0, report.WarningCount);
    }
}
