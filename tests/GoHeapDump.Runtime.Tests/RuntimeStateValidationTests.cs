using System.Collections.Immutable;

namespace GoHeapDump.Runtime.Tests;

/// <summary>Each invariant: rejected with an ArgumentException naming the part, and accepted at its edge.</summary>
public class RuntimeStateValidationTests
{
    private static void Rejected(Func<RuntimeState> build, string path, string fragment)
    {
        var e = Assert.Throws<ArgumentException>(() => build());
        Assert.Equal(path, e.ParamName);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    private static HeapSpan Span => Sample.Span();

    // ---------------------------------------------------------------- platform and arenas

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(16)]
    public void Constructor_PointerSizeNot4Or8_Throws(int ptrSize) =>
        Rejected(() => new RuntimeState(Sample.Amd64 with { PtrSize = ptrSize }), "Platform.PtrSize", "4 or 8");

    [Fact]
    public void Constructor_PointerSizes4And8_Accepted()
    {
        Assert.Equal(4, new RuntimeState(Sample.I386).Platform.PtrSize);
        Assert.Equal(8, new RuntimeState(Sample.Amd64).Platform.PtrSize);
    }

    [Theory]
    [InlineData(4096UL)] // below a page
    [InlineData(3UL << 20)] // not a power of two
    public void Constructor_BadArenaSize_Throws(ulong bytes) =>
        Rejected(() => new RuntimeState(Sample.I386 with { Arenas = Sample.I386.Arenas with { HeapArenaBytes = bytes } }), "Platform.Arenas.HeapArenaBytes", "power of two");

    [Fact]
    public void Constructor_IndexBitsBeyondAddressSpace_Throws() =>
        Rejected(() => new RuntimeState(Sample.I386 with { Arenas = Sample.I386.Arenas with { L2Bits = 11 } }), "Platform.Arenas", "exceed");

    [Fact]
    public void Constructor_ArenaIndexPastGeometry_Throws() =>
        Rejected(() => new RuntimeState(Sample.I386, arenas: [1024]), "Arenas[0]", "outside the 1024 indices");

    [Fact]
    public void Constructor_LastArenaIndex_Accepted() =>
        Assert.Equal(1023UL, new RuntimeState(Sample.I386, arenas: [1023]).Arenas[0]);

    [Theory]
    [InlineData(5UL, 5UL)]
    [InlineData(6UL, 5UL)]
    public void Constructor_ArenasNotAscending_Throws(ulong first, ulong second) =>
        Rejected(() => new RuntimeState(Sample.I386, arenas: [first, second]), "Arenas[1]", "ascending and unique");

    // ---------------------------------------------------------------- spans

    [Fact]
    public void Constructor_SpanBaseNotPageAligned_Throws() =>
        Rejected(() => Sample.WithSpans(Span with { Base = Sample.HeapBase + 0x1000 }), "Spans[0].Base", "not page-aligned");

    [Fact]
    public void Constructor_SpanWithoutPages_Throws() =>
        Rejected(() => Sample.WithSpans(Span with { Pages = 0, State = SpanState.Dead }), "Spans[0].Pages", "at least one page");

    [Fact]
    public void Constructor_SpanPartlyOutsideArenas_Throws() =>
        // The arena of 0xc000000000 ends at 0xc004000000; a two-page span on its last page crosses into the next.
        Rejected(() => Sample.WithSpans(new HeapSpan { Base = 0xc003ffe000, Pages = 2, State = SpanState.Manual }), "Spans[0]", "arena 0x203001, which is not in use");

    [Fact]
    public void Constructor_SpanEndingAtArenaEnd_Accepted() =>
        Assert.Single(Sample.WithSpans(new HeapSpan { Base = 0xc003ffe000, Pages = 1, State = SpanState.Manual }).Spans);

    [Fact]
    public void Constructor_OverlappingSpans_Throws() =>
        Rejected(() => Sample.WithSpans(new HeapSpan { Base = Sample.HeapBase, Pages = 2, State = SpanState.Dead }, Span with { Base = Sample.HeapBase + GoRuntime.PageSize }), "Spans[1]", "overlaps Spans[0]");

    [Fact]
    public void Constructor_AdjacentSpans_Accepted() =>
        Assert.Equal(2, Sample.WithSpans(Span, Span with { Base = Sample.HeapBase + GoRuntime.PageSize }).Spans.Length);

