using GoHeapDump.Validation;

namespace GoHeapDump.Fixtures;

public static partial class Catalog
{
    private const ulong Max = ulong.MaxValue;
    private const ulong Bit63 = 1UL << 63;

    /// <summary>Valid dumps built from described record lists: every parser accepts them and renders them exactly.</summary>
    public static IReadOnlyList<RecordsFixture> ValidRecordFixtures { get; } = BuildValid();

    /// <summary>Valid dumps written by the reference writer from a seeded runtime state.</summary>
    public static IReadOnlyList<SeedFixture> SeedFixtures { get; } =
    [
        new("valid/seed-1-amd64", "A realistic Go 1.19 amd64 heap from the seeded state builder: size classes, large objects, goroutines in every dumpable state with frames, open-coded defers and nested panics, OS threads, data and bss, registered and queued finalizers, memprof buckets with unresolvable PCs and alloc samples, duplicate type records from the type cache.",
            Tags("reference-writer", "seeded", "amd64", "64-bit", "little-endian", "every-common-kind", "duplicate-types", "open-coded-defer", "nested-panic", "queued-finalizer", "memprof-unresolved-pc"),
            Seed: 1, Objects: 50, Arch: "amd64"),
        new("valid/seed-2-mips", "The same kind of realistic heap on 32-bit big-endian mips: 4-byte pointers, big-endian contents, big_endian true.",
            Tags("reference-writer", "seeded", "mips", "32-bit", "big-endian", "every-common-kind"),
            Seed: 2, Objects: 50, Arch: "mips"),
    ];

