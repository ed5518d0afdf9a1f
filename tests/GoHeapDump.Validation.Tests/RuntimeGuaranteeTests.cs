using GoHeapDump.Testing;

namespace GoHeapDump.Validation.Tests;

/// <summary>
/// The runtime-guarantee rules (V12–V19, S17, S18, R15–R17) are keyed to the producer and release the params
/// record names: each test states what one release or producer writes and what the validator must say about it.
/// The invalid fixtures (fixtures/invalid/V12-… to R17-…) cover each rule's violation on the baseline.
/// </summary>
public class RuntimeGuaranteeTests
{
    private const ulong Heap = 0xc000000000;

    /// <summary>A gc-shaped dump of the given release: data and bss, then memstats counting
    /// <paramref name="heapObjects"/> objects of <paramref name="heapAlloc"/> bytes in 8 KiB of in-use heap.</summary>
    private static DumpBytes Gc(string version, Action<DumpBytes> objects, ulong heapObjects, ulong heapAlloc, string arch = "amd64", ulong ptrSize = 8)
    {
        var dump = DumpBytes.WithHeader().Params(ptrSize: ptrSize, arch: arch, version: version,
            heapStart: ptrSize == 4 ? 0x0a000000UL : Heap, heapEnd: ptrSize == 4 ? 0x0a400000UL : 0xc004000000UL);
        objects(dump);
        Dumper(dump).Data(0x5a0000, 16).Bss(0x5b0000, 8);
        return dump.MemStats(heapObjects, heapAlloc).Eof();
    }

    /// <summary>The goroutine that writes the dump, as gc dumps it from Go 1.21 on (S19).</summary>
    private static DumpBytes Dumper(DumpBytes dump, ulong goid = 1) =>
        dump.Goroutine(0xc000000680, sp: 0xc00004a7d0, goid: goid, waitReason: "dumping heap").Frame(0xc00004a7d0, 0, 0, 16, "runtime/debug.WriteHeapDump");

    private static List<string> Rules(DumpBytes dump, ValidationProfile profile = ValidationProfile.Strict) =>
        [.. RuleTests.Validate(dump.ToArray(), profile).Diagnostics.Select(d => d.Rule.Id)];

    [Fact]
    public void V19_Go121_DumpHoldsAtMostWhatMemStatsCount()
    {
        Assert.Empty(Rules(Gc("go1.21.13", d => d.Object(Heap, 16).Object(Heap + 16, 16), 2, 32)));
        Assert.Equal(["V19", "V19"], Rules(Gc("go1.21.13", d => d.Object(Heap, 16).Object(Heap + 16, 16).Object(Heap + 32, 16), 2, 32)));
    }

    [Fact]
    public void V19_UnfinishedSweep_DumpMayHoldFewerThanMemStatsCount()
    {
        // Memstats are read before mdump's ensureSwept frees the objects that died on unswept spans (seen on real
        // 1.19, 1.21 and 1.22 dumps of a program that allocates right up to the dump).
        Assert.Empty(Rules(Gc("go1.19.8", d => d.Object(Heap, 16), 5, 80)));
        Assert.Empty(Rules(Gc("go1.21.13", d => d.Object(Heap, 16), 5, 80)));
        Assert.Empty(Rules(Gc("go1.22.12", d => d.Object(Heap, 16), 5, 80)));
    }

    [Fact]
    public void V19_Go122_DumpMayHoldMoreThanHeapObjects_NotMoreThanHeapInuse()
    {
        // From 1.22 dumpobjs also dumps the slots past nelems that hold the span's heap bits (mheap.go initSpan).
        Assert.Empty(Rules(Gc("go1.22.12", d => d.Object(Heap, 16).Object(Heap + 16, 16).Object(Heap + 32, 16), 2, 32)));
        // DumpBytes.MemStats puts 32 KiB in use: 32 KiB and 16 bytes of objects cannot have been in it.
        Assert.Equal(["V19"], Rules(Gc("go1.22.12", d => d.Object(Heap, 32768).Object(Heap + 32768, 16), 2, 32)));
    }

    [Fact]
    public void V16_MemStatsRules_NotAppliedBeforeGo119OrToUnknownProducers()
    {
        // go1.7 headers with a GOEXPERIMENT string (1.7–1.16) wrote the global memstats, unverified here.
        Assert.DoesNotContain("V19", Rules(Gc("", d => d.Object(Heap, 16), 5, 80)));
        Assert.Empty(Rules(Gc(DumpBytes.NeutralVersion, d => d.Object(Heap, 16), 5, 80)));
    }

