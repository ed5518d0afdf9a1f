using System.Collections.Immutable;
using GoHeapDump.Runtime;

namespace GoHeapDump.Reference.Tests;

/// <summary>Go: heapdump.go dumpframe over gentraceback's frames: the stack-map rules, outgoing arguments, depth and child sp.</summary>
public class DumpFrameTests
{
    private static readonly RuntimePlatform Arm64 = RuntimePlatform.ForArch("arm64", "go1.19.8", 4);

    /// <summary>The goroutine record of <see cref="Run"/>: 0x2000, sp 0x1000, goid 1, runnable, everything else 0.</summary>
    private const string GoroutineRecord = """
        04 80 40 80 20 01 00 01 00*8   # goroutine 0x2000, sp 0x1000, goid 1, gopc 0, runnable, 8 zero fields
        """;

    private static FuncInfo F(StackMap? locals = null, StackMap? args = null, PcTable<int>? index = null, string name = "main.f", ulong entry = 0x401000) => new()
    {
        Entry = entry,
        End = entry + 0x100,
        Name = name,
        LocalsPointerMaps = locals,
        ArgsPointerMaps = args,
        StackMapIndex = index,
    };

    /// <summary>An amd64 frame: [sp, sp+size), varp = fp − 16 (return address and frame pointer), argp = fp.</summary>
    private static StackFrame Frame(FuncInfo fn, ulong sp, ulong size, ulong pc, ulong argLen = 0, byte fill = 0) => new()
    {
        Function = fn,
        Pc = pc,
        ContinuationPc = pc,
        Sp = sp,
        Fp = sp + size,
        Varp = sp + size - 16,
        Argp = sp + size,
        ArgLen = argLen,
        Contents = ImmutableArray.Create(Enumerable.Range(0, (int)size).Select(i => (byte)(fill + i)).ToArray()),
    };

    private static byte[] Run(RuntimePlatform platform, params StackFrame[] frames) =>
        HeapDumpWriter.ToBytes(new RuntimeState(platform, goroutines: [new Goroutine { Address = 0x2000, Status = GoroutineStatus.Runnable, Goid = 1, SchedSp = frames[0].Sp, SchedPc = frames[0].Pc, Frames = [.. frames] }]));

    private static string Params(string arch) => $"""
        06 00 08 00 00 05 "{arch}" 08 "go1.19.8" 04   # params, no arenas
        """;

    /// <summary>One amd64 frame at 0x1000, 0x30 bytes 00 01 02 …, in main.f, with the given pc bytes and fields.</summary>
    private static byte[] OneFrame(string pc, string fields) => Fixture.Hex(
        Fixture.Header,
        Params("amd64"),
        GoroutineRecord,
        $"""
        05                     # stack frame
        80 20                  # sp 0x1000
        00                     # depth 0
        00                     # child sp: none
        30                     # contents [sp, fp): 48 bytes 00 01 02 …
        000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f
        80 a0 80 02            # entry 0x401000
        {pc}                   # pc
        {pc}                   # continuation pc
        06 "main.f"
        {fields}
        00                     # end of fields
        """,
        Fixture.Tail);

    private static readonly StackMap TwoMaps = StackMap.Of(BitVector.Parse("10"), BitVector.Parse("01"));

    // Locals bitmaps of 2 words sit below varp: base offset varp − 2·8 − sp = 0x20 − 0x10 = 0x10.
    // Bitmap "10" gives a pointer at 0x10, bitmap "01" at 0x18.

    [Fact]
    public void Write_PcAtEntry_UsesMapZeroWhateverTheTableSays() =>
        Bytes.Equal(
            OneFrame("80 a0 80 02", "01 10   # bitmap 0 (\"10\"): the entry PC uses the entry map"),
            Run(Fixture.Amd64, Frame(F(TwoMaps, index: PcTable.Constant(0x401100UL, 1)), 0x1000, 0x30, 0x401000)));

    [Fact]
    public void Write_PcAfterEntry_UsesTheIndexAtPcMinusOne() =>
        Bytes.Equal(
            OneFrame("90 a0 80 02", "01 18   # bitmap 1 (\"01\")"),
            Run(Fixture.Amd64, Frame(F(TwoMaps, index: PcTable.Constant(0x401100UL, 1)), 0x1000, 0x30, 0x401010)));