    private static List<RecordsFixture> BuildValid()
    {
        var list = new List<RecordsFixture>
        {
            Valid("valid/every-kind-go1.7-amd64",
                "Every record kind but other_root in the runtime's order: params, type, itab, objects, two goroutines with frames (one with a defer and a panic), OS thread, data, bss, finalizer, queued finalizer, memstats, memprof, alloc sample, EOF. Strict-clean; the invalid value and reference fixtures each change one thing in it.",
                Tags("go1.7", "amd64", "64-bit", "little-endian", "params", "type", "itab", "object", "goroutine", "stack_frame", "defer", "panic", "os_thread", "data", "bss", "finalizer", "queued_finalizer", "mem_stats", "mem_prof", "alloc_sample", "eof"),
                HeaderVersion.Go17, Baseline()),
            Valid("valid/other-root",
                "The baseline with an other_root record (tag 2): defined by the format, never written by gc since 1.5, so valid with an S16 warning.",
                Tags("other_root", "S16"),
                HeaderVersion.Go17, Insert(1, new OtherRootRecord("finalizer queue", ObjA)), ValidationProfile.Default,
                [At("S16", 1, "tag")], "gc has not called dumpotherroot since Go 1.5."),
            Valid("valid/legacy-field-kinds-iface-eface",
                "Field kinds iface (2) and eface (3) from the format's pre-1.5 ancestor: readers must accept them (the validator warns, S15, once per record).",
                Tags("field-kind-iface", "field-kind-eface", "field-kind-ptr", "S15"),
                HeaderVersion.Go17,
                [
                    ParamsRecord.WithArch(false, 8, HeapStart, HeapEnd, "amd64", "go1.19.8", 4),
                    new ObjectRecord(ObjA, Le64(TypeT, ObjB, 0, 0, ObjB, 0), F(new Field(FieldKind.Iface, 0), new Field(FieldKind.Eface, 16), Field.Ptr(32))),
                    new ObjectRecord(ObjB + 0x20, Le64(0, 0), F()),
                    new DataRecord(DataStart, Le64(TypeT, ObjA), F(new Field(FieldKind.Eface, 0))),
                    new BssRecord(BssStart, Le64(0), F()),
                    MemStats(1, objects: 2, bytes: 64),
                    EofRecord.Instance,
                ],
                ValidationProfile.Default, [At("S15", 1, "fields[0].kind"), At("S15", 3, "fields[0].kind")],
                "no Go release since 1.5 writes field kinds iface and eface."),
            Valid("valid/go1.6-thechar-amd64",
                "A go1.6 header: params name the architecture with the uvarint thechar '6' (54) and the second string is the (empty) GOEXPERIMENT. Its itab names type 0 with no type record (allowed before 1.7) and a frame lists goexit argument slots past its contents (as 1.5/1.6 did).",
                Tags("go1.6", "thechar", "params", "itab", "stack_frame", "R09-exempt", "V10-exempt"),
                HeaderVersion.Go16, Go16Records()),
            Valid("valid/go1.5-thechar-386",
                "A go1.5 header from 32-bit 386: thechar '8' (56), 4-byte pointers in little-endian contents.",
                Tags("go1.5", "thechar", "386", "32-bit", "little-endian"),
                HeaderVersion.Go15, ThirtyTwoBit(HeaderVersion.Go15, "386", bigEndian: false)),
            Valid("valid/go1.7-arm-32bit",
                "32-bit little-endian arm: ptr_size 4, pointers as 4-byte little-endian words, field offsets in 4-byte steps.",
                Tags("go1.7", "arm", "32-bit", "little-endian"),
                HeaderVersion.Go17, ThirtyTwoBit(HeaderVersion.Go17, "arm", bigEndian: false)),
            Valid("valid/go1.7-mips-32bit-big-endian",
                "32-bit big-endian mips: big_endian true, pointers as 4-byte big-endian words.",
                Tags("go1.7", "mips", "32-bit", "big-endian"),
                HeaderVersion.Go17, ThirtyTwoBit(HeaderVersion.Go17, "mips", bigEndian: true)),
            Valid("valid/go1.7-s390x-64bit-big-endian",
                "64-bit big-endian s390x: big_endian true, pointers as 8-byte big-endian words.",
                Tags("go1.7", "s390x", "64-bit", "big-endian"),
                HeaderVersion.Go17, BigEndian64()),
            Valid("valid/uvarint-10-byte-values",
                "Values that need all 10 uvarint bytes (2^63 and 2^64-1, whose 10th byte is 01) and 9 bytes (2^63-1) in every place a value is free: heap range 0..2^64-1, goroutine ids, pcs, times, memstats, memprof counts and lines. Tests that parsers keep 64 bits (JSON numbers as strings).",
                Tags("uvarint-10-bytes", "uvarint-max", "64-bit-values"),
                HeaderVersion.Go17, HugeValues(), ValidationProfile.Default,
                [At("V20", 0, "heap_end"), At("V18", 9, "sys"), At("V17", 9, "heap_sys"), At("V16", 9, "heap_objects"), At("S18", 12, "tag")],
                "values at the ends of the 64-bit range break the runtime's memstats identities and addresses no process has."),
            Valid("valid/repeated-type-records",
                "The same type record three times and two others, before the itabs that name them: the runtime's 4-way type cache evicts, so real dumps repeat types (one real dump had 3,131 duplicates).",
                Tags("type", "itab", "duplicate-types"),
                HeaderVersion.Go17, RepeatedTypes()),
            Valid("valid/field-lists-empty-and-maximal",
                "Field lists of every size: an object whose every word is a pointer, objects and data with none, a conservatively scanned frame listing every word, a zero-sized frame, a large field offset (two-byte uvarints), empty data and bss segments.",
                Tags("fields-empty", "fields-maximal", "fields-two-byte-offset", "zero-size-frame", "empty-data", "empty-bss", "conservative-frame"),
                HeaderVersion.Go17, FieldLists()),
            Valid("valid/defers-open-coded-and-panics-nested",
                "A goroutine with three defers (one open-coded: funcval and entry pc 0, one on the stack) and two nested panics linked newest first, with 'defer' always 0.",
                Tags("defer", "open-coded-defer", "panic", "nested-panic"),
                HeaderVersion.Go17, DefersAndPanics()),
            Valid("valid/memprof-unresolvable-pcs",
                "Memprof buckets whose PCs resolve to no function: written as (0x1a2b) with file ? and line 0, and (0x0) for pc 0; a bucket with no frames; alloc samples pointing inside objects.",
                Tags("mem_prof", "alloc_sample", "memprof-unresolved-pc", "memprof-no-frames"),
                HeaderVersion.Go17, MemProf()),
            Valid("valid/finalizers-registered-and-queued",
                "Registered finalizers and several queued finalizers (objects found unreachable), one on an interior address of a tiny-allocation block, with argument and object types that differ.",
                Tags("finalizer", "queued_finalizer", "interior-address", "tiny-alloc"),
                HeaderVersion.Go17, Finalizers()),
            Valid("valid/text-escapes-and-invalid-utf8",
                "Text fields that test the JSONL rendering: quotes, backslashes, control characters, non-ASCII letters and an emoji (JSON strings), and names that are not valid UTF-8 (rendered as {\"hex\": …}); a devel version string with experiments.",
                Tags("text-escapes", "non-ascii", "invalid-utf8", "jsonl-hex-text"),
                HeaderVersion.Go17, TextEdgeCases()),
            Valid("valid/goroutine-states",
                "Goroutines in each dumpable status: runnable (1), in a system call (3, sp = syscallsp) and waiting (4), a system goroutine, a wait reason out of the runtime's table ('unknown wait reason'), a goroutine on no M.",
                Tags("goroutine", "status-runnable", "status-syscall", "status-waiting", "is_system", "unknown-wait-reason", "os_thread"),
                HeaderVersion.Go17, GoroutineStates()),
            Valid("valid/minimal",
                "The smallest complete dump a conforming producer can write: params, memstats, EOF.",
                Tags("minimal", "params", "mem_stats", "eof"),
                HeaderVersion.Go17, [ParamsRecord.WithArch(false, 8, HeapStart, HeapEnd, "amd64", "go1.19.8", 1), MemStats(0, objects: 0, bytes: 0), EofRecord.Instance],
                ValidationProfile.Default, [At("S18", 2, "tag")], "a gc dump always has its data and bss records (and the dumping goroutine)."),
            Valid("valid/gccgo-shape",
                "What gccgo (libgo) writes: no frames, types, itabs, data or bss; version 'unknown'; goroutine sp and ctxt 0; defers with sp, pc and entry pc 0; memprof stacks ending in (0x0) / ? / 0 and relative file paths; finalizer argument type differing from the object type.",
                Tags("gccgo", "no-frames", "no-types", "no-data-bss"),
                HeaderVersion.Go17, GccgoShape()),
            Valid("valid/objects-in-span-order-with-odd-pointers",
                "Objects dumped in span order, not address order; pointer words holding 0, interior pointers and addresses outside the heap; an 8 KiB object; an object whose bytes are stale garbage.",
                Tags("object", "span-order", "interior-pointer", "nil-pointer", "8k-object"),
                HeaderVersion.Go17, OddObjects()),
        };
        return list;
    }

