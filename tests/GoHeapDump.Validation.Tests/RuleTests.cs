using GoHeapDump.Testing;

namespace GoHeapDump.Validation.Tests;

/// <summary>
/// One test per rule: a minimal dump that breaks only that rule is reported with exactly that rule at the
/// offset marked while building it. The base dump (header, params with ptr 8 and heap
/// [0xc000000000, 0xc004000000), memstats, EOF) validates clean under the strict profile.
/// </summary>
public class RuleTests
{
    private const ulong Heap = 0xc000000000;

    private const ulong Heap32 = 0x0a000000;

    /// <summary>Header and params of a third-party producer; with 4-byte pointers the heap lies below 4 GiB (V12).</summary>
    private static DumpBytes Base(ulong ptrSize = 8) => ptrSize == 4
        ? DumpBytes.WithHeader().Params(ptrSize: 4, heapStart: Heap32, heapEnd: Heap32 + 0x400000)
        : DumpBytes.WithHeader().Params(ptrSize: ptrSize);

    private static byte[] End(DumpBytes dump) => dump.MemStats().Eof().ToArray();

    internal static ValidationReport Validate(byte[] dump, ValidationProfile profile = ValidationProfile.Strict) =>
        HeapDumpValidator.Validate(new MemoryStream(dump), "test.dump", new ValidationOptions { Profile = profile });

    /// <summary>The report holds exactly one diagnostic: <paramref name="rule"/> at <paramref name="offset"/>.</summary>
    internal static Diagnostic AssertOnly(ValidationReport report, string rule, long offset)
    {
        var all = string.Join("\n", report.Diagnostics);
        Assert.True(report.Diagnostics.Count == 1, $"expected only {rule} at {offset}, got:\n{all}");
        var d = report.Diagnostics[0];
        Assert.True(d.Rule.Id == rule && d.Offset == offset, $"expected {rule} at {offset}, got:\n{all}");
        Assert.Equal(1, report.CountsByRule[rule]);
        return d;
    }

    [Fact]
    public void Base_Dump_IsCleanUnderStrict()
    {
        var report = Validate(End(Base()));
        Assert.Empty(report.Diagnostics);
        Assert.True(report.Conforms);
        Assert.Equal(3, report.RecordCount);
    }

    // ---- S01–S09: the reader's structure errors become one diagnostic and end validation. ----

    [Theory]
    [InlineData("S01", "go1.8 heap dump\n", "", 4)]
    [InlineData("S02", "go1.7 heap dump\n", "08 ffffffffffffffffffff01 00 00", 26)]
    [InlineData("S03", "go1.7 heap dump\n", "08 ffffffffffffffffff02 00 00", 26)]
    [InlineData("S04", "go1.7 heap dump\n", "03 00 00 00 02 00", 20)]
    [InlineData("S05", "go1.7 heap dump\n", "12", 16)]
    [InlineData("S06", "go1.7 heap dump\n", "01 00 00 05 00 00", 19)]
    [InlineData("S07", "go1.7 heap dump\n", "01 00 05 aabb", 19)]
    public void StructureError_BecomesTheOnlyDiagnostic(string rule, string header, string hex, long offset)
    {
        var dump = new DumpBytes().Ascii(header).Hex(hex).ToArray();
        var report = Validate(dump);
        var d = AssertOnly(report, rule, offset);
        Assert.Equal(RuleSeverity.Error, d.Severity);
        Assert.NotNull(report.StructureError);
        Assert.False(report.Conforms);
    }

    [Fact]
    public void S08_EofRemoved_ReportedAtTheEnd()
    {
        var dump = Base().MemStats();
        var report = Validate(dump.ToArray());
        AssertOnly(report, "S08", dump.Length);
        Assert.NotNull(report.StructureError);
    }

    [Fact]
    public void S09_BytesAfterEof_ReportedAtTheFirst()
    {
        var dump = Base().MemStats().Eof();
        var at = dump.Mark;
        dump.Hex("0000");
        AssertOnly(Validate(dump.ToArray()), "S09", at);
    }

    [Fact]
    public void S10_NonMinimalUvarint_ReportedAtItsFirstByte()
    {
        var dump = Base();
        dump.U(9).U(1);
        var at = dump.Mark;
        dump.Hex("8000").U(1); // OS thread id 0 as 80 00
        var report = Validate(End(dump));
        var d = AssertOnly(report, "S10", at);
        Assert.Equal(RecordKind.OsThread, d.RecordKind);
        Assert.Equal(1, d.RecordIndex);
    }