    [Fact]
    public void Write_PcAtRunBoundary_LooksUpTheRunBefore() =>
        // pc 0x401080 starts the run of index 1, but pc − 1 = 0x40107f is in the run of index 0.
        Bytes.Equal(
            OneFrame("80 a1 80 02", "01 10   # bitmap 0"),
            Run(Fixture.Amd64, Frame(F(TwoMaps, index: PcTable.Of(new PcRun<int>(0x401080, 0), new PcRun<int>(0x401100, 1))), 0x1000, 0x30, 0x401080)));

    [Fact]
    public void Write_IndexMinusOne_TakenAsZero() =>
        Bytes.Equal(
            OneFrame("90 a0 80 02", "01 10   # −1 (\"likely the prologue\") → bitmap 0"),
            Run(Fixture.Amd64, Frame(F(TwoMaps, index: PcTable.Of(new PcRun<int>(0x401008, 1), new PcRun<int>(0x401100, -1))), 0x1000, 0x30, 0x401010)));

    [Fact]
    public void Write_NoIndexTable_TakenAsZero() =>
        Bytes.Equal(
            OneFrame("90 a0 80 02", "01 10   # no PCDATA table: −1 → bitmap 0"),
            Run(Fixture.Amd64, Frame(F(TwoMaps), 0x1000, 0x30, 0x401010)));

    [Fact]
    public void Write_WideLocalsBitmap_ExactPointers() =>
        // 4 words fill varp − sp = 0x20: base 0; bits 0, 2, 3.
        Bytes.Equal(
            OneFrame("90 a0 80 02", "01 00 01 10 01 18"),
            Run(Fixture.Amd64, Frame(F(StackMap.Of(BitVector.Parse("1011"))), 0x1000, 0x30, 0x401010)));

    [Fact]
    public void Write_NoLocalsMap_EveryWordBelowVarp() =>
        Bytes.Equal(
            OneFrame("90 a0 80 02", "01 00 01 08 01 10 01 18   # from child arglen 0 to varp − sp = 0x20"),
            Run(Fixture.Amd64, Frame(F(), 0x1000, 0x30, 0x401010)));

    [Fact]
    public void Write_NegativeLocalsCount_TheLocalsSizeWords() =>
        Bytes.Equal(
            OneFrame("90 a0 80 02", "01 10 01 18   # the 16 bytes below varp"),
            Run(Fixture.Amd64, Frame(F(StackMap.LocalsSize(16)), 0x1000, 0x30, 0x401010)));

    [Fact]
    public void Write_LocalsMapWithoutBitmaps_NoLocalsFields() =>
        Bytes.Equal(
            OneFrame("90 a0 80 02", ""),
            Run(Fixture.Amd64, Frame(F(new StackMap { Count = 0 }), 0x1000, 0x30, 0x401010)));

    /// <summary>arm64 callee and caller: MinFrameSize 8, so the callee's arguments start at caller sp + 8 (argoff 8).</summary>
    private static StackFrame[] Arm64Pair(FuncInfo callee, FuncInfo caller, ulong argLen) =>
    [
        new StackFrame
        {
            Function = callee, Pc = 0x401010, ContinuationPc = 0x401010, Sp = 0x1000, Fp = 0x1020, Varp = 0x1018, Argp = 0x1028,
            ArgLen = argLen, Contents = ImmutableArray.Create(new byte[0x20]),
        },
        new StackFrame
        {
            Function = caller, Pc = 0x401110, ContinuationPc = 0x401110, Sp = 0x1020, Fp = 0x1060, Varp = 0x1058, Argp = 0x1068,
            Contents = ImmutableArray.Create(new byte[0x40]),
        },
    ];

    private static byte[] Arm64PairBytes(string callerFields) => Fixture.Hex(
        Fixture.Header,
        Params("arm64"),
        GoroutineRecord,
        """
        05 80 20 00 00         # callee: sp 0x1000, depth 0, no child
        20 00*32
        80 a0 80 02 90 a0 80 02 90 a0 80 02   # entry 0x401000, pc and continuation 0x401010
        01 "c"
        00                     # no locals (map without bitmaps), no outgoing args
        05
        a0 20                  # caller: sp 0x1020
        01                     # depth 1
        80 20                  # child sp 0x1000
        40 00*64
        80 a2 80 02 90 a2 80 02 90 a2 80 02   # entry 0x401100, pc and continuation 0x401110
        01 "p"
        """,
        callerFields,
        "00",
        Fixture.Tail);