    /// <summary>A valid fixture: strict-clean, or (with <paramref name="unrealistic"/>) the warnings --strict rejects it with.</summary>
    private static RecordsFixture Valid(string name, string description, string[] exercises, HeaderVersion version, List<HeapDumpRecord> records,
        ValidationProfile profile = ValidationProfile.Strict, Func<IReadOnlyList<RecordLayout>, ExpectedDiagnostic>[]? diagnostics = null,
        string? unrealistic = null) =>
        new(name, description, exercises, version, records, Profile: profile, Diagnostics: diagnostics ?? [], Unrealistic: unrealistic);

    private static List<HeapDumpRecord> Go16Records() =>
    [
        ParamsRecord.WithTheChar(false, 8, 0xc820000000, 0xc820100000, '6', "", 2),
        new ItabRecord(0x5a1e00, 0),
        new ObjectRecord(0xc820000000, Le64(0xc820000010, 0), F(Field.Ptr(0))),
        new ObjectRecord(0xc820000010, Le64(1, 2), F()),
        Goroutine(0xc820000180, 0xc82003ff58, 1, 4, "chan receive", m: 0x6f8a40),
        // Go 1.5/1.6: the outermost frame's fields list goexit's argument slots past its contents.
        new StackFrameRecord(0xc82003ff58, 0, 0, Le64(0xc820000000), 0x401000, 0x401050, 0x401050, "main.main", F(Field.Ptr(0), Field.Ptr(8))),
        new OsThreadRecord(0x6f8a40, 0, 4242),
        new DataRecord(0x6e0000, Le64(0xc820000010), F(Field.Ptr(0))),
        new BssRecord(0x6f0000, Le64(0), F()),
        MemStats(2, objects: 2, bytes: 32),
        EofRecord.Instance,
    ];