    [Fact]
    public void S10_IsAWarningUnderTheDefaultProfile()
    {
        var dump = Base();
        dump.U(9).U(1).Hex("8000").U(1);
        var report = Validate(End(dump), ValidationProfile.Default);
        Assert.Equal(RuleSeverity.Warning, Assert.Single(report.Diagnostics).Severity);
        Assert.True(report.Conforms);
    }

    [Fact]
    public void S11_FirstRecordNotParams()
    {
        var report = Validate(DumpBytes.WithHeader().MemStats().Eof().ToArray());
        AssertOnly(report, "S11", 16);
    }

    [Fact]
    public void S12_SecondParams()
    {
        var dump = Base();
        var at = dump.Mark;
        dump.Params();
        AssertOnly(Validate(End(dump)), "S12", at);
    }

    [Fact]
    public void S13_NoMemStats_ReportedAtEof()
    {
        var dump = Base();
        var at = dump.Mark;
        AssertOnly(Validate(dump.Eof().ToArray()), "S13", at);
    }

    [Fact]
    public void S13_SecondMemStats()
    {
        var dump = Base().MemStats();
        var at = dump.Mark;
        AssertOnly(Validate(End(dump)), "S13", at);
    }

    [Fact]
    public void S14_ObjectAfterOsThread_IsAWarning()
    {
        var dump = Base().OsThread(0x5000);
        var at = dump.Mark;
        dump.Object(Heap, 16);
        var bytes = End(dump);
        AssertOnly(Validate(bytes), "S14", at);
        var lax = Validate(bytes, ValidationProfile.Default);
        Assert.True(lax.Conforms);
        Assert.Equal(1, lax.WarningCount);
    }

    [Fact]
    public void S15_LegacyFieldKind_ReportedAtTheKind()
    {
        var dump = Base().U(1).U(Heap).Zeros(16);
        var at = dump.Mark;
        dump.Hex("02 00  00"); // iface field at offset 0, then the end of the list
        AssertOnly(Validate(End(dump)), "S15", at);
    }

    [Fact]
    public void S16_OtherRoot()
    {
        var dump = Base();
        var at = dump.Mark;
        dump.OtherRoot("finq", Heap);
        AssertOnly(Validate(End(dump)), "S16", at);
    }

    // ---- Values ----

    [Fact]
    public void V01_PointerSize5_ReportedAtTheValue()
    {
        // 16: tag 06, big_endian at 17, ptr_size at 18.
        AssertOnly(Validate(End(Base(ptrSize: 5))), "V01", 18);
    }

    [Fact]
    public void V02_HeapStartAboveEnd_ReportedAtHeapEnd()
    {
        // 16: tag, 17: bool, 18: ptr, 19-20: heap start 0x2000 (80 40), 21-22: heap end 0x1000 (80 20).
        var dump = DumpBytes.WithHeader().Params(heapStart: 0x2000, heapEnd: 0x1000);
        AssertOnly(Validate(End(dump)), "V02", 21);
    }

    [Theory]
    [InlineData("at heap end", 0xc004000000UL, 16)]
    [InlineData("below heap start", 0xbffffffff0UL, 16)]
    [InlineData("straddling heap end", 0xc003fffff0UL, 32)]
    public void V03_ObjectOutsideHeap_ReportedAtTheAddress(string description, ulong address, int size)
    {
        var dump = Base();
        var at = dump.Mark + 1;
        dump.Object(address, size);
        var d = AssertOnly(Validate(End(dump)), "V03", at);
        Assert.True(d.RecordKind == RecordKind.Object, description);
    }

    [Fact]
    public void V03_ObjectEndingAtHeapEnd_IsInside()
    {
        Assert.Empty(Validate(End(Base().Object(0xc003fffff0, 16))).Diagnostics);
    }

    [Theory]
    [InlineData(8UL, 4UL)]
    [InlineData(4UL, 2UL)]
    public void V04_MisalignedField_ReportedAtItsOffset(ulong ptrSize, ulong fieldOffset)
    {
        var dump = Base(ptrSize).U(1).U(ptrSize == 4 ? Heap32 : Heap).Zeros(32).U(1);
        var at = dump.Mark;
        dump.U(fieldOffset).U(0);
        AssertOnly(Validate(End(dump)), "V04", at);
    }

