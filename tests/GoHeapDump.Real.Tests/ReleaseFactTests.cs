using GoHeapDump.Real.Tests.Infrastructure;

namespace GoHeapDump.Real.Tests;

/// <summary>
/// What the gc runtime writes differently from one release to the next, one test per difference, over every committed gc
/// dump of the probe that shows it (fixtures/real, Go 1.19 to 1.27 on amd64, arm and s390x): the dump shows the fact
/// exactly when its release (the params record's build version) is the first release that has it or a later one.
/// spec/FORMAT.md's table "gc releases, 1.19 to 1.27" lists the same facts with the fixture that first shows each; the
/// probes learn them at run time (the manifest's <c>runtime</c> section) and the manifest checks hold each dump to them.
/// A new release that changes one again fails the test that names it.
/// </summary>
public sealed class ReleaseFactTests
{
    private static IReadOnlyList<HeapDumpRecord> Records(string id) => RealDumpCatalog.Records(id);

    private static TheoryData<string> GcDumpsOf(Func<RealDump, bool> where)
    {
        var data = new TheoryData<string>();
        foreach (var d in RealDumpCatalog.All.Where(d => d.Directory.StartsWith("gc-", StringComparison.Ordinal) && where(d)))
        {
            data.Add(d.Id);
        }

        return data;
    }

    public static TheoryData<string> GcBasicDumps => GcDumpsOf(d => d.Probe == "basic");

    /// <summary>basic dumps recorded with the probe that parks goroutines in sync.RWMutex and sync.WaitGroup too (its
    /// manifest has the runtime section): every release but the first recording of 1.19.</summary>
    public static TheoryData<string> GcBasicDumpsWithRuntimeFacts => GcDumpsOf(d => d.Probe == "basic" && d.LoadManifest().Runtime is not null);

    public static TheoryData<string> GcEmptyDumps => GcDumpsOf(d => d.Probe == "empty");

    public static TheoryData<string> GcDumps => GcDumpsOf(d => d.Probe is "basic" or "empty");

    private static GoVersion VersionOf(IReadOnlyList<HeapDumpRecord> records) =>
        GoVersion.Parse(records.OfType<ParamsRecord>().Single().VersionInfo.ToString());

    /// <summary>Asserts that the dump shows the fact exactly when its release is at least 1.<paramref name="minor"/>.</summary>
    private static void AssertFromRelease(string id, int minor, bool shown, string fact)
    {
        var version = VersionOf(Records(id));
        Assert.True(version.IsKnown, $"{id}: params version \"{version.Text}\" names no release");
        var expected = version.IsAtLeast(1, minor);
        Assert.True(shown == expected,
            $"{id} ({version.Text}): {fact} is {(shown ? "shown" : "not shown")}; it is shown from Go 1.{minor} on, so it should {(expected ? "" : "not ")}be");
    }

