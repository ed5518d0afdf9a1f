using GoHeapDump.Validation;

namespace GoHeapDump.Fixtures;

public static partial class Catalog
{
    /// <summary>
    /// Invalid dumps built from described record lists: truncated inside each record kind, cut before EOF,
    /// bytes after EOF (parse failures); and one defect per validator rule (they parse; the validator reports
    /// exactly the rule).
    /// </summary>
    public static IReadOnlyList<RecordsFixture> InvalidRecordFixtures { get; } = [.. Truncations(), .. RuleViolations()];

    private static ParamsRecord Params => ParamsRecord.WithArch(false, 8, HeapStart, HeapEnd, "amd64", "go1.19.8", 4);

    private static IEnumerable<RecordsFixture> Truncations()
    {
        RecordsFixture Cut(string kind, HeapDumpRecord record, string field, string what) => new(
            $"invalid/S07-truncated-in-{kind}",
            $"The input ends inside a {kind} record, in {what}: S07 at {(field.EndsWith(".body", StringComparison.Ordinal) ? "the first byte of the string's body (its length exceeds what remains)" : "the end of input (inside a uvarint)")}. Parsers return the records before it.",
            Tags("S07", "truncated", kind),
            HeaderVersion.Go17,
            record is ParamsRecord ? [record] : [Params, record],
            new CutInside(record is ParamsRecord ? 0 : 1, field),
            "S07");

        yield return Cut("params", Params, "arch.body", "the arch string");
        yield return Cut("object", new ObjectRecord(ObjA, Le64(ObjB, 0), F(Field.Ptr(0))), "contents.body", "its contents");
        yield return Cut("other_root", new OtherRootRecord("finalizer queue", ObjA), "description.body", "its description");
        yield return Cut("type", new TypeRecord(TypeT, 8, "*main.T", true), "name.body", "its name");
        yield return Cut("goroutine", Goroutine(G1, G1Sp, 1, 4, "chan receive", m: M0), "wait_reason.body", "its wait reason");
        yield return Cut("stack_frame", new StackFrameRecord(G1Sp, 0, 0, Le64(0x2a, ObjA), 0x47e2a0, 0x47e2f4, 0x47e2f4, "main.main", F(Field.Ptr(8))), "name.body", "the function name");
        yield return Cut("finalizer", new FinalizerRecord(ObjC, FinalizerFuncval, 0x47e500, TypeT, TypeT), "entry_pc", "the entry pc");
        yield return Cut("itab", new ItabRecord(ItabT, TypeT), "type_address", "the type address");
        yield return Cut("os_thread", new OsThreadRecord(M0, 0, 31337), "procid", "the procid");
        yield return Cut("mem_stats", MemStats(200, objects: 3, bytes: 64), "pause_ns[100]", "pause_ns[100]");
        yield return Cut("queued_finalizer", new QueuedFinalizerRecord(ObjB, FinalizerFuncval, 0x47e500, TypeU, TypeU), "arg_type", "the argument type");
        yield return Cut("data", new DataRecord(DataStart, Le64(0, ObjC, 0, 0), F(Field.Ptr(8))), "contents.body", "its contents");
        yield return Cut("bss", new BssRecord(BssStart, new GoString(new byte[256]), F(Field.Ptr(0), Field.Ptr(200))), "fields[1].offset", "the second field's offset");
        yield return Cut("defer", new DeferRecord(D1, G1, G1Sp, 0x47e2e0, 0x4b9d68, 0x47e400, 0xc000040fb0), "link", "the link");
        yield return Cut("panic", new PanicRecord(P1, G1, TypeT, ObjB, 0, 0), "arg_data", "the argument's data word");
        yield return Cut("mem_prof", new MemProfRecord(Bucket1, 32, Frames(new("main.main", "/src/main.go", 12), new("runtime.main", "/usr/lib/go/src/runtime/proc.go", 250)), 3, 1), "frames[1].file.body", "the second frame's file name");
        yield return Cut("alloc_sample", new AllocSampleRecord(ObjC, Bucket1), "bucket", "the bucket address");

        var withoutEof = Baseline();
        withoutEof.RemoveAt(IEof);
        yield return new RecordsFixture(
            "invalid/S07-truncated-in-eof",
            "Every record of the baseline, then the first byte (80) of a two-byte encoding of the EOF tag and nothing more: the input ends inside the tag, S07 at the end of input (not S08: a record had begun).",
            Tags("S07", "truncated", "eof", "tag"),
            HeaderVersion.Go17, withoutEof, new AppendBytes([0x80], AfterEof: false), "S07");

        yield return new RecordsFixture(
            "invalid/S08-missing-eof",
            "The baseline without its EOF record, as a writer that ignored a failed write would leave it: S08 at the end of input; parsers return every record.",
            Tags("S08", "missing-eof", "truncated-between-records"),
            HeaderVersion.Go17, withoutEof, new EndWithoutEof(), "S08");

        yield return new RecordsFixture(
            "invalid/S09-second-dump-after-eof",
            "The baseline followed by the header of a second dump (two dumps concatenated): S09 at the first byte after the EOF record, and parsers do not return the EOF record.",
            Tags("S09", "trailing-bytes", "concatenated"),
            HeaderVersion.Go17, Baseline(), new AppendBytes(HeapDumpFormat.HeaderBytes(HeaderVersion.Go17), AfterEof: true), "S09");
    }