    private static List<HeapDumpRecord> ThirtyTwoBit(HeaderVersion version, string arch, bool bigEndian)
    {
        GoString W(params ulong[] words) => Words(words, 4, bigEndian);
        ParamsRecord p = version == HeaderVersion.Go17
            ? ParamsRecord.WithArch(bigEndian, 4, 0x0a000000, 0x0a400000, arch, "go1.19.8", 1)
            : ParamsRecord.WithTheChar(bigEndian, 4, 0x0a000000, 0x0a400000, '8', "", 1);
        const ulong t = 0x080f1a20, o1 = 0x0a010000, o2 = 0x0a010008, o3 = 0x0a012000, g = 0x0a0000c0, m = 0x081c3e40;
        return
        [
            p,
            new TypeRecord(t, 4, "*main.node", true),
            new ItabRecord(0x0811f000, t),
            new ObjectRecord(o1, W(o2, 0), F(Field.Ptr(0))),
            new ObjectRecord(o2, W(0xdeadbeef, o3), F(Field.Ptr(4))),
            new ObjectRecord(o3, W(o1, o2, 3, 4), F(Field.Ptr(0), Field.Ptr(4))),
            Goroutine(g, 0x0a040f70, 1, 4, "select", m: m, gopc: 0x0809a1c5),
            new StackFrameRecord(0x0a040f70, 0, 0, W(7, o3), 0x080e2a00, 0x080e2a40, 0x080e2a40, "main.main", F(Field.Ptr(4))),
            new StackFrameRecord(0x0a040f78, 1, 0x0a040f70, W(0), 0x0806e7e0, 0x0806ea12, 0x0806ea12, "runtime.main", F()),
            new OsThreadRecord(m, 0, 777),
            new DataRecord(0x081a0000, W(0, o1), F(Field.Ptr(4))),
            new BssRecord(0x081b0000, W(o3), F(Field.Ptr(0))),
            new FinalizerRecord(o3, 0x080f9d70, 0x080e2500, t, t),
            MemStats(1, objects: 3, bytes: 32),
            EofRecord.Instance,
        ];
    }

    private static List<HeapDumpRecord> BigEndian64()
    {
        static GoString W(params ulong[] words) => Words(words, 8, bigEndian: true);
        const ulong o1 = 0xc000010000, o2 = 0xc000010010, g = 0xc000000180, m = 0x2a3e40;
        return
        [
            ParamsRecord.WithArch(true, 8, HeapStart, HeapEnd, "s390x", "go1.19.8", 2),
            new TypeRecord(0x1b2a40, 16, "main.pair", true),
            new ItabRecord(0x1e1f00, 0x1b2a40),
            new ObjectRecord(o1, W(o2, 0x0102030405060708), F(Field.Ptr(0))),
            new ObjectRecord(o2, W(o1, o1), F(Field.Ptr(0), Field.Ptr(8))),
            Goroutine(g, 0xc000040f40, 1, 1, "", m: m, gopc: 0x10a1c5),
            new StackFrameRecord(0xc000040f40, 0, 0, W(o2, 1), 0x17e2a0, 0x17e2f4, 0x17e2f4, "main.main", F(Field.Ptr(0))),
            new OsThreadRecord(m, 0, 9000),
            new DataRecord(0x2a0000, W(o1), F(Field.Ptr(0))),
            new BssRecord(0x2b0000, W(0, 0), F()),
            MemStats(3, objects: 2, bytes: 32),
            EofRecord.Instance,
        ];
    }