    [Theory]
    [InlineData("go1.19.8", 24, false)]
    [InlineData("go1.19.8", 40, true)]
    [InlineData("go1.19.8", 40960, false)] // a large object: five whole pages
    [InlineData("go1.19.8", 32776, true)]
    [InlineData("unknown", 40, true)] // gccgo 12: the same allocator
    public void V15_ObjectLength_IsASizeClassOrWholePages(string version, int size, bool v15)
    {
        var rules = Rules(Gc(version, d => d.Object(Heap, size), 1, (ulong)size));
        Assert.Equal(v15, rules.Contains("V15"));
    }

    [Fact]
    public void V15_Go15Header_Has67SizeClasses_No24()
    {
        var dump = DumpBytes.WithHeader("go1.5").ParamsTheChar().Object(Heap, 24).Data(0x5a0000, 8).Bss(0x5b0000, 8).MemStats().Eof();
        Assert.Equal(["V15"], Rules(dump));
    }

    [Fact]
    public void V12_ThirtyTwoBitAddresses_MustFit_EvenInTheDefaultProfile()
    {
        var dump = DumpBytes.WithHeader().Params(ptrSize: 4, arch: "arm", heapStart: 0xfff00000, heapEnd: 0x1_00000000)
            .Data(0x5a0000, 8).Bss(0x5b0000, 8).MemStats().Eof();
        Assert.Equal(["V12"], Rules(dump, ValidationProfile.Default));
        var edge = DumpBytes.WithHeader().Params(ptrSize: 4, arch: "arm", heapStart: 0xffb00000, heapEnd: 0xffffffff)
            .Object(0xffb00000, 16).Data(0x5a0000, 8).Bss(0x5b0000, 8);
        Assert.Empty(Rules(edge.MemStats(1, 16).Eof()));
    }

    [Theory]
    [InlineData("amd64", true, 8, true)]
    [InlineData("s390x", false, 8, true)]
    [InlineData("s390x", true, 8, false)]
    [InlineData("mipsle", false, 4, false)]
    [InlineData("arm", false, 8, true)]
    public void V13_ByteOrderAndPointerSize_FollowTheArchitecture(string arch, bool bigEndian, ulong ptrSize, bool v13)
    {
        var dump = DumpBytes.WithHeader().Params(arch: arch, bigEndian: bigEndian, ptrSize: ptrSize, version: "go1.19.8")
            .Data(0x5a0000, 8).Bss(0x5b0000, 8).MemStats().Eof();
        Assert.Equal(v13, Rules(dump).Contains("V13"));
    }

    [Fact]
    public void S18_Gccgo_WritesNoFramesNoDataNoBss_AndAFrameOrSegmentIsAMixedShape()
    {
        var gccgo = DumpBytes.WithHeader().Params(version: "unknown").Goroutine(0xc000000180).MemStats().Eof();
        Assert.Empty(Rules(gccgo));
        var withFrame = DumpBytes.WithHeader().Params(version: "unknown").Goroutine(0xc000000180, sp: 0xc000040f00)
            .Frame(0xc000040f00, 0, 0, 16).MemStats().Eof();
        Assert.Equal(["S17"], Rules(withFrame));
        var withData = DumpBytes.WithHeader().Params(version: "unknown").Data(0x5a0000, 8).MemStats().Eof();
        Assert.Equal(["S18"], Rules(withData));
    }

    [Fact]
    public void S17_Gc_EveryGoroutineHasFrames()
    {
        var dump = DumpBytes.WithHeader().Params(version: "go1.27.3")
            .Goroutine(0xc000000180, sp: 0xc000040f00).Frame(0xc000040f00, 0, 0, 16)
            .Goroutine(0xc000000340, sp: 0xc000044f00, goid: 2);
        dump = Dumper(dump, goid: 3).Data(0x5a0000, 8).Bss(0x5b0000, 8).MemStats().Eof();
        Assert.Equal(["S17"], Rules(dump));
    }

    [Fact]
    public void V17_HeapAllocAboveHeapInuse()
    {
        // 40 KiB of objects in 32 KiB of in-use spans: memstats (and the dump) count more than the heap holds.
        Assert.Contains("V17", Rules(Gc("go1.19.8", d => d.Object(Heap, 40960), 1, 40960)));
    }