    [Fact]
    public void Write_CalleeArgsMap_CallerListsItsPointersAtArgOffset()
    {
        var callee = F(new StackMap { Count = 0 }, args: StackMap.Of(BitVector.Parse("101")), name: "c");
        var caller = F(new StackMap { Count = 0 }, name: "p", entry: 0x401100);
        Bytes.Equal(
            Arm64PairBytes("01 08 01 18   # callee args \"101\" at argoff = argp − fp = 8"),
            Run(Arm64, Arm64Pair(callee, caller, 24)));
    }

    [Fact]
    public void Write_CalleeWithoutArgsMap_CallerListsEveryArgumentWord()
    {
        var callee = F(new StackMap { Count = 0 }, name: "c");
        var caller = F(new StackMap { Count = 0 }, name: "p", entry: 0x401100);
        Bytes.Equal(
            Arm64PairBytes("01 08 01 10 01 18   # conservative: argoff 8 up to 8 + arglen 24"),
            Run(Arm64, Arm64Pair(callee, caller, 24)));
    }

    [Fact]
    public void Write_CalleeArgsBitmap_ChosenByTheCalleesStackMapIndex()
    {
        var callee = F(new StackMap { Count = 0 }, args: StackMap.Of(BitVector.Parse("1"), BitVector.Parse("0")), index: PcTable.Constant(0x401100UL, 1), name: "c");
        var caller = F(new StackMap { Count = 0 }, name: "p", entry: 0x401100);
        Bytes.Equal(
            Arm64PairBytes("              # callee args bitmap 1 (\"0\"): no pointers"),
            Run(Arm64, Arm64Pair(callee, caller, 8)));
    }

    [Fact]
    public void Write_CallerWithoutLocalsMap_ConservativeLocalsStartAtCalleeArgLen()
    {
        // The locals loop starts at child.arglen, not argoff + arglen: with argoff 8 the word at 24 is listed twice.
        var callee = F(new StackMap { Count = 0 }, args: StackMap.Of(BitVector.Parse("101")), name: "c");
        var caller = F(null, name: "p", entry: 0x401100);
        Bytes.Equal(
            Arm64PairBytes("""
                01 08 01 18               # outgoing args (callee map)
                01 18 01 20 01 28 01 30   # locals: from arglen 24 to varp − sp = 0x38
                """),
            Run(Arm64, Arm64Pair(callee, caller, 24)));
    }