    [Theory]
    [InlineData("object", 1)]
    [InlineData("data", 12)]
    [InlineData("bss", 13)]
    public void V05_FieldPastContents_ReportedAtItsOffset(string description, ulong tag)
    {
        // 16 bytes of contents, fields at 8 (fits) and 16 (does not).
        var dump = Base();
        if (tag == 1)
        {
            dump.U(tag).U(Heap).Zeros(16).U(1).U(8).U(1);
        }
        else
        {
            dump.U(tag).U(0x600000).Zeros(16).U(1).U(8).U(1);
        }

        var at = dump.Mark;
        dump.U(16).U(0);
        var d = AssertOnly(Validate(End(dump)), "V05", at);
        Assert.True(d.RecordKind == (RecordKind)tag, description);
    }

    [Fact]
    public void V05_FieldStraddlingTheEnd_Reported()
    {
        // 12 bytes of contents with ptr size 4: a field at 12 does not fit, one at 8 does (12 = 8 + 4).
        var dump = Base(4).U(1).U(Heap32).Zeros(12).U(1).U(8).U(1);
        var at = dump.Mark;
        dump.U(12).U(0);
        AssertOnly(Validate(End(dump)), "V05", at);
    }

    [Theory]
    [InlineData("decreasing", 8UL, 0UL)]
    [InlineData("repeated", 8UL, 8UL)]
    public void V06_FieldsNotIncreasing_ReportedAtTheSecond(string description, ulong first, ulong second)
    {
        var dump = Base().U(1).U(Heap).Zeros(16).U(1).U(first).U(1);
        var at = dump.Mark;
        dump.U(second).U(0);
        var d = AssertOnly(Validate(End(dump)), "V06", at);
        Assert.True(d.Rule.Slug == "field-order", description);
    }