    [Theory]
    [InlineData(0xc000000000UL, 0xc004000000UL, false)]
    [InlineData(0x400000UL, 0x800000UL, false)] // 32-bit: 4 MiB arenas
    [InlineData(0xc000000000UL, 0xc003ffe000UL, true)]
    [InlineData(0xc000002000UL, 0xc004000000UL, true)]
    public void V20_HeapRange_IsWholeArenas(ulong start, ulong end, bool v20)
    {
        var dump = DumpBytes.WithHeader().Params(version: "go1.19.8", heapStart: start, heapEnd: end).Data(0x5a0000, 8).Bss(0x5b0000, 8).MemStats().Eof();
        Assert.Equal(v20 ? ["V20"] : [], Rules(dump));
    }

    [Theory]
    [InlineData("go1.19.8", false)] // 1.19's dumper shows another wait reason
    [InlineData("go1.21.13", true)]
    [InlineData("go1.27.3", true)]
    [InlineData("unknown", false)] // gccgo
    public void S19_FromGo121_TheDumpingGoroutineIsThere(string version, bool required)
    {
        var without = DumpBytes.WithHeader().Params(version: version).Goroutine(0xc000000180, sp: 0xc000040f00).Frame(0xc000040f00, 0, 0, 16);
        var rules = Rules(without.Data(0x5a0000, 8).Bss(0x5b0000, 8).MemStats().Eof());
        Assert.Equal(required, rules.Contains("S19"));
        var with = Dumper(DumpBytes.WithHeader().Params(version: version), goid: 2).Data(0x5a0000, 8).Bss(0x5b0000, 8).MemStats().Eof();
        Assert.DoesNotContain("S19", Rules(with));
    }

    [Theory]
    [InlineData("go1.7", "go1.19.8", false)]
    [InlineData("go1.7", "", false)] // 1.7–1.16: GOEXPERIMENT
    [InlineData("go1.7", "go1.16.15", false)] // the switch lies between 1.16 and 1.17: not judged
    [InlineData("go1.7", "go1.6.4", true)]
    [InlineData("go1.7", "go1.12", true)]
    public void S20_HeaderAndVersionString_AgreeAboutTheRelease(string header, string version, bool s20)
    {
        var dump = DumpBytes.WithHeader(header).Params(version: version).Data(0x5a0000, 8).Bss(0x5b0000, 8).MemStats().Eof();
        Assert.Equal(s20, Rules(dump).Contains("S20"));
    }

    [Fact]
    public void S20_Go16HeaderWithABuildVersion()
    {
        var dump = DumpBytes.WithHeader("go1.6").ParamsTheChar(experiment: "go1.6.4").Data(0x5a0000, 8).Bss(0x5b0000, 8).MemStats().Eof();
        Assert.Equal(["S20"], Rules(dump));
    }

    /// <summary>A Go-1.22-shaped amd64 dump (dumper, data, bss) of one object whose first word is <paramref name="firstWord"/>.</summary>
    private static DumpBytes OneObject(string version, int size, ulong firstWord, params ulong[] fields) =>
        Gc(version, d => d.ObjectStartingWith(Heap, size, firstWord, 8, false, fields), 1, (ulong)size);

    private const ulong TypeAddress = 0x4b2a40; // a type descriptor in the binary's rodata, outside the heap

    [Theory]
    [InlineData("go1.22.12", 576, TypeAddress, new ulong[] { 0, 16 }, true)] // the 1.21 way: the first word listed as a pointer
    [InlineData("go1.22.12", 576, TypeAddress, new ulong[] { 8, 24 }, false)] // the header, then the type's pointers
    [InlineData("go1.27.3", 32768, TypeAddress, new ulong[] { 8 }, false)]
    [InlineData("go1.22.12", 576, 0UL, new ulong[] { 8, 24 }, true)] // no type in the header
    [InlineData("go1.22.12", 576, Heap + 0x100, new ulong[] { 8 }, false)] // a type made by reflect.StructOf lives in the heap
    [InlineData("go1.22.12", 576, 0UL, new ulong[0], false)] // a noscan object has no header
    [InlineData("go1.22.12", 512, 0UL, new ulong[] { 0 }, false)] // up to 512 bytes: heap bits in the span, no header
    [InlineData("go1.22.12", 40960, 0UL, new ulong[] { 0 }, false)] // a large object: its type is the span's
    [InlineData("go1.21.13", 576, 0UL, new ulong[] { 0, 16 }, false)] // before malloc headers
    [InlineData("go1.22.1 X:noallocheaders", 576, 0UL, new ulong[] { 0, 16 }, false)]
    [InlineData("unknown", 576, 0UL, new ulong[] { 0, 16 }, false)] // gccgo
    public void V21_FromGo122_HeaderObjectsListNoPointerAtOffsetZero(string version, int size, ulong firstWord, ulong[] fields, bool v21)
    {
        // (Only V21: the one-object dumps' memstats do not fit every case, and gccgo's shape differs from gc's.)
        Assert.Equal(v21, Rules(OneObject(version, size, firstWord, fields)).Contains("V21"));
    }