    [Fact]
    public void Write_ThreeFrames_DepthChildSpAndEveryMapKind()
    {
        var leaf = F(TwoMaps, StackMap.Of(BitVector.Parse("1"), BitVector.Parse("0")), PcTable.Of(new PcRun<int>(0x401080, 0), new PcRun<int>(0x401100, 1)), "main.leaf");
        var mid = F(name: "main.mid", entry: 0x401100);
        var top = F(StackMap.LocalsSize(16), name: "", entry: 0x401200);
        StackFrame[] frames =
        [
            Frame(leaf, 0x1000, 0x30, 0x401090, argLen: 8, fill: 0x00),
            Frame(mid, 0x1030, 0x28, 0x401150, argLen: 16, fill: 0x30),
            Frame(top, 0x1058, 0x28, 0x401200, fill: 0x58) with { ContinuationPc = 0 },
        ];

        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                Params("amd64"),
                GoroutineRecord,
                """
                05 80 20 00 00                 # main.leaf: sp 0x1000, depth 0, no child
                30 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f
                80 a0 80 02                    # entry 0x401000
                90 a1 80 02 90 a1 80 02        # pc, continuation 0x401090: index at 0x40108f is 1
                09 "main.leaf"
                01 18                          # locals bitmap 1 ("01") at base 0x10
                00
                05 b0 20 01 80 20              # main.mid: sp 0x1030, depth 1, child sp 0x1000
                28 303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f5051525354555657
                80 a2 80 02                    # entry 0x401100
                d0 a2 80 02 d0 a2 80 02        # pc, continuation 0x401150
                08 "main.mid"
                                               # outgoing args: leaf's args bitmap 1 ("0"): none
                01 08 01 10                    # no locals map: from leaf's arglen 8 to varp − sp = 0x18
                00
                05 d8 20 02 b0 20              # unnamed: sp 0x1058, depth 2, child sp 0x1030
                28 58595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f
                80 a4 80 02                    # entry 0x401200
                80 a4 80 02                    # pc at the entry
                00                             # continuation 0 (after a panic)
                10 "unknown function"          # empty name
                01 00 01 08                    # outgoing args: mid has no args map: argoff 0 up to its arglen 16
                01 08 01 10                    # locals size 16: from varp − 16 − sp = 8 to 0x18
                00
                """,
                Fixture.Tail),
            Run(Fixture.Amd64, frames));
    }

    [Fact]
    public void Write_32BitFrame_FourByteWords()
    {
        // 386: no frame pointer, varp = fp − 4 (return address). Frame [0x1000, 0x1018), varp 0x1014.
        var platform = RuntimePlatform.ForArch("386", "go1.19.8", 4);
        var frame = new StackFrame
        {
            Function = F(StackMap.Of(BitVector.Parse("11"))), Pc = 0x401010, ContinuationPc = 0x401010,
            Sp = 0x1000, Fp = 0x1018, Varp = 0x1014, Argp = 0x1018, Contents = ImmutableArray.Create(new byte[0x18]),
        };
        Bytes.Equal(
            Fixture.Hex(
                Fixture.Header,
                """06 00 04 00 00 03 "386" 08 "go1.19.8" 04""",
                GoroutineRecord,
                """
                05 80 20 00 00 18 00*24
                80 a0 80 02 90 a0 80 02 90 a0 80 02 06 "main.f"
                01 0c 01 10                    # base varp − 2·4 − sp = 0x0c; words of 4 bytes
                00
                """,
                Fixture.Tail),
            Run(platform, frame));
    }

    [Fact]
    public void Write_FirstFrameWithoutFunction_ThrowsUnknownPc()
    {
        var state = new RuntimeState(Fixture.Amd64, goroutines: [new Goroutine { Address = 0x2000, Status = GoroutineStatus.Waiting, Goid = 9, SchedSp = 0x1000, SchedPc = 0x77, Frames = [Frame(F(), 0x1000, 0x30, 0x401010) with { Function = null, Pc = 0x77 }] }]);
        var e = Assert.Throws<InvalidRuntimeStateException>(() => HeapDumpWriter.ToBytes(state));
        Assert.Equal("unknown pc", e.GoThrow);
        Assert.Equal("runtime: g 9: unknown pc 0x77", e.RuntimePrint);
    }

    [Fact]
    public void Write_CallerWithoutFunction_ThrowsBeforeTheCalleeIsDumped()
    {
        // The callee's 8 KiB of contents would be written straight through if its record were dumped.
        var big = Frame(F(new StackMap { Count = 0 }), 0x1000, 0x2000, 0x401010);
        var orphan = Frame(F(), 0x3000, 0x30, 0x401010) with { Function = null, Pc = 0x99 };
        var sink = new RecordingDumpSink();
        var state = new RuntimeState(Fixture.Amd64, goroutines: [new Goroutine { Address = 0x2000, Status = GoroutineStatus.Waiting, Goid = 9, SchedSp = 0x1000, SchedPc = big.Pc, Frames = [big, orphan] }]);

        var e = Assert.Throws<InvalidRuntimeStateException>(() => HeapDumpWriter.Write(state, sink));

        Assert.Equal("unknown caller pc", e.GoThrow);
        Assert.Equal("runtime: g 9: unexpected return pc for main.f called from 0x99", e.RuntimePrint);
        Assert.Empty(sink.CallLengths);
    }

    [Fact]
    public void Write_UnresolvableThirdFrame_TheFirstIsDumpedThenThrows()
    {
        var big = Frame(F(new StackMap { Count = 0 }), 0x1000, 0x2000, 0x401010);
        var second = Frame(F(new StackMap { Count = 0 }), 0x3000, 0x30, 0x401010);
        var orphan = Frame(F(), 0x3030, 0x30, 0x401010) with { Function = null };
        var sink = new RecordingDumpSink();
        var state = new RuntimeState(Fixture.Amd64, goroutines: [new Goroutine { Address = 0x2000, Status = GoroutineStatus.Waiting, Goid = 9, SchedSp = 0x1000, SchedPc = big.Pc, Frames = [big, second, orphan] }]);

        var e = Assert.Throws<InvalidRuntimeStateException>(() => HeapDumpWriter.Write(state, sink));

        // Buffered: 16 header + 21 params + 16 goroutine record (04 80 40 80 20 09 00 04 00 00 00 00 00 00 00 00)
        // + 7 frame head (05 80 20 00 00 80 40) = 60; the first frame's 8192 bytes of contents go straight through.
        // Then the second frame is not dumped: unwinding it finds the unresolvable caller.
        Assert.Equal("unknown caller pc", e.GoThrow);
        Assert.Equal([60, 8192], sink.CallLengths);
    }
}