    [Fact]
    public void V07_ObjectStartingInsideAnother_ReportedAtTheLaterStart()
    {
        var dump = Base().Object(Heap, 32);
        var at = dump.Mark + 1;
        dump.Object(Heap + 16, 16);
        var d = AssertOnly(Validate(End(dump)), "V07", at);
        Assert.Equal(2, d.RecordIndex);
        Assert.Contains("0xc000000000", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void V07_ObjectDumpedTwice_ReportedAtTheSecond()
    {
        var dump = Base().Object(Heap, 32).Object(Heap + 64, 32);
        var at = dump.Mark + 1;
        dump.Object(Heap, 32);
        var d = AssertOnly(Validate(End(dump)), "V07", at);
        Assert.Equal(3, d.RecordIndex);
    }

    [Fact]
    public void V07_HigherAddressEarlierInFile_ReportedAtTheHigherAddress()
    {
        // The object at +16 comes first in the file but starts inside the 32-byte object written after it.
        var dump = Base();
        var at = dump.Mark + 1;
        dump.Object(Heap + 16, 16).Object(Heap, 32);
        AssertOnly(Validate(End(dump)), "V07", at);
    }

    [Fact]
    public void V07_ObjectInsideARunOfContiguousObjects_Reported()
    {
        // Three contiguous objects form one run; a fourth starts inside the middle one.
        var dump = Base().Object(Heap, 16).Object(Heap + 16, 16).Object(Heap + 32, 16).Object(Heap + 256, 16);
        var at = dump.Mark + 1;
        dump.Object(Heap + 24, 8);
        var d = AssertOnly(Validate(End(dump)), "V07", at);
        Assert.Contains("0xc000000010", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void V07_OverlapInANonSeekableStream_ReportedWithoutOffset()
    {
        var dump = End(Base().Object(Heap, 32).Object(Heap + 8, 8));
        var report = HeapDumpValidator.Validate(new PipeStream(dump), "pipe", new ValidationOptions());
        var d = Assert.Single(report.Diagnostics);
        Assert.Equal("V07", d.Rule.Id);
        Assert.Equal(-1, d.Offset);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(2UL)]
    [InlineData(6UL)]
    public void V08_GoroutineStatus_ReportedAtTheStatus(ulong status)
    {
        var dump = Base().U(4).U(0x3000).U(0).U(1).U(0x401000);
        var at = dump.Mark;
        dump.U(status).Bool(false).Bool(false).U(0).Str("").U(0).U(0).U(0).U(0);
        AssertOnly(Validate(End(dump)), "V08", at);
    }

    [Fact]
    public void V09_MisalignedFrameField_IsAWarning()
    {
        var dump = Base().Goroutine(0x3000, sp: 0x8000).U(5).U(0x8000).U(0).U(0).Zeros(32).U(0x401000).U(0x401010).U(0x401010).Str("main.f").U(1);
        var at = dump.Mark;
        dump.U(4).U(0);
        var bytes = End(dump);
        AssertOnly(Validate(bytes), "V09", at);
        Assert.True(Validate(bytes, ValidationProfile.Default).Conforms);
    }

    [Fact]
    public void V10_FrameFieldPastContents_IsAWarning()
    {
        var dump = Base().Goroutine(0x3000, sp: 0x8000).U(5).U(0x8000).U(0).U(0).Zeros(16).U(0x401000).U(0x401010).U(0x401010).Str("main.f").U(1);
        var at = dump.Mark;
        dump.U(16).U(0);
        var bytes = End(dump);
        AssertOnly(Validate(bytes), "V10", at);
        Assert.True(Validate(bytes, ValidationProfile.Default).Conforms);
    }

    [Fact]
    public void V10_NotCheckedForGo16Headers()
    {
        // Go 1.5/1.6 list goexit's argument slots past the frame's contents.
        var dump = DumpBytes.WithHeader("go1.6").ParamsTheChar().Goroutine(0x3000, sp: 0x8000)
            .Frame(0x8000, 0, 0, 16, "runtime.goexit", 16, 24);
        Assert.Empty(Validate(End(dump.Data(0x5a0000, 8).Bss(0x5b0000, 8))).Diagnostics);
    }

    [Fact]
    public void V11_BackgroundGoroutine_IsAWarning()
    {
        var dump = Base().U(4).U(0x3000).U(0).U(1).U(0x401000).U(4).Bool(false);
        var at = dump.Mark;
        dump.Bool(true).U(0).Str("").U(0).U(0).U(0).U(0);
        AssertOnly(Validate(End(dump)), "V11", at);
    }

    // ---- References ----

    [Fact]
    public void R01_FrameWithoutGoroutine()
    {
        var dump = Base();
        var at = dump.Mark;
        dump.Frame(0x8000, 0, 0, 16);
        AssertOnly(Validate(End(dump)), "R01", at);
    }

    [Fact]
    public void R01_FrameAfterItsGoroutinesDefers()
    {
        var dump = Base().Goroutine(0x3000, sp: 0x8000, topDefer: 0x3100).Frame(0x8000, 0, 0, 16).Defer(0x3100, 0x3000, 0);
        var at = dump.Mark;
        dump.Frame(0x8040, 1, 0x8000, 16);
        AssertOnly(Validate(End(dump)), "R01", at);
    }

    [Fact]
    public void R02_DepthSkipsOne_ReportedAtTheDepth()
    {
        var dump = Base().Goroutine(0x3000, sp: 0x8000).Frame(0x8000, 0, 0, 16).U(5).U(0x8040);
        var at = dump.Mark;
        dump.U(2).U(0x8000).Zeros(16).U(0x401000).U(0x401010).U(0x401010).Str("main.g").Fields();
        AssertOnly(Validate(End(dump)), "R02", at);
    }

    [Fact]
    public void R03_ChildSpNotThePreviousSp_ReportedAtTheChildSp()
    {
        var dump = Base().Goroutine(0x3000, sp: 0x8000).Frame(0x8000, 0, 0, 16).U(5).U(0x8040).U(1);
        var at = dump.Mark;
        dump.U(0x8008).Zeros(16).U(0x401000).U(0x401010).U(0x401010).Str("main.g").Fields();
        AssertOnly(Validate(End(dump)), "R03", at);
    }

    [Fact]
    public void R03_InnermostChildSpNotZero()
    {
        var dump = Base().Goroutine(0x3000, sp: 0x8000).U(5).U(0x8000).U(0);
        var at = dump.Mark;
        dump.U(0x7000).Zeros(16).U(0x401000).U(0x401010).U(0x401010).Str("main.g").Fields();
        AssertOnly(Validate(End(dump)), "R03", at);
    }

    [Fact]
    public void R04_GoroutineSpDiffersFromFrame_ReportedAtTheGoroutineSp()
    {
        var dump = Base().U(4).U(0x3000);
        var at = dump.Mark;
        dump.U(0x7ff0).U(1).U(0x401000).U(4).Bool(false).Bool(false).U(0).Str("").U(0).U(0).U(0).U(0);
        dump.Frame(0x8000, 0, 0, 16);
        var d = AssertOnly(Validate(End(dump)), "R04", at);
        Assert.Equal(RecordKind.Goroutine, d.RecordKind);
    }

    [Theory]
    [InlineData("amd64", 8, true)]
    [InlineData("386", 4, true)]
    [InlineData("wasm", 8, true)]
    [InlineData("arm64", 8, false)]
    [InlineData("arm", 4, false)]
    public void R04_FrameOneWordAboveSp_CleanOnlyWithoutALinkRegister(string arch, int ptrSize, bool clean)
    {
        // Go: traceback.go: with traceback pc 0 (a nil call), 386/amd64/wasm pop the return address at sp.
        var ptr = (ulong)ptrSize;
        var dump = DumpBytes.WithHeader().Params(ptrSize: ptr, heapStart: 0x0c000000, heapEnd: 0x0c400000, arch: arch).U(4).U(0x3000);
        var at = dump.Mark;
        dump.U(0x7ff0).U(1).U(0x401000).U(4).Bool(false).Bool(false).U(0).Str("").U(0).U(0).U(0).U(0);
        dump.Frame(0x7ff0 + ptr, 0, 0, 16);
        var report = Validate(End(dump));
        if (clean)
        {
            Assert.True(report.Diagnostics.Count == 0, string.Join("\n", report.Diagnostics));
        }
        else
        {
            AssertOnly(report, "R04", at);
        }
    }

    [Fact]
    public void R04_FrameOneWordAboveSp_OldHeaderX86IsClean()
    {
        var dump = DumpBytes.WithHeader("go1.5").ParamsTheChar('6').U(4).U(0x3000);
        dump.U(0x7ff0).U(1).U(0x401000).U(4).Bool(false).Bool(false).U(0).Str("").U(0).U(0).U(0).U(0);
        dump.Frame(0x7ff8, 0, 0, 16);
        var report = Validate(End(dump.Data(0x5a0000, 8).Bss(0x5b0000, 8)));
        Assert.True(report.Diagnostics.Count == 0, string.Join("\n", report.Diagnostics));
    }

    [Fact]
    public void R05_DeferNamingAnotherGoroutine_ReportedAtTheGoroutineField()
    {
        var dump = Base().Goroutine(0x3000, topDefer: 0x3100).U(14).U(0x3100);
        var at = dump.Mark;
        dump.U(0x4000).U(0).U(0).U(0).U(0).U(0);
        AssertOnly(Validate(End(dump)), "R05", at);
    }

    [Fact]
    public void R05_DeferWithoutGoroutine()
    {
        var dump = Base();
        var at = dump.Mark;
        dump.Defer(0x3100, 0x3000, 0);
        AssertOnly(Validate(End(dump)), "R05", at);
    }

    [Fact]
    public void R06_FirstDeferIsNotTheTopDefer()
    {
        var dump = Base().Goroutine(0x3000, topDefer: 0x3100);
        var at = dump.Mark + 1;
        dump.Defer(0x3180, 0x3000, 0);
        AssertOnly(Validate(End(dump)), "R06", at);
    }

    [Fact]
    public void R06_TopDeferWithoutDeferRecords_ReportedAtTopDefer()
    {
        var dump = Base().U(4).U(0x3000).U(0).U(1).U(0x401000).U(4).Bool(false).Bool(false).U(0).Str("").U(0).U(0);
        var at = dump.Mark;
        dump.U(0x3100).U(0);
        AssertOnly(Validate(End(dump)), "R06", at);
    }

    [Fact]
    public void R06_ChainLinkWithoutRecord_ReportedAtTheLink()
    {
        var dump = Base().Goroutine(0x3000, topDefer: 0x3100).U(14).U(0x3100).U(0x3000).U(0).U(0).U(0).U(0);
        var at = dump.Mark;
        dump.U(0x3200);
        AssertOnly(Validate(End(dump)), "R06", at);
    }

    [Fact]
    public void R07_PanicNamingAnotherGoroutine()
    {
        var dump = Base().Goroutine(0x3000, topPanic: 0x3300).U(15).U(0x3300);
        var at = dump.Mark;
        dump.U(0x4000).U(0).U(0).U(0).U(0);
        AssertOnly(Validate(End(dump)), "R07", at);
    }

    [Fact]
    public void R07_PanicWithoutGoroutine()
    {
        var dump = Base();
        var at = dump.Mark;
        dump.Panic(0x3300, 0x3000, 0);
        AssertOnly(Validate(End(dump)), "R07", at);
    }

    [Fact]
    public void R08_PanicChainBroken()
    {
        var dump = Base().Goroutine(0x3000, topPanic: 0x3300).Panic(0x3300, 0x3000, 0x3400);
        var at = dump.Mark + 1;
        dump.Panic(0x3500, 0x3000, 0);
        AssertOnly(Validate(End(dump)), "R08", at);
    }

    [Fact]
    public void R08_PanicAfterTheChainEnded()
    {
        var dump = Base().Goroutine(0x3000);
        var at = dump.Mark + 1;
        dump.Panic(0x3300, 0x3000, 0);
        AssertOnly(Validate(End(dump)), "R08", at);
    }

    [Fact]
    public void R09_ItabTypeWithoutTypeRecord_ReportedAtTheType()
    {
        var dump = Base().Type(0x4a0000, 8, "main.T").U(8).U(0x4b0000);
        var at = dump.Mark;
        dump.U(0x4a0100);
        AssertOnly(Validate(End(dump)), "R09", at);
    }

    [Fact]
    public void R09_TypeRecordAfterTheItab_StillReported()
    {
        var dump = Base().U(8).U(0x4b0000);
        var at = dump.Mark;
        dump.U(0x4a0000).Type(0x4a0000, 8, "main.T");
        AssertOnly(Validate(End(dump)), "R09", at);
    }

    [Fact]
    public void R10_AllocSampleBucketUnknown()
    {
        var dump = Base().Object(Heap, 16).MemStats().MemProf(0x7000).U(17).U(Heap);
        var at = dump.Mark;
        dump.U(0x7100).Eof();
        AssertOnly(Validate(dump.ToArray()), "R10", at);
    }

    [Fact]
    public void R11_AllocSampleObjectNotDumped()
    {
        var dump = Base().Object(Heap, 16).MemStats().MemProf(0x7000).U(17);
        var at = dump.Mark;
        dump.U(Heap + 16).U(0x7000).Eof();
        AssertOnly(Validate(dump.ToArray()), "R11", at);
    }

    [Theory]
    [InlineData(7UL)]
    [InlineData(11UL)]
    public void R12_FinalizerObjectNotDumped(ulong tag)
    {
        var dump = Base().Object(Heap, 16).U(tag);
        var at = dump.Mark;
        dump.U(Heap + 0x100).U(0x500000).U(0x401000).U(0x600000).U(0x600100);
        AssertOnly(Validate(End(dump)), "R12", at);
    }

    [Fact]
    public void R13_GoroutineMWithoutOsThread_ReportedAtM()
    {
        var dump = Base().U(4).U(0x3000).U(0).U(1).U(0x401000).U(4).Bool(false).Bool(false).U(0).Str("").U(0);
        var at = dump.Mark;
        dump.U(0x5000).U(0).U(0).OsThread(0x5100);
        AssertOnly(Validate(End(dump)), "R13", at);
    }

    [Fact]
    public void R14_GoroutineDumpedTwice_ReportedAtTheSecondAddress()
    {
        var dump = Base().Goroutine(0x3000, goid: 1);
        var at = dump.Mark + 1;
        dump.Goroutine(0x3000, goid: 2);
        AssertOnly(Validate(End(dump)), "R14", at);
    }

    [Fact]
    public void Catalogue_EveryRuleHasATestHere()
    {
        var tested = typeof(RuleTests).GetMethods().Concat(typeof(RuntimeGuaranteeTests).GetMethods())
            .Select(m => m.Name[..3])
            .ToHashSet(StringComparer.Ordinal);
        tested.UnionWith(["S01", "S02", "S03", "S04", "S05", "S06", "S07"]); // the StructureError theory
        var missing = ValidationRules.Catalogue.Select(r => r.Id).Where(id => !tested.Contains(id)).ToList();
        Assert.True(missing.Count == 0, "rules without a test: " + string.Join(", ", missing));
    }
}