    private static IEnumerable<RecordsFixture> RuleViolations()
    {
        const ValidationProfile strict = ValidationProfile.Strict;
        const ValidationProfile dflt = ValidationProfile.Default;

        var noParams = Baseline();
        noParams.RemoveAt(IParams);
        yield return Rule("invalid/S11-params-missing", "The baseline without its params record: the first record is a type record.",
            Tags("S11", "params"), noParams, strict, At("S11", 0, "tag"));

        yield return Rule("invalid/S12-params-twice", "A second params record right after the first.",
            Tags("S12", "params"), Insert(IParams + 1, Params), strict, At("S12", IParams + 1, "tag"));

        yield return Rule("invalid/S13-mem-stats-twice", "A second memstats record right after the first.",
            Tags("S13", "mem_stats"), Insert(IMemStats + 1, MemStats(1, objects: 3, bytes: 64)), strict, At("S13", IMemStats + 1, "tag"));

        var noMemStats = Baseline();
        noMemStats.RemoveAt(IMemStats);
        yield return Rule("invalid/S13-mem-stats-missing", "The baseline without its memstats record: reported at the EOF record.",
            Tags("S13", "mem_stats"), noMemStats, strict, At("S13", IEof - 1, "tag"));

        var dataFirst = Baseline();
        (dataFirst[IOsThread], dataFirst[IData]) = (dataFirst[IData], dataFirst[IOsThread]);
        yield return Rule("invalid/S14-os-thread-after-data", "The data record before the OS thread record (the runtime writes threads first). A warning: strict profile.",
            Tags("S14", "section-order", "warning"), dataFirst, strict, At("S14", IData, "tag"));

        yield return Rule("invalid/S15-iface-field-kind", "An object field of the legacy kind iface (2), which no release since Go 1.5 writes. A warning: strict profile.",
            Tags("S15", "legacy-field-kind", "iface", "warning"),
            Replace(IObjC, r => (ObjectRecord)r with { Fields = new[] { new Field(FieldKind.Iface, 0), Field.Ptr(16) } }), strict,
            At("S15", IObjC, "fields[0].kind"));

        yield return Rule("invalid/S16-other-root", "An other_root record, which no gc release since 1.5 writes. A warning: strict profile (valid/other-root is the same file judged by the default profile).",
            Tags("S16", "other_root", "warning"), Insert(IParams + 1, new OtherRootRecord("finalizer queue", ObjA)), strict, At("S16", IParams + 1, "tag"));

        yield return Rule("invalid/V01-ptr-size-6", "Pointer size 6 in params.",
            Tags("V01", "params"), Replace(IParams, r => (ParamsRecord)r with { PtrSize = 6 }), strict, At("V01", IParams, "ptr_size"));

        yield return Rule("invalid/V02-heap-end-below-start", "Heap end below heap start (the two swapped).",
            Tags("V02", "params"), Replace(IParams, r => (ParamsRecord)r with { HeapStart = HeapEnd, HeapEnd = HeapStart }), strict, At("V02", IParams, "heap_end"));

        yield return Rule("invalid/V03-object-at-heap-end", "An extra object that starts at the heap's end, outside [heap start, heap end).",
            Tags("V03", "object"), CountedIn(Insert(IObjC + 1, new ObjectRecord(HeapEnd, Le64(0, 0), F())), objects: 4, bytes: 80), strict, At("V03", IObjC + 1, "address"));

        yield return Rule("invalid/V04-field-offset-4-on-amd64", "An object field at offset 4 with 8-byte pointers.",
            Tags("V04", "object", "fields"), Replace(IObjC, r => (ObjectRecord)r with { Fields = new[] { Field.Ptr(4), Field.Ptr(16) } }), strict,
            At("V04", IObjC, "fields[0].offset"));

        yield return Rule("invalid/V05-field-past-contents", "An object field at offset 32 of a 32-byte object.",
            Tags("V05", "object", "fields"), Replace(IObjC, r => (ObjectRecord)r with { Fields = new[] { Field.Ptr(0), Field.Ptr(32) } }), strict,
            At("V05", IObjC, "fields[1].offset"));

        yield return Rule("invalid/V06-fields-out-of-order", "Object fields at offsets 16 then 0.",
            Tags("V06", "object", "fields"), Replace(IObjC, r => (ObjectRecord)r with { Fields = new[] { Field.Ptr(16), Field.Ptr(0) } }), strict,
            At("V06", IObjC, "fields[1].offset"));

        yield return Rule("invalid/V07-object-inside-object", "An extra 16-byte object that starts 16 bytes into the 32-byte object before it.",
            Tags("V07", "object", "overlap"), CountedIn(Insert(IObjC + 1, new ObjectRecord(ObjC + 16, Le64(0, 0), F())), objects: 4, bytes: 80), strict, At("V07", IObjC + 1, "address"));

        yield return Rule("invalid/V08-goroutine-status-2", "A goroutine with status 2 (running), which the runtime never dumps.",
            Tags("V08", "goroutine"), Replace(IG2, r => (GoroutineRecord)r with { Status = 2 }), strict, At("V08", IG2, "status"));

        yield return Rule("invalid/V09-frame-field-offset-4", "A stack frame field at offset 4 with 8-byte pointers. A warning: strict profile.",
            Tags("V09", "stack_frame", "fields", "warning"), Replace(IG1Frame0, r => (StackFrameRecord)r with { Fields = new[] { Field.Ptr(4) } }), strict,
            At("V09", IG1Frame0, "fields[0].offset"));

        yield return Rule("invalid/V10-frame-field-past-contents", "A stack frame field at offset 16 of a 16-byte frame, under a go1.7 header. A warning: strict profile.",
            Tags("V10", "stack_frame", "fields", "warning"), Replace(IG1Frame0, r => (StackFrameRecord)r with { Fields = new[] { Field.Ptr(16) } }), strict,
            At("V10", IG1Frame0, "fields[0].offset"));

        yield return Rule("invalid/V11-goroutine-background", "A goroutine with is_background true. A warning: strict profile.",
            Tags("V11", "goroutine", "warning"), Replace(IG2, r => (GoroutineRecord)r with { IsBackground = true }), strict, At("V11", IG2, "is_background"));

        yield return Rule("invalid/R01-frame-after-defer", "A stack frame between a goroutine's defer and panic records.",
            Tags("R01", "stack_frame"),
            Insert(ID1 + 1, new StackFrameRecord(0xc000040f80, 2, G1Frame1Sp, GoString.Empty, 0x436000, 0x436010, 0x436010, "runtime.goexit", F())), strict,
            At("R01", ID1 + 1, "tag"));

        yield return Rule("invalid/R02-frame-depth-skips", "A goroutine's second frame has depth 2.",
            Tags("R02", "stack_frame"), Replace(IG1Frame1, r => (StackFrameRecord)r with { Depth = 2 }), strict, At("R02", IG1Frame1, "depth"));

        yield return Rule("invalid/R03-frame-child-sp-wrong", "A goroutine's second frame names a child sp that is not the first frame's sp.",
            Tags("R03", "stack_frame"), Replace(IG1Frame1, r => (StackFrameRecord)r with { ChildSp = G1Sp + 8 }), strict, At("R03", IG1Frame1, "child_sp"));

        yield return Rule("invalid/R04-goroutine-sp-not-frame-sp", "A goroutine whose sp differs from its depth-0 frame's sp.",
            Tags("R04", "goroutine", "stack_frame"), Replace(IG1, r => (GoroutineRecord)r with { Sp = G1Sp - 0x20 }), strict, At("R04", IG1, "sp"));

        yield return Rule("invalid/R05-defer-names-other-goroutine", "A defer record, following goroutine 1, that names goroutine 2.",
            Tags("R05", "defer"), Replace(ID1, r => (DeferRecord)r with { Goroutine = G2 }), strict, At("R05", ID1, "goroutine"));

        yield return Rule("invalid/R06-defer-link-to-nowhere", "A defer record whose link names a defer record that never follows.",
            Tags("R06", "defer"), Replace(ID1, r => (DeferRecord)r with { Link = D1 + 0x20 }), strict, At("R06", ID1, "link"));

        yield return Rule("invalid/R07-panic-names-other-goroutine", "A panic record, following goroutine 1, that names goroutine 2.",
            Tags("R07", "panic"), Replace(IP1, r => (PanicRecord)r with { Goroutine = G2 }), strict, At("R07", IP1, "goroutine"));

        yield return Rule("invalid/R08-top-panic-without-record", "A goroutine whose top panic has no panic record.",
            Tags("R08", "panic", "goroutine"), Replace(IG2, r => (GoroutineRecord)r with { TopPanic = G2Sp + 0x20 }), strict, At("R08", IG2, "top_panic"));

        yield return Rule("invalid/R09-itab-type-without-record", "An itab whose type has no type record (under a go1.7 header).",
            Tags("R09", "itab", "type"), Replace(IItab, r => (ItabRecord)r with { TypeAddress = TypeU }), strict, At("R09", IItab, "type_address"));

        yield return Rule("invalid/R10-alloc-sample-unknown-bucket", "An alloc sample whose bucket has no memprof record.",
            Tags("R10", "alloc_sample", "mem_prof"), Replace(IAllocSample, r => (AllocSampleRecord)r with { Bucket = Bucket1 + 0x100 }), strict,
            At("R10", IAllocSample, "bucket"));

        yield return Rule("invalid/R11-alloc-sample-outside-objects", "An alloc sample whose object address lies in no dumped object.",
            Tags("R11", "alloc_sample", "object"), Replace(IAllocSample, r => (AllocSampleRecord)r with { Object = ObjC + 0x1000 }), strict,
            At("R11", IAllocSample, "object"));

        yield return Rule("invalid/R12-finalizer-outside-objects", "A registered finalizer whose object lies in no dumped object.",
            Tags("R12", "finalizer", "object"), Replace(IFinalizer, r => (FinalizerRecord)r with { Object = ObjC + 0x1000 }), strict,
            At("R12", IFinalizer, "object"));

        yield return Rule("invalid/R12-queued-finalizer-outside-objects", "A queued finalizer whose object lies in no dumped object.",
            Tags("R12", "queued_finalizer", "object"), Replace(IQueuedFinalizer, r => (QueuedFinalizerRecord)r with { Object = ObjB + 0x20 }), strict,
            At("R12", IQueuedFinalizer, "object"));

        yield return Rule("invalid/R13-goroutine-m-unknown", "A goroutine whose m has no OS thread record.",
            Tags("R13", "goroutine", "os_thread"), Replace(IG1, r => (GoroutineRecord)r with { M = M0 + 0x400 }), strict, At("R13", IG1, "m"));

        yield return Rule("invalid/R14-goroutine-twice", "The second goroutine has the first one's address.",
            Tags("R14", "goroutine"), Replace(IG2, r => (GoroutineRecord)r with { Address = G1 }), strict, At("R14", IG2, "address"));

        foreach (var fixture in RuntimeGuaranteeViolations())
        {
            yield return fixture;
        }

        // A default-profile case: the error alone fails the file, and the warning it brings along is listed too.
        var frameAfterThread = Baseline();
        frameAfterThread.Insert(IOsThread + 1, new StackFrameRecord(0xc000040f80, 2, G1Frame1Sp, GoString.Empty, 0x436000, 0x436010, 0x436010, "runtime.goexit", F()));
        yield return Rule("invalid/R01-frame-after-os-thread", "A stack frame after the OS thread record, following no goroutine: R01 (an error), and S14 (a warning, listed but not failing the file under the default profile).",
            Tags("R01", "S14", "stack_frame", "default-profile"), frameAfterThread, dflt,
            At("R01", IOsThread + 1, "tag"), At("S14", IOsThread + 1, "tag"));
    }