    private static List<HeapDumpRecord> HugeValues()
    {
        const ulong big = (1UL << 63) - 1;
        var memstats = FilledMemStats(Max);
        return
        [
            ParamsRecord.WithArch(false, 8, 0, Max, "amd64", "go1.19.8", Max),
            new TypeRecord(Max, Max, "main.Huge", false),
            new ItabRecord(Bit63, Max),
            // Ends at 2^64-16, inside the heap range [0, 2^64-1).
            new ObjectRecord(Max - 31, Le64(Max, Bit63), F(Field.Ptr(0), Field.Ptr(8))),
            new GoroutineRecord(Bit63, big, Max, Max, 4, false, false, Max, "sleep", Max, 0, 0, 0),
            new StackFrameRecord(big, 0, 0, Le64(Max), Max, Max, Bit63, "main.main", F(Field.Ptr(0))),
            new OsThreadRecord(Max, Max, Max),
            new FinalizerRecord(Max - 31, Max, Max, Max, Max),
            new QueuedFinalizerRecord(Max - 24, Bit63, Bit63, Bit63, Bit63),
            memstats,
            new MemProfRecord(Max, Max, Frames(new MemProfFrame("main.main", "/src/main.go", Max)), Max, Bit63),
            new AllocSampleRecord(Max - 20, Max),
            EofRecord.Instance,
        ];
    }

    private static List<HeapDumpRecord> RepeatedTypes() =>
    [
        ParamsRecord.WithArch(false, 8, HeapStart, HeapEnd, "amd64", "go1.19.8", 4),
        new TypeRecord(TypeT, 8, "*main.T", true),
        new ItabRecord(ItabT, TypeT),
        new TypeRecord(TypeU, 16, "main.", true),
        new ItabRecord(ItabT + 0x20, TypeU),
        new TypeRecord(TypeT, 8, "*main.T", true),
        new ItabRecord(ItabT + 0x40, TypeT),
        new TypeRecord(0x4b3100, 8, "int", false),
        new ItabRecord(ItabT + 0x60, 0x4b3100),
        new TypeRecord(TypeT, 8, "*main.T", true),
        new ItabRecord(ItabT + 0x80, TypeT),
        new DataRecord(DataStart, Le64(0, 0), F()),
        new BssRecord(BssStart, Le64(0), F()),
        MemStats(1, objects: 0, bytes: 0),
        EofRecord.Instance,
    ];

    private static List<HeapDumpRecord> FieldLists()
    {
        var everyWord = new Field[16];
        var words = new ulong[16];
        for (var i = 0; i < everyWord.Length; i++)
        {
            everyWord[i] = Field.Ptr((ulong)i * 8);
            words[i] = ObjA + ((ulong)i * 8);
        }

        var conservative = new Field[4];
        for (var i = 0; i < conservative.Length; i++)
        {
            conservative[i] = Field.Ptr((ulong)i * 8);
        }

        var bigObject = new ulong[40];
        bigObject[36] = ObjA;
        const ulong big = 0xc000014000, g = 0xc000000180, sp = 0xc000040f00;
        return
        [
            ParamsRecord.WithArch(false, 8, HeapStart, HeapEnd, "amd64", "go1.19.8", 4),
            new ObjectRecord(ObjA, Le64(words), everyWord),
            new ObjectRecord(ObjA + 0x80, Le64(1, 2, 3, 4), F()),
            new ObjectRecord(big, Le64(bigObject), F(Field.Ptr(288))),
            Goroutine(g, sp, 1, 4, "sleep", m: M0),
            new StackFrameRecord(sp, 0, 0, GoString.Empty, 0x47e000, 0x47e000, 0x47e000, "runtime.goexit0", F()),
            new StackFrameRecord(sp, 1, sp, Le64(ObjA, 0, ObjA + 0x80, 5), 0x47e100, 0x47e130, 0x47e130, "main.noStackMap", conservative),
            new OsThreadRecord(M0, 0, 1),
            new DataRecord(DataStart, GoString.Empty, F()),
            new BssRecord(BssStart, GoString.Empty, F()),
            MemStats(1, objects: 3, bytes: 480),
            EofRecord.Instance,
        ];
    }