    [Theory]
    [InlineData(128, false)] // 4-byte pointers: headers above 4 × 8 × 4 = 128 bytes
    [InlineData(144, true)]
    public void V21_ThirtyTwoBit_HeaderAbove128Bytes(int size, bool v21)
    {
        var dump = Gc("go1.22.12", d => d.ObjectStartingWith(0x0a000000, size, 0x81c2a0, 4, false, 0), 1, (ulong)size, arch: "arm", ptrSize: 4);
        Assert.Equal(v21 ? ["V21"] : [], Rules(dump));
    }

    [Fact]
    public void V21_ReportedAtTheFieldAtOffsetZero()
    {
        var bytes = OneObject("go1.22.12", 576, TypeAddress, 0, 16).ToArray();
        var report = RuleTests.Validate(bytes);
        var d = Assert.Single(report.Diagnostics);
        Assert.Equal("V21", d.Rule.Id);
        // The object's field list follows its 576 bytes of contents: kind 1, then the offset 0.
        var contentsEnd = bytes.AsSpan().IndexOf(new byte[] { 0xc0, 0x04 }) + 2 + 576;
        Assert.Equal(contentsEnd + 1, d.Offset);
    }

    [Fact]
    public void V14_ObjectAddress_Is8Aligned()
    {
        Assert.Equal(["V14"], Rules(Gc("go1.19.8", d => d.Object(Heap + 4, 16), 1, 16)));
    }

    /// <summary>Each memstats identity broken alone (one scalar raised by 2^40): the rule that must name it, and no other.</summary>
    [Theory]
    [InlineData(0, "V16")] // Alloc ≠ HeapAlloc
    [InlineData(4, "V16")] // Mallocs − Frees ≠ HeapObjects
    [InlineData(10, "V17")] // HeapReleased > HeapIdle
    [InlineData(2, "V18")] // Sys ≠ the sum of the *Sys fields
    [InlineData(12, "V18")] // StackInuse > StackSys
    public void V18_EachMemStatsIdentity_HasItsRule(int scalar, string rule)
    {
        static DumpBytes WithScalars(ulong[] scalars) =>
            Dumper(DumpBytes.WithHeader().Params(version: "go1.24.4")).Data(0x5a0000, 8).Bss(0x5b0000, 8).MemStats(scalars).Eof();

        var scalars = DumpBytes.MemStatsScalars(objects: 0, bytes: 0);
        Assert.Empty(Rules(WithScalars(scalars)));
        scalars[scalar] += 1UL << 40;
        Assert.Equal([rule], Rules(WithScalars(scalars)));
    }

    /// <summary>A go1.23 dump with one object and two goroutines, each with a frame; optionally a goid, an M or a finalizer twice.</summary>
    private static DumpBytes Twice(bool goid = false, bool m = false, bool finalizer = false)
    {
        var dump = DumpBytes.WithHeader().Params(version: "go1.23.5")
            .Object(Heap, 16)
            .Goroutine(0xc000000180, sp: 0xc000040f00, goid: 7).Frame(0xc000040f00, 0, 0, 16)
            .Goroutine(0xc000000340, sp: 0xc000044f00, goid: goid ? 7UL : 8UL).Frame(0xc000044f00, 0, 0, 16);
        Dumper(dump, goid: 9)
            .OsThread(0x5000).OsThread(m ? 0x5000UL : 0x5400UL, id: 1)
            .Data(0x5a0000, 8).Bss(0x5b0000, 8)
            .Finalizer(Heap);
        if (finalizer)
        {
            dump.Finalizer(Heap);
        }

        return dump.MemStats(1, 16).Eof();
    }

    [Fact]
    public void R15_AnMTwice()
    {
        Assert.Empty(Rules(Twice()));
        Assert.Equal(["R15"], Rules(Twice(m: true)));
    }

    [Fact]
    public void R16_AGoidTwice() => Assert.Equal(["R16"], Rules(Twice(goid: true)));

    [Fact]
    public void R17_TwoFinalizersForOneObject() => Assert.Equal(["R17"], Rules(Twice(finalizer: true)));
}