    [Theory]
    [InlineData(0UL)]
    [InlineData(12UL)] // not a multiple of 8
    [InlineData(8200UL)] // larger than the span
    public void Constructor_BadElemSize_Throws(ulong elemSize) =>
        Rejected(() => Sample.WithSpans(Span with { ElemSize = elemSize }), "Spans[0].ElemSize", "non-zero multiple of the pointer size");

    [Fact]
    public void Constructor_ElemSizeOfWholeSpan_Accepted() =>
        Assert.Equal(1UL, Sample.WithSpans(Sample.Span(elemSize: 8192)).Spans[0].SlotCount);

    [Fact]
    public void Constructor_ElemCountAboveSlots_Throws() =>
        Rejected(() => Sample.WithSpans(Span with { ElemCount = 3, FreeSlots = BitVector.Zeros(3) }), "Spans[0].ElemCount", "between 0 and the span's 2 slots");

    [Fact]
    public void Constructor_ElemCountBelowSlots_Accepted() =>
        Assert.Equal(0, Sample.WithSpans(Span with { ElemCount = 0, FreeSlots = BitVector.Empty }).Spans[0].ElemCount);

    [Fact]
    public void Constructor_FreeSlotsLengthNotElemCount_Throws() =>
        Rejected(() => Sample.WithSpans(Span with { FreeSlots = BitVector.Zeros(1) }), "Spans[0].FreeSlots", "one bit per element (2)");

    [Fact]
    public void Constructor_MemoryNotSlotBytes_Throws() =>
        Rejected(() => Sample.WithSpans(Span with { Memory = ImmutableArray.Create(new byte[8191]) }), "Spans[0].Memory", "(8192 bytes), has 8191");

    [Fact]
    public void Constructor_BitmapNotSlotWords_Throws() =>
        Rejected(() => Sample.WithSpans(Span with { Bits = new HeapBitmap(BitVector.Zeros(1023), BitVector.Zeros(1024)) }), "Spans[0].Bits", "the 1024 words");

    [Fact]
    public void Constructor_PointerWordWithoutScanBit_Throws() =>
        Rejected(() => Sample.WithSpans(Span with { Bits = new HeapBitmap(BitVector.FromIndices(1024, 600), BitVector.FromIndices(1024, 0)) }), "Spans[0].Bits", "word 600 (slot 1) is a pointer without its scan bit");

    [Fact]
    public void Constructor_ScanWordWithoutPointerBit_Accepted() =>
        Assert.NotNull(Sample.WithSpans(Span with { Bits = new HeapBitmap(BitVector.FromIndices(1024, 600), BitVector.FromIndices(1024, 600, 601)) }));

    [Fact]
    public void Constructor_SpecialPastSpan_Throws() =>
        Rejected(() => Sample.WithSpans(new HeapSpan { Base = Sample.HeapBase, Pages = 1, State = SpanState.Dead, Specials = [new FinalizerSpecial(8192, new FuncVal(1, 2), 0, 0)] }), "Spans[0].Specials[0]", "past the span's 8192 bytes");

    [Fact]
    public void Constructor_SpecialAtLastByte_Accepted() =>
        Assert.Single(Sample.WithSpans(Span with { Specials = [new FinalizerSpecial(8191, new FuncVal(1, 2), 0, 0)] }).Spans[0].Specials);

    [Fact]
    public void Constructor_SpecialsOutOfOrder_Throws() =>
        Rejected(() => Sample.WithSpans(Span with { Specials = [new FinalizerSpecial(32, new FuncVal(1, 2), 0, 0), new FinalizerSpecial(16, new FuncVal(1, 2), 0, 0)] }), "Spans[0].Specials[1]", "sorted by offset then kind");

    [Fact]
    public void Constructor_TwoFinalizersOnOneObject_Throws() =>
        Rejected(() => Sample.WithSpans(Span with { Specials = [new FinalizerSpecial(16, new FuncVal(1, 2), 0, 0), new FinalizerSpecial(16, new FuncVal(3, 4), 0, 0)] }), "Spans[0].Specials[1]", "at most one of a kind per offset");