    private static List<HeapDumpRecord> DefersAndPanics()
    {
        const ulong g = 0xc000000180, sp = 0xc000040e00, d1 = 0xc000040e40, d2 = 0xc000012000, d3 = 0xc000040e80, p1 = 0xc000040ea0, p2 = 0xc000040ee0;
        return
        [
            ParamsRecord.WithArch(false, 8, HeapStart, HeapEnd, "amd64", "go1.19.8", 4),
            new ObjectRecord(0xc000010000, Text("boom\0\0\0\0"), F()),
            new ObjectRecord(d2, Le64(0, 0, 0, 0, 0, 0), F()),
            Goroutine(g, sp, 1, 1, "", m: M0, topDefer: d1, topPanic: p1),
            new StackFrameRecord(sp, 0, 0, Le64(0, 0), 0x47f000, 0x47f0a0, 0x47f0a0, "main.inner", F()),
            new StackFrameRecord(sp + 0x10, 1, sp, Le64(0, 0, 0, 0), 0x47f200, 0x47f2c0, 0x47f2c0, "main.outer", F()),
            new DeferRecord(d1, g, sp, 0x47f080, 0, 0, d2),
            new DeferRecord(d2, g, sp + 0x10, 0x47f290, 0x4c1000, 0x47f400, d3),
            new DeferRecord(d3, g, sp + 0x10, 0x47f2a8, 0x4c1010, 0x47f500, 0),
            new PanicRecord(p1, g, 0x4b2000, 0xc000010000, 0, p2),
            new PanicRecord(p2, g, 0x4b2000, 0xc000010000, 0, 0),
            new OsThreadRecord(M0, 0, 1),
            new DataRecord(DataStart, Le64(0, 0), F()),
            new BssRecord(BssStart, Le64(0), F()),
            MemStats(1, objects: 2, bytes: 56),
            EofRecord.Instance,
        ];
    }

    private static List<HeapDumpRecord> MemProf()
    {
        const ulong b1 = 0x7f0000001000, b2 = 0x7f0000001100, b3 = 0x7f0000001200;
        return
        [
            ParamsRecord.WithArch(false, 8, HeapStart, HeapEnd, "amd64", "go1.19.8", 4),
            new ObjectRecord(ObjA, Le64(0, 0), F()),
            new ObjectRecord(ObjC, Le64(0, 0, 0, 0), F()),
            new DataRecord(DataStart, Le64(0, 0), F()),
            new BssRecord(BssStart, Le64(0), F()),
            MemStats(1, objects: 2, bytes: 48),
            new MemProfRecord(b1, 16, Frames(new("main.alloc", "/src/main.go", 7), new("(0x1a2b)", "?", 0), new("(0x0)", "?", 0)), 5, 2),
            new MemProfRecord(b2, 4096, Frames(), 1, 0),
            new MemProfRecord(b3, 32, Frames(new MemProfFrame("(0x4a1f2c)", "?", 0)), 1, 1),
            new AllocSampleRecord(ObjA, b1),
            new AllocSampleRecord(ObjC + 8, b3),
            new AllocSampleRecord(ObjC, b2),
            EofRecord.Instance,
        ];
    }