    private static HashSet<string> WaitReasons(string id) =>
        Records(id).OfType<GoroutineRecord>().Where(g => g.Status == 4).Select(g => g.WaitReason.ToString()).ToHashSet(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(GcBasicDumpsWithRuntimeFacts))]
    public void WaitReasons_SyncMutexAndRWMutexParks_SplitFromSemacquireIn121(string id)
    {
        // Go 1.21 runtime/sema.go: semacquire1 takes a wait reason; sync.Mutex, RWMutex.Lock and RLock pass their own.
        var reasons = WaitReasons(id);
        var split = new[] { "sync.Mutex.Lock", "sync.RWMutex.Lock", "sync.RWMutex.RLock" };
        Assert.True(split.All(reasons.Contains) || !split.Any(reasons.Contains), $"{id}: only some of {string.Join(", ", split)} in [{string.Join(", ", reasons)}]");
        AssertFromRelease(id, 21, split.All(reasons.Contains), "the wait reasons sync.Mutex.Lock, sync.RWMutex.Lock, sync.RWMutex.RLock");
    }

    [Theory]
    [MemberData(nameof(GcBasicDumpsWithRuntimeFacts))]
    public void WaitReasons_WaitGroupPark_SplitFromSemacquireIn124(string id)
    {
        // The probe's last semacquire park is sync.WaitGroup.Wait; Go 1.24 gave it its own wait reason.
        var reasons = WaitReasons(id);
        AssertFromRelease(id, 24, reasons.Contains("sync.WaitGroup.Wait"), "the wait reason sync.WaitGroup.Wait");
        AssertFromRelease(id, 24, !reasons.Contains("semacquire"), "no goroutine parked as semacquire");
    }

    [Theory]
    [MemberData(nameof(GcDumps))]
    public void DumpingGoroutine_WaitReason_IsDumpingHeapFrom121(string id)
    {
        // Go 1.21 runtime/heapdump.go writeheapdump_m puts the user goroutine in _Gwaiting with waitReasonDumpingHeap;
        // 1.19 set it on g0, and the dumping goroutine kept the reason of its last park.
        AssertFromRelease(id, 21, WaitReasons(id).Contains("dumping heap"), "a goroutine waiting with the reason \"dumping heap\"");
    }

    [Theory]
    [MemberData(nameof(GcBasicDumps))]
    public void PanickingGoroutine_DeferRecords_OnlyThePendingOnesFrom122(string id)
    {
        // basic parks a goroutine inside its fourth deferred call while a panic runs it. Before Go 1.22 each executed
        // defer statement keeps its record until its call returns (4); the 1.22 panic rework (runtime/panic.go _panic.nextDefer)
        // pops a record before calling it and open-coded defers never get one: the two loop defers not yet run remain.
        var records = Records(id);
        var panicking = records.OfType<PanicRecord>().Select(p => p.Goroutine).Distinct().ToList();
        Assert.True(panicking.Count == 1, $"{id}: {panicking.Count} goroutines with panic records, want 1");
        var defers = records.OfType<DeferRecord>().Count(d => d.Goroutine == panicking[0]);
        Assert.True(defers is 2 or 4, $"{id}: the panicking goroutine has {defers} defer records, neither 4 (executed) nor 2 (pending)");
        AssertFromRelease(id, 22, defers == 2, "two defer records (the pending ones) on the panicking goroutine");
    }

    [SkippableTheory]
    [MemberData(nameof(GcBasicDumps))]
    public void LargePointerArray_PointerFields_TileThePageRoundedSpanFrom122(string id)
    {
        // basic's [5000]*Node: 40,000 bytes on 64-bit targets, a large object in a 40,960-byte span. Before 1.22 the heap
        // bitmap lists its 5,000 words; with malloc headers makeheapobjbv walks the span's type layout to the span's end
        // (runtime/mbitmap.go typePointersOfUnchecked), 5,120 words.
        var records = Records(id);
        var ptrSize = records.OfType<ParamsRecord>().Single().PtrSize;
        Skip.If(ptrSize != 8, "on 32-bit targets the array is a small object (20,000 bytes)");
        var address = RealDumpCatalog.Get(id).LoadManifest().Objects.Single(o => o.Name == "large-pointers").Address;
        var o = records.OfType<ObjectRecord>().Single(r => r.Address == address);
        Assert.Equal(40960, o.Contents.Length);
        Assert.True(o.Fields.Count is 5000 or 5120, $"{id}: {o.Fields.Count} pointer fields, neither 5000 nor 5120");
        AssertFromRelease(id, 22, o.Fields.Count == 5120, "pointer fields over the whole span (5,120)");
    }

    [Theory]
    [MemberData(nameof(GcEmptyDumps))]
    public void EmptyProgram_MemProf_OneSampledBucketFrom126(string id)
    {
        // A program that never reads profiles runs with MemProfileRate 0 (the linker's disableMemoryProfiling), yet from
        // Go 1.26 an allocation made before schedinit applies it is sampled: one bucket and its sample.
        var records = Records(id);
        var buckets = records.Count(r => r.Kind == RecordKind.MemProf);
        var samples = records.Count(r => r.Kind == RecordKind.AllocSample);
        Assert.True(buckets == samples && buckets <= 1, $"{id}: {buckets} mem_prof and {samples} alloc_sample records");
        AssertFromRelease(id, 26, buckets == 1, "a mem_prof and an alloc_sample record in a program without profiling");
    }

    [SkippableTheory]
    [MemberData(nameof(GcDumps))]
    public void HeapStart_Randomised_OnAmd64From126(string id)
    {
        // Go 1.26 randomises the heap's base address on 64-bit targets (runtime/malloc.go mallocinit arena hints); 1.19 to
        // 1.24 put the first arena at 0xc000000000 on amd64. Checked on amd64, where every recorded dump had the fixed base.
        var p = Records(id).OfType<ParamsRecord>().Single();
        Skip.If(p.Arch?.ToString() != "amd64", "the fixed base is amd64's");
        AssertFromRelease(id, 26, p.HeapStart != 0xc000000000, "a heap start other than 0xc000000000");
    }

    [Theory]
    [MemberData(nameof(GcBasicDumps))]
    public void FinalizerGoroutine_Frame_IsRunFinalizersFrom126(string id)
    {
        // basic's finalizer blocks inside the finalizer goroutine, whose frames show the runtime function that runs the
        // queue: runtime.runfinq until 1.24, runtime.runFinalizers from 1.26 (renamed beside the cleanup queue).
        var names = Records(id).OfType<StackFrameRecord>().Select(f => f.Name.ToString()).ToHashSet(StringComparer.Ordinal);
        Assert.True(names.Contains("runtime.runfinq") != names.Contains("runtime.runFinalizers"), $"{id}: runfinq and runFinalizers frames both present or both absent");
        AssertFromRelease(id, 26, names.Contains("runtime.runFinalizers"), "a runtime.runFinalizers frame");
    }
}