    /// <summary>
    /// V12–V19, S17, S18, R15–R17: what the Go runtime guarantees beyond the format. Each changes the strict-clean
    /// baseline (or the 32-bit arm fixture) in one respect; where a change must move two values to break exactly one
    /// guarantee (an object's length and the memstats that count it), the description says so.
    /// </summary>
    private static IEnumerable<RecordsFixture> RuntimeGuaranteeViolations()
    {
        const ValidationProfile strict = ValidationProfile.Strict;

        var arm = ThirtyTwoBit(HeaderVersion.Go17, "arm", bigEndian: false);
        arm[0] = (ParamsRecord)arm[0] with { HeapEnd = 0x1_0a400000 };
        yield return Rule("invalid/V12-heap-end-past-32-bits", "A 32-bit arm dump (ptr_size 4) whose params heap end, 0x10a400000, does not fit in 4 bytes: an error in every profile.",
            Tags("V12", "params", "32-bit"), arm, ValidationProfile.Default, At("V12", 0, "heap_end"));

        yield return Rule("invalid/V13-amd64-big-endian", "An amd64 dump whose params claim big-endian. A warning: strict profile.",
            Tags("V13", "params", "big-endian", "warning"), Replace(IParams, r => (ParamsRecord)r with { BigEndian = true }), strict, At("V13", IParams, "big_endian"));

        var unaligned = Replace(IObjB, r => (ObjectRecord)r with { Address = ObjB + 4 });
        unaligned[IQueuedFinalizer] = (QueuedFinalizerRecord)unaligned[IQueuedFinalizer] with { Object = ObjB + 4 };
        yield return Rule("invalid/V14-object-not-8-aligned", "The 16-byte object (and the queued finalizer that names it) moved 4 bytes up, to an address no span slot has. A warning: strict profile.",
            Tags("V14", "object", "warning"), unaligned, strict, At("V14", IObjB, "address"));

        var off = Replace(IObjC, r => (ObjectRecord)r with { Contents = Le64(ObjA, 42, 0, 7, 0) });
        off[IMemStats] = MemStats(1, objects: 3, bytes: 72);
        yield return Rule("invalid/V15-object-40-bytes", "The 32-byte object grown to 40 bytes, which is no size class (memstats count the 40 bytes, so only the length is wrong). A warning: strict profile.",
            Tags("V15", "object", "size-class", "warning"), off, strict, At("V15", IObjC, "contents.len"));

        yield return Rule("invalid/V16-alloc-not-heap-alloc", "Memstats whose Alloc is 8 bytes more than HeapAlloc. A warning: strict profile.",
            Tags("V16", "mem_stats", "warning"), Replace(IMemStats, r => ChangeScalar((MemStatsRecord)r, 0, +8)), strict, At("V16", IMemStats, "alloc"));

        yield return Rule("invalid/V17-heap-released-above-idle", "Memstats whose HeapReleased exceeds HeapIdle. A warning: strict profile.",
            Tags("V17", "mem_stats", "warning"), Replace(IMemStats, r => ChangeScalar((MemStatsRecord)r, 10, +40_960)), strict, At("V17", IMemStats, "heap_released"));

        yield return Rule("invalid/V18-sys-not-the-sum", "Memstats whose Sys is 4 KiB more than the sum of the *Sys fields. A warning: strict profile.",
            Tags("V18", "mem_stats", "warning"), Replace(IMemStats, r => ChangeScalar((MemStatsRecord)r, 2, +4_096)), strict, At("V18", IMemStats, "sys"));

        yield return Rule("invalid/V19-dumped-above-heap-objects", "A Go 1.19 dump of 3 objects whose memstats count 2 (Mallocs and HeapObjects both one fewer): every object dumpobjs writes is one memstats counted. A warning: strict profile.",
            Tags("V19", "mem_stats", "object", "warning"), Replace(IMemStats, _ => MemStats(1, objects: 2, bytes: 64)), strict, At("V19", IMemStats, "heap_objects"));

        yield return Rule("invalid/V20-heap-end-not-arena-aligned", "A heap end 8 KiB short of the arena boundary: the params range is whole heap arenas. A warning: strict profile.",
            Tags("V20", "params", "warning"), Replace(IParams, r => (ParamsRecord)r with { HeapEnd = HeapEnd - 8192 }), strict, At("V20", IParams, "heap_end"));

        yield return Rule("invalid/S19-go1.21-without-its-dumper", "The baseline labelled go1.21.13: no goroutine waits as \"dumping heap\", though from 1.21 the goroutine writing the dump always does. A warning: strict profile.",
            Tags("S19", "goroutine", "go1.21", "warning"), Replace(IParams, r => (ParamsRecord)r with { VersionInfo = GoString.FromText("go1.21.13") }), strict,
            At("S19", IEof, "tag"));

        yield return Rule("invalid/S20-go1.7-header-naming-go1.6", "A go1.7 header whose params name go1.6.4: Go 1.6 wrote its own header, and no release before 1.17 wrote a version string there. A warning: strict profile.",
            Tags("S20", "params", "header", "warning"), Replace(IParams, r => (ParamsRecord)r with { VersionInfo = GoString.FromText("go1.6.4") }), strict,
            At("S20", IParams, "version_info.len"));

        var noFrames = Baseline();
        noFrames.RemoveAt(IG2Frame0);
        yield return Rule("invalid/S17-goroutine-without-frames", "The second goroutine of a gc dump without its stack frame (only gccgo writes goroutines without frames). A warning: strict profile.",
            Tags("S17", "goroutine", "stack_frame", "warning"), noFrames, strict, At("S17", IG2, "sp"));

        var noBss = Baseline();
        noBss.RemoveAt(IBss);
        yield return Rule("invalid/S18-bss-missing", "A gc dump without its bss record. A warning: strict profile.",
            Tags("S18", "bss", "warning"), noBss, strict, At("S18", IEof - 1, "tag"));

        yield return Rule("invalid/R15-os-thread-twice", "The OS thread record written twice. A warning: strict profile.",
            Tags("R15", "os_thread", "warning"), Insert(IOsThread + 1, new OsThreadRecord(M0, 0, 31337)), strict, At("R15", IOsThread + 1, "address"));

        yield return Rule("invalid/R16-goid-twice", "The second goroutine has the first one's goid. A warning: strict profile.",
            Tags("R16", "goroutine", "warning"), Replace(IG2, r => (GoroutineRecord)r with { Goid = 1 }), strict, At("R16", IG2, "goid"));

        yield return Rule("invalid/R17-second-finalizer", "A second registered finalizer for the same object. A warning: strict profile.",
            Tags("R17", "finalizer", "warning"), Insert(IFinalizer + 1, new FinalizerRecord(ObjC, FinalizerFuncval + 8, 0x47e600, TypeT, TypeT)), strict,
            At("R17", IFinalizer + 1, "object"));
    }

    /// <summary>The records with their memstats counting an extra object (so only the rule under test fires, not V19).</summary>
    private static List<HeapDumpRecord> CountedIn(List<HeapDumpRecord> records, ulong objects, ulong bytes)
    {
        var i = records.FindIndex(r => r.Kind == RecordKind.MemStats);
        records[i] = MemStats(1, objects, bytes);
        return records;
    }

    private static MemStatsRecord ChangeScalar(MemStatsRecord m, int index, long delta)
    {
        var scalars = m.Scalars.ToArray();
        scalars[index] = (ulong)((long)scalars[index] + delta);
        return new MemStatsRecord(scalars, m.PauseNs, m.NumGC);
    }
}