    private static List<HeapDumpRecord> Finalizers()
    {
        const ulong tiny = 0xc000016000;
        return
        [
            ParamsRecord.WithArch(false, 8, HeapStart, HeapEnd, "amd64", "go1.19.8", 4),
            new ObjectRecord(ObjA, Le64(0, 0), F()),
            new ObjectRecord(ObjC, Le64(0, 0, 0, 0), F()),
            new ObjectRecord(tiny, Le64(0x0102, 0x0304), F()),
            new DataRecord(DataStart, Le64(0, 0), F()),
            new BssRecord(BssStart, Le64(0), F()),
            new FinalizerRecord(ObjA, FinalizerFuncval, 0x47e500, TypeT, TypeT),
            new QueuedFinalizerRecord(ObjC, FinalizerFuncval, 0x47e500, 0x4b3200, TypeU),
            new QueuedFinalizerRecord(tiny + 4, FinalizerFuncval + 8, 0x47e600, 0x4b3300, 0x4b3300),
            new QueuedFinalizerRecord(tiny + 8, FinalizerFuncval + 8, 0x47e600, 0x4b3300, 0x4b3300),
            MemStats(1, objects: 3, bytes: 64),
            EofRecord.Instance,
        ];
    }

    private static List<HeapDumpRecord> TextEdgeCases()
    {
        return
        [
            ParamsRecord.WithArch(false, 8, HeapStart, HeapEnd, "amd64", "devel go1.23-4f0cd2a X:rangefunc,aliastypealias", 4),
            new TypeRecord(TypeT, 8, "main.\"quoted\"\\back\\slash", false),
            new ItabRecord(ItabT, TypeT),
            new TypeRecord(TypeU, 8, "main.Größe·日本", false),
            new ItabRecord(ItabT + 0x20, TypeU),
            new TypeRecord(0x4b3100, 8, Bytes(0x6d, 0x61, 0x69, 0x6e, 0x2e, 0xff, 0xfe, 0x80), false),
            new ItabRecord(ItabT + 0x40, 0x4b3100),
            new TypeRecord(0x4b3200, 8, "tab\there\nnewline\u0001ctl\u007fdel\u2028ls", false),
            new ItabRecord(ItabT + 0x60, 0x4b3200),
            Goroutine(G1, G1Sp, 1, 4, "wait 🙂 « reason »", m: M0),
            new StackFrameRecord(G1Sp, 0, 0, Le64(0), 0x47e2a0, 0x47e2f4, 0x47e2f4, Bytes(0x6d, 0x61, 0x69, 0x6e, 0x2e, 0xc3, 0x28), F()),
            Goroutine(G2, G2Sp, 2, 4, "dumping heap", m: M0),
            new StackFrameRecord(G2Sp, 0, 0, GoString.Empty, 0x438e40, 0x438e76, 0x438e76, "runtime/debug.WriteHeapDump", F()),
            new OsThreadRecord(M0, 0, 1),
            new DataRecord(DataStart, Le64(0, 0), F()),
            new BssRecord(BssStart, Le64(0), F()),
            MemStats(1, objects: 0, bytes: 0),
            new MemProfRecord(Bucket1, 8, Frames(new("main.f/\\u0041", "C:\\src\\main.go", 3), new(Bytes(0xed, 0xa0, 0x80), Bytes(), 1)), 1, 0),
            EofRecord.Instance,
        ];
    }