    [Fact]
    public void Constructor_ProfileBeforeFinalizerAtOneOffset_Throws() =>
        Rejected(
            () => new RuntimeState(Sample.Amd64, arenas: [Sample.Arena], memProfBuckets: [new MemProfBucket(0x100, 8, [], 1, 0)], spans: [Span with { Specials = [new ProfileSpecial(16, 0x100), new FinalizerSpecial(16, new FuncVal(1, 2), 0, 0)] }]),
            "Spans[0].Specials[1]",
            "sorted by offset then kind");

    [Fact]
    public void Constructor_FinalizerThenProfileAtOneOffset_Accepted() =>
        Assert.Equal(2, new RuntimeState(Sample.Amd64, arenas: [Sample.Arena], memProfBuckets: [new MemProfBucket(0x100, 8, [], 1, 0)], spans: [Span with { Specials = [new FinalizerSpecial(16, new FuncVal(1, 2), 0, 0), new ProfileSpecial(16, 0x100)] }]).Spans[0].Specials.Length);

    [Fact]
    public void Constructor_ProfileSpecialWithUnknownBucket_Throws() =>
        Rejected(() => Sample.WithSpans(Span with { Specials = [new ProfileSpecial(0, 0x100)] }), "Spans[0].Specials[0].Bucket", "not the address of a memprof bucket");

    [Fact]
    public void Constructor_FinalizerWithNilFuncVal_Throws() =>
        Rejected(() => Sample.WithSpans(Span with { Specials = [new FinalizerSpecial(0, new FuncVal(0, 0x401000), 0, 0)] }), "Spans[0].Specials[0].Fn", "nil function");

    [Fact]
    public void Constructor_SpanWithMoreSlotsThanFreeMarkArray_Accepted()
    {
        // The dump throws on it; the model must be able to say it.
        var span = new HeapSpan
        {
            Base = Sample.HeapBase, Pages = 2, State = SpanState.InUse, ElemSize = 8, ElemCount = 2048,
            FreeSlots = BitVector.Zeros(2048), Memory = ImmutableArray.Create(new byte[16384]),
            Bits = new HeapBitmap(BitVector.Zeros(2048), BitVector.Zeros(2048)),
        };
        Assert.Equal(2048UL, Sample.WithSpans(span).Spans[0].SlotCount);
    }

    // ---------------------------------------------------------------- types and itabs