    private static List<HeapDumpRecord> GoroutineStates()
    {
        const ulong m1 = 0xc000030000, g1 = 0xc000000180, g2 = 0xc000000340, g3 = 0xc000000500, g4 = 0xc0000006c0;
        return
        [
            ParamsRecord.WithArch(false, 8, HeapStart, HeapEnd, "amd64", "go1.19.8", 8),
            Goroutine(g1, 0xc000040f00, 1, 1, "", m: M0),
            new StackFrameRecord(0xc000040f00, 0, 0, Le64(0), 0x47e2a0, 0x47e2b0, 0x47e2b0, "main.spin", F()),
            Goroutine(g2, 0xc000044e80, 17, 3, "", m: m1, waitSince: 0, ctxt: 0xc000010000),
            new StackFrameRecord(0xc000044e80, 0, 0, Le64(0, 0), 0x46a000, 0x46a020, 0x46a020, "syscall.Syscall", F()),
            new StackFrameRecord(0xc000044e90, 1, 0xc000044e80, Le64(0), 0x47e300, 0x47e340, 0x47e340, "main.read", F()),
            Goroutine(g3, 0xc000048f80, 3, 4, "GC sweep wait", system: true, waitSince: 123_456_789),
            new StackFrameRecord(0xc000048f80, 0, 0, GoString.Empty, 0x438e40, 0x438e76, 0x438e76, "runtime.gopark", F()),
            Goroutine(g4, 0xc00004cf90, 5, 4, "unknown wait reason", waitSince: 1),
            new StackFrameRecord(0xc00004cf90, 0, 0, GoString.Empty, 0x438e40, 0x438e76, 0x438e76, "runtime.gopark", F()),
            new OsThreadRecord(M0, 0, 1001),
            new OsThreadRecord(m1, 1, 1002),
            new OsThreadRecord(0xc000030400, 2, 1003),
            new DataRecord(DataStart, Le64(0, 0), F()),
            new BssRecord(BssStart, Le64(0), F()),
            MemStats(1, objects: 0, bytes: 0),
            EofRecord.Instance,
        ];
    }

    private static List<HeapDumpRecord> GccgoShape()
    {
        const ulong o = 0x7f3a00010000, g = 0x7f3a00000180, d = 0x7f3a00020000, m = 0x7f3a00030000;
        return
        [
            ParamsRecord.WithArch(false, 8, 0x7f3a00000000, 0x7f3a04000000, "amd64", "unknown", 4),
            new ObjectRecord(o, Le64(0, 0), F()),
            new ObjectRecord(d, Le64(0, 0, 0, 0, 0, 0), F()),
            Goroutine(g, 0, 1, 4, "chan receive", m: m, topDefer: d, gopc: 0x401a2c),
            new DeferRecord(d, g, 0, 0, 0x4c1000, 0, 0),
            new OsThreadRecord(m, 0, 5150),
            new FinalizerRecord(o, 0x4c2000, 0x401f00, 0x4b0100, 0x4b0200),
            MemStats(1, objects: 2, bytes: 64),
            new MemProfRecord(0x7f3a00040000, 16, Frames(new("main.main", "main.go", 9), new("(0x0)", "?", 0)), 1, 0),
            new AllocSampleRecord(o, 0x7f3a00040000),
            EofRecord.Instance,
        ];
    }

    private static List<HeapDumpRecord> OddObjects()
    {
        var large = new ulong[1024]; // 8 KiB: the 8192-byte size class, one page
        large[0] = 0xc000010008; // interior pointer
        large[1] = 0x7ffd12345678; // a stack or C address outside the heap

        return
        [
            ParamsRecord.WithArch(false, 8, HeapStart, HeapEnd, "amd64", "go1.19.8", 4),
            new ObjectRecord(0xc000010020, Le64(0, 0), F(Field.Ptr(0), Field.Ptr(8))),
            new ObjectRecord(0xc000010000, Le64(0xc000010028, 0), F(Field.Ptr(0))),
            new ObjectRecord(0xc000010010, Bytes(0xde, 0xad, 0xbe, 0xef, 0xca, 0xfe, 0xba, 0xbe, 0xde, 0xad, 0xbe, 0xef, 0xca, 0xfe, 0xba, 0xbe), F()),
            new ObjectRecord(0xc000100000, Le64(large), F(Field.Ptr(0), Field.Ptr(8), Field.Ptr(8184))),
            new DataRecord(DataStart, Le64(0, 0), F()),
            new BssRecord(BssStart, Le64(0), F()),
            MemStats(1, objects: 4, bytes: 8240),
            EofRecord.Instance,
        ];
    }
}