    [Fact]
    public void Constructor_TypeAtAddressZero_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, types: [new RuntimeType { Address = 0, Str = "int" }]), "Types[0].Address", "nil type");

    [Fact]
    public void Constructor_TwoTypesAtOneAddress_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, types: [new RuntimeType { Address = 0x10, Str = "int" }, new RuntimeType { Address = 0x10, Str = "uint" }]), "Types[1].Address", "two types at 0x10");

    [Fact]
    public void Constructor_ExtraStarWithEmptyName_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, types: [new RuntimeType { Address = 0x10, Str = "", ExtraStar = true }]), "Types[0].Str", "leading byte to drop");

    [Fact]
    public void Constructor_ExtraStarWithOneByte_Accepted() =>
        Assert.Single(new RuntimeState(Sample.Amd64, types: [new RuntimeType { Address = 0x10, Str = "*", ExtraStar = true }]).Types);

    [Fact]
    public void Constructor_PtrDataAboveSize_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, types: [new RuntimeType { Address = 0x10, Str = "T", Size = 8, PtrData = 16 }]), "Types[0].PtrData", "exceeds the size");

    [Fact]
    public void Constructor_ItabWithForeignType_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, itabs: [new Itab(0x20, new RuntimeType { Address = 0x10, Str = "int" })]), "Itabs[0].Type", "not one of the state's types");

    [Fact]
    public void Constructor_ItabWithChangedCopyOfType_Throws()
    {
        var t = new RuntimeType { Address = 0x10, Str = "int" };
        Rejected(() => new RuntimeState(Sample.Amd64, types: [t], itabs: [new Itab(0x20, t with { Size = 8 })]), "Itabs[0].Type", "not one of the state's types");
    }

    [Fact]
    public void Constructor_ItabWithNilType_Accepted() =>
        Assert.Null(new RuntimeState(Sample.Amd64, itabs: [new Itab(0x20, null)]).Itabs[0].Type);

    [Fact]
    public void Constructor_DuplicateItab_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, itabs: [new Itab(0x20, null), new Itab(0x20, null)]), "Itabs[1].Address", "unique");

    // ---------------------------------------------------------------- goroutines and frames

    [Fact]
    public void Constructor_DuplicateGoroutine_Throws() =>
        Rejected(() => Sample.WithGoroutines(Sample.Goroutine(), Sample.Goroutine()), "Goroutines[1].Address", "unique");

    [Fact]
    public void Constructor_WordTooWideFor32Bit_Throws() =>
        Rejected(() => new RuntimeState(Sample.I386, goroutines: [Sample.Goroutine() with { Address = 0x1000, Gopc = 0x1_0000_0000 }]), "Goroutines[0].Gopc", "does not fit in a 4-byte");

    [Fact]
    public void Constructor_LargestWordFor32Bit_Accepted() =>
        Assert.Equal(0xffffffffUL, new RuntimeState(Sample.I386, goroutines: [Sample.Goroutine() with { Address = 0x1000, Gopc = 0xffffffff }]).Goroutines[0].Gopc);

    [Fact]
    public void Constructor_AnyGoroutineStatusAndWaitReason_Accepted()
    {
        // Bad statuses and out-of-range wait reasons are runtime behaviour to exercise, not model errors.
        var g = Sample.Goroutine() with { Status = 0x1002, WaitReason = 255 };
        Assert.Equal(0x1002u, Sample.WithGoroutines(g).Goroutines[0].Status);
    }

    [Fact]
    public void Constructor_FrameContentsNotFrameSize_Throws() =>
        Rejected(() => Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(), 0x1000) with { Contents = ImmutableArray.Create(new byte[8]) })), "Goroutines[0].Frames[0].Contents", "fp − sp = 48 bytes, has 8");

    [Fact]
    public void Constructor_FrameVarpAboveFp_Throws() =>
        Rejected(() => Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(), 0x1000) with { Varp = 0x1038 })), "Goroutines[0].Frames[0]", "sp ≤ varp ≤ fp ≤ argp");

    [Fact]
    public void Constructor_FrameArgpBelowFp_Throws() =>
        Rejected(() => Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(), 0x1000) with { Argp = 0x1028 })), "Goroutines[0].Frames[0]", "sp ≤ varp ≤ fp ≤ argp");

    [Fact]
    public void Constructor_EmptyFrameWithVarpAtSp_Accepted()
    {
        var f = Sample.Frame(Sample.Function(), 0x1000, size: 0) with { Varp = 0x1000 };
        Assert.Single(Sample.WithGoroutines(Sample.Goroutine(f)).Goroutines[0].Frames);
    }

    [Fact]
    public void Constructor_FirstFrameBelowGoroutineSp_Throws() =>
        Rejected(() => Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(), 0x1000)) with { SchedSp = 0x1008 }), "Goroutines[0].Frames[0].Sp", "expected the goroutine's traceback sp 0x1008");

    [Fact]
    public void Constructor_FirstFrameAboveGoroutineSp_Throws() =>
        // gentraceback starts frame 0 at the traceback sp: with a pc there is no adjustment.
        Rejected(() => Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(), 0x1008)) with { SchedSp = 0x1000 }), "Goroutines[0].Frames[0].Sp", "expected the goroutine's traceback sp 0x1000");

    [Fact]
    public void Constructor_PcZeroOnX86_FirstFrameOneWordAboveSp() =>
        // Go: traceback.go, "if frame.pc == 0": without a link register the return address at sp is popped first.
        Assert.NotNull(Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(), 0x1008)) with { SchedSp = 0x1000, SchedPc = 0 }));

    [Fact]
    public void Constructor_PcZeroOnX86_FirstFrameAtSp_Throws() =>
        Rejected(() => Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(), 0x1000)) with { SchedPc = 0 }), "Goroutines[0].Frames[0].Sp", "one word above sp: the traceback pc is 0");

    [Fact]
    public void Constructor_PcZeroWithLinkRegister_FirstFrameAtSp() =>
        // arm64 keeps the return address in LR: pc 0 moves nothing.
        Assert.NotNull(new RuntimeState(RuntimePlatform.ForArch("arm64"), goroutines: [Sample.Goroutine(Sample.Frame(Sample.Function(), 0x1000)) with { SchedPc = 0 }]));

    [Fact]
    public void Constructor_CallerFrameBelowCalleeFp_Throws() =>
        Rejected(() => Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(), 0x1000), Sample.Frame(Sample.Function(), 0x1028))), "Goroutines[0].Frames[1].Sp", "below the callee frame's fp 0x1030");

    [Fact]
    public void Constructor_FrameWithoutFunction_Accepted() =>
        Assert.Null(Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(null, 0x1000))).Goroutines[0].Frames[0].Function);

    [Theory]
    [InlineData(0x400fffUL)]
    [InlineData(0x401100UL)]
    public void Constructor_FramePcOutsideFunction_Throws(ulong pc) =>
        Rejected(() => Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(), 0x1000, pc: pc))), "Goroutines[0].Frames[0].Pc", "outside its function");

    [Theory]
    [InlineData(0x401000UL)]
    [InlineData(0x4010ffUL)]
    public void Constructor_FramePcAtFunctionEdges_Accepted(ulong pc) =>
        Assert.NotNull(Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(), 0x1000, pc: pc))));

    private static readonly StackMap TwoLocalsMaps = StackMap.Of(BitVector.Parse("10"), BitVector.Parse("01"));

    [Fact]
    public void Constructor_StackMapIndexPastLocalsMaps_Throws() =>
        Rejected(() => Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(TwoLocalsMaps, index: PcTable.Constant(0x401100UL, 2)), 0x1000))), "Goroutines[0].Frames[0]", "stack-map index 2 at pc 0x401010 is outside the 2 locals bitmaps");

    [Fact]
    public void Constructor_LastLocalsMapIndex_Accepted() =>
        Assert.NotNull(Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(TwoLocalsMaps, index: PcTable.Constant(0x401100UL, 1)), 0x1000))));

    [Fact]
    public void Constructor_LocalsBitmapLargerThanLocals_Throws()
    {
        // varp − sp = 0x30 − 16 = 32 bytes: 4 words fit, 5 do not.
        var five = StackMap.Of(BitVector.Zeros(5));
        Rejected(() => Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(five), 0x1000))), "Goroutines[0].Frames[0]", "5 words do not fit the 32 bytes");
    }

    [Fact]
    public void Constructor_LocalsBitmapFillingLocals_Accepted() =>
        Assert.NotNull(Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(StackMap.Of(BitVector.Zeros(4))), 0x1000))));

    [Fact]
    public void Constructor_LocalsSizeLargerThanLocals_Throws() =>
        Rejected(() => Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(StackMap.LocalsSize(40)), 0x1000))), "Goroutines[0].Frames[0]", "locals size 40 does not fit the 32 bytes");

    [Fact]
    public void Constructor_LocalsSizeFillingLocals_Accepted() =>
        Assert.NotNull(Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(StackMap.LocalsSize(32)), 0x1000))));

    [Fact]
    public void Constructor_ArgsMapWithoutBitmaps_Throws() =>
        Rejected(() => Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(args: StackMap.Of()), 0x1000))), "Goroutines[0].Frames[0]", "outside the 0 args bitmaps");

    [Fact]
    public void Constructor_ArgsMapWithNegativeCount_Throws() =>
        Rejected(() => Sample.WithGoroutines(Sample.Goroutine(Sample.Frame(Sample.Function(args: StackMap.LocalsSize(8)), 0x1000))), "Goroutines[0].Frames[0].Function.ArgsPointerMaps", "only a locals map");

    [Fact]
    public void Constructor_ArgumentsLargerThanCallerFrame_Throws()
    {
        var callee = Sample.Frame(Sample.Function(), 0x1000, argLen: 0x28);
        var caller = Sample.Frame(Sample.Function(), 0x1030, size: 0x20);
        Rejected(() => Sample.WithGoroutines(Sample.Goroutine(callee, caller)), "Goroutines[0].Frames[0].ArgLen", "do not fit the caller's 32-byte frame");
    }

    [Fact]
    public void Constructor_ArgumentsFillingCallerFrame_Accepted()
    {
        var callee = Sample.Frame(Sample.Function(), 0x1000, argLen: 0x20);
        var caller = Sample.Frame(Sample.Function(), 0x1030, size: 0x20);
        Assert.NotNull(Sample.WithGoroutines(Sample.Goroutine(callee, caller)));
    }

    [Fact]
    public void Constructor_FunctionEndNotAfterEntry_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, functions: [Sample.Function() with { End = 0x401000 }]), "Functions[0]", "entry < end");

    [Fact]
    public void Constructor_StackMapCountNotBitmapCount_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, functions: [Sample.Function(new StackMap { Count = 2, BitCount = 1, Bitmaps = [BitVector.Zeros(1)] })]), "Functions[0].LocalsPointerMaps", "count 2 needs that many bitmaps, has 1");

    [Fact]
    public void Constructor_StackMapBitmapOfOtherLength_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, functions: [Sample.Function(new StackMap { Count = 2, BitCount = 2, Bitmaps = [BitVector.Zeros(2), BitVector.Zeros(3)] })]), "Functions[0].LocalsPointerMaps.Bitmaps[1]", "the map's 2 bits, this one 3");

    [Fact]
    public void Constructor_PcTableShortOfFunctionEnd_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, functions: [Sample.Function(index: PcTable.Constant(0x4010ffUL, 0))]), "Functions[0].StackMapIndex", "up to its end 0x401100, stops at 0x4010ff");

    [Fact]
    public void Constructor_PcTableRunsNotAscending_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, functions: [Sample.Function(index: PcTable.Of(new PcRun<int>(0x401080, 0), new PcRun<int>(0x401080, 0), new PcRun<int>(0x401100, 0)))]), "Functions[0].StackMapIndex.Runs[1]", "ascending order");

    [Fact]
    public void Constructor_StackMapIndexBelowMinusOne_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, functions: [Sample.Function(index: PcTable.Constant(0x401100UL, -2))]), "Functions[0].StackMapIndex.Runs[0]", "−1 or a bitmap index, got -2");

    [Fact]
    public void Constructor_SymbolTableOverlapping_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, functions: [Sample.Function(), Sample.Function() with { Entry = 0x4010ff, End = 0x401200 }]), "Functions[1]", "sorted and non-overlapping");

    [Fact]
    public void Constructor_SymbolTableAdjacent_Accepted() =>
        Assert.Equal(2, new RuntimeState(Sample.Amd64, functions: [Sample.Function(), Sample.Function() with { Entry = 0x401100, End = 0x401200 }]).Functions.Length);

    [Fact]
    public void Constructor_DeferChainRepeatsAddress_Throws() =>
        Rejected(() => Sample.WithGoroutines(Sample.Goroutine() with { Defers = [new Defer(0x50, 0, 0, null), new Defer(0x50, 0, 0, null)] }), "Goroutines[0].Defers[1].Address", "non-zero and unique");

    [Fact]
    public void Constructor_PanicAtAddressZero_Throws() =>
        Rejected(() => Sample.WithGoroutines(Sample.Goroutine() with { Panics = [new Panic(0, 0, 0)] }), "Goroutines[0].Panics[0].Address", "non-zero and unique");

    // ---------------------------------------------------------------- roots, threads, memprof, memstats

    [Fact]
    public void Constructor_DuplicateThread_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, threads: [new OsThread(0x10, 0, 1), new OsThread(0x10, 1, 2)]), "Threads[1].Address", "unique");

    [Fact]
    public void Constructor_DataMaskNotOneBitPerWord_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, data: new ModuleSegment(0x5000, ImmutableArray.Create(new byte[20]), BitVector.Zeros(3))), "Data.PointerMask", "one bit per word of the segment (2), has 3");

    [Fact]
    public void Constructor_BssMaskOneBitPerWholeWord_Accepted() =>
        Assert.Equal(2, new RuntimeState(Sample.Amd64, bss: new ModuleSegment(0x5000, ImmutableArray.Create(new byte[20]), BitVector.Zeros(2))).Bss.PointerMask.Length);

    [Fact]
    public void Constructor_DuplicateBucket_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, memProfBuckets: [new MemProfBucket(0x100, 8, [], 1, 0), new MemProfBucket(0x100, 16, [], 1, 0)]), "MemProfBuckets[1].Address", "unique");

    [Fact]
    public void Constructor_PauseNsNot256_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, memStats: new MemStats { PauseNs = ImmutableArray.Create(new ulong[255]) }), "MemStats.PauseNs", "exactly 256 entries, got 255");

    [Fact]
    public void Constructor_NullGoroutine_Throws() =>
        Rejected(() => new RuntimeState(Sample.Amd64, goroutines: [null!]), "Goroutines[0]", "is null");

    [Fact]
    public void With_ChangedPart_IsValidatedAgain()
    {
        var state = Sample.WithSpans(Span);
        Rejected(() => state.With(arenas: []), "Spans[0]", "not in use");
    }
}
