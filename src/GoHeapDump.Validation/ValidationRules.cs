namespace GoHeapDump.Validation;

/// <summary>A rule of the catalogue with what spec/FORMAT.md says beside it.</summary>
/// <param name="Rule">ID, slug, default severity and the one-line requirement.</param>
/// <param name="AppliesTo">The Go versions or producers the rule applies to.</param>
/// <param name="Rationale">Why the rule holds (one line).</param>
public sealed record RuleInfo(FormatRule Rule, string AppliesTo, string Rationale)
{
    public string Id => Rule.Id;
}

/// <summary>
/// The validator's rules beyond the parsers' S01–S10: whole-file structure (S11+), values (V01+) and
/// references between records (R01+). IDs are stable; spec/FORMAT.md lists the same catalogue.
/// </summary>
public static class ValidationRules
{
    // ---- Structure, checked by the validator across records ----

    public static FormatRule ParamsFirst { get; } = new("S11", "params-first", RuleSeverity.Error,
        "The first record after the header is the params record.");

    public static FormatRule ParamsOnce { get; } = new("S12", "params-once", RuleSeverity.Error,
        "There is exactly one params record.");

    public static FormatRule MemStatsOnce { get; } = new("S13", "mem-stats-once", RuleSeverity.Error,
        "There is exactly one memstats record.");

    public static FormatRule SectionOrder { get; } = new("S14", "section-order", RuleSeverity.Warning,
        "Records come in the runtime's section order: params, types/itabs, objects, goroutines with their frames, defers and panics, OS threads, data, bss, finalizers, queued finalizers, memstats, memprof, alloc samples, EOF.");

    public static FormatRule LegacyFieldKind { get; } = new("S15", "legacy-field-kind", RuleSeverity.Warning,
        "Field kinds iface (2) and eface (3) are not written since Go 1.5.");

    public static FormatRule OtherRoot { get; } = new("S16", "other-root", RuleSeverity.Warning,
        "Other-root records (tag 2) are not written since Go 1.5.");

    // ---- Values ----

    public static FormatRule PtrSize { get; } = new("V01", "ptr-size", RuleSeverity.Error,
        "The params pointer size is 4 or 8.");

    public static FormatRule HeapRange { get; } = new("V02", "heap-range", RuleSeverity.Error,
        "The params heap start is at most the heap end.");

    public static FormatRule ObjectInHeap { get; } = new("V03", "object-in-heap", RuleSeverity.Error,
        "Every object lies inside [heap start, heap end).");

    public static FormatRule FieldAligned { get; } = new("V04", "field-aligned", RuleSeverity.Error,
        "Field offsets of objects, data and bss are multiples of the pointer size.");

    public static FormatRule FieldInContents { get; } = new("V05", "field-in-contents", RuleSeverity.Error,
        "Every field of an object, data or bss record lies inside its contents (offset + pointer size <= length).");

    public static FormatRule FieldOrder { get; } = new("V06", "field-order", RuleSeverity.Error,
        "Field offsets of objects, data and bss strictly increase.");

    public static FormatRule ObjectOverlap { get; } = new("V07", "object-overlap", RuleSeverity.Error,
        "No two objects overlap, and no object is dumped twice.");

    public static FormatRule GoroutineStatus { get; } = new("V08", "goroutine-status", RuleSeverity.Error,
        "A goroutine's status is 1 (runnable), 3 (syscall) or 4 (waiting).");

    public static FormatRule FrameFieldAligned { get; } = new("V09", "frame-field-aligned", RuleSeverity.Warning,
        "Stack frame field offsets are multiples of the pointer size.");

    public static FormatRule FrameFieldInContents { get; } = new("V10", "frame-field-in-contents", RuleSeverity.Warning,
        "Every stack frame field lies inside the frame's contents.");

    public static FormatRule GoroutineBackground { get; } = new("V11", "goroutine-background", RuleSeverity.Warning,
        "A goroutine's is_background is false.");

    // ---- References ----

    public static FormatRule FrameFollowsGoroutine { get; } = new("R01", "frame-follows-goroutine", RuleSeverity.Error,
        "A stack frame follows its goroutine record or the goroutine's previous frame.");

    public static FormatRule FrameDepth { get; } = new("R02", "frame-depth", RuleSeverity.Error,
        "A goroutine's frames have depths 0, 1, 2, … in order.");

    public static FormatRule FrameChildSp { get; } = new("R03", "frame-child-sp", RuleSeverity.Error,
        "A frame's child sp is 0 at depth 0 and the previous frame's sp after that.");

    public static FormatRule GoroutineSp { get; } = new("R04", "goroutine-sp", RuleSeverity.Error,
        "A goroutine's sp equals the sp of its depth-0 frame, or is one pointer below it on 386, amd64 and wasm.");

    public static FormatRule DeferGoroutine { get; } = new("R05", "defer-goroutine", RuleSeverity.Error,
        "A defer record follows its goroutine (after the frames) and names that goroutine.");

    public static FormatRule DeferChain { get; } = new("R06", "defer-chain", RuleSeverity.Error,
        "A goroutine's defer records are its chain: the first is its top defer, each next is the previous link, the last link is 0.");

    public static FormatRule PanicGoroutine { get; } = new("R07", "panic-goroutine", RuleSeverity.Error,
        "A panic record follows its goroutine (after the frames) and names that goroutine.");

    public static FormatRule PanicChain { get; } = new("R08", "panic-chain", RuleSeverity.Error,
        "A goroutine's panic records are its chain: the first is its top panic, each next is the previous link, the last link is 0.");

    public static FormatRule ItabType { get; } = new("R09", "itab-type", RuleSeverity.Error,
        "An itab's type has a type record earlier in the file.");

    public static FormatRule AllocSampleBucket { get; } = new("R10", "alloc-sample-bucket", RuleSeverity.Error,
        "An alloc sample's bucket has a memprof record earlier in the file.");

    public static FormatRule AllocSampleObject { get; } = new("R11", "alloc-sample-object", RuleSeverity.Error,
        "An alloc sample's address lies inside a dumped object.");

    public static FormatRule FinalizerObject { get; } = new("R12", "finalizer-object", RuleSeverity.Error,
        "A finalizer's (registered or queued) object address lies inside a dumped object.");

    public static FormatRule GoroutineM { get; } = new("R13", "goroutine-m", RuleSeverity.Error,
        "A goroutine's m is 0 or the address of an OS thread record.");

    public static FormatRule GoroutineUnique { get; } = new("R14", "goroutine-unique", RuleSeverity.Error,
        "Each goroutine is dumped once.");

    // ---- What the Go runtime guarantees (strict; version-aware where releases differ) ----

    public static FormatRule AddressWidth { get; } = new("V12", "address-width", RuleSeverity.Error,
        "With 4-byte pointers, the params heap range and every object, data and bss address range fit in 32 bits.");

    public static FormatRule ParamsArchitecture { get; } = new("V13", "params-architecture", RuleSeverity.Warning,
        "The params byte order and pointer size are those of the architecture the params record names.");

    public static FormatRule ObjectAligned { get; } = new("V14", "object-aligned", RuleSeverity.Warning,
        "Every object's address is a multiple of 8.");

    public static FormatRule ObjectSizeClass { get; } = new("V15", "object-size-class", RuleSeverity.Warning,
        "Every object's length is one of the release's size classes or a whole number of 8 KiB pages.");

    public static FormatRule MemStatsCounts { get; } = new("V16", "mem-stats-counts", RuleSeverity.Warning,
        "In memstats, Alloc = HeapAlloc <= TotalAlloc, Frees <= Mallocs, and HeapObjects = Mallocs - Frees.");

    public static FormatRule MemStatsHeap { get; } = new("V17", "mem-stats-heap", RuleSeverity.Warning,
        "In memstats, HeapSys = HeapInuse + HeapIdle, HeapAlloc <= HeapInuse, and HeapReleased <= HeapIdle.");

    public static FormatRule MemStatsSys { get; } = new("V18", "mem-stats-sys", RuleSeverity.Warning,
        "In memstats, Sys is the sum of the seven *Sys fields, and StackInuse <= StackSys, MSpanInuse <= MSpanSys, MCacheInuse <= MCacheSys.");

    public static FormatRule MemStatsDumpedHeap { get; } = new("V19", "mem-stats-dumped-heap", RuleSeverity.Warning,
        "The dumped objects' count and total length are at most HeapObjects and HeapAlloc (Go 1.19 to 1.21, gccgo), and the length is at most HeapInuse (every release from 1.19, gccgo).");

    public static FormatRule HeapArenaAligned { get; } = new("V20", "heap-arena-aligned", RuleSeverity.Warning,
        "The params heap start and heap end are multiples of 4 MiB.");

    public static FormatRule MallocHeader { get; } = new("V21", "malloc-header", RuleSeverity.Warning,
        "From Go 1.22 (malloc headers), a small object over PtrSize x 8 x PtrSize bytes with pointer fields starts with its type pointer: no field at offset 0, and a first word that is not 0.");

    public static FormatRule DumpingGoroutine { get; } = new("S19", "dumping-goroutine", RuleSeverity.Warning,
        "A gc dump from Go 1.21 on holds the goroutine that wrote it, waiting with the reason \"dumping heap\".");

    public static FormatRule HeaderRelease { get; } = new("S20", "header-release", RuleSeverity.Warning,
        "The header and the params version string agree about the release: a go1.5 or go1.6 header has no Go version string, and a go1.7 header names no release before 1.16.");

    public static FormatRule GoroutineFrames { get; } = new("S17", "goroutine-frames", RuleSeverity.Warning,
        "In a gc dump every goroutine record is followed by its stack frames; a gccgo dump has no stack frames.");

    public static FormatRule DataAndBss { get; } = new("S18", "data-and-bss", RuleSeverity.Warning,
        "A gc dump has exactly one data and one bss record; a gccgo dump has neither.");

    public static FormatRule OsThreadUnique { get; } = new("R15", "os-thread-unique", RuleSeverity.Warning,
        "Each M is dumped once.");

    public static FormatRule GoidUnique { get; } = new("R16", "goid-unique", RuleSeverity.Warning,
        "No two goroutines have the same goid.");

    public static FormatRule FinalizerUnique { get; } = new("R17", "finalizer-unique", RuleSeverity.Warning,
        "An object has at most one registered finalizer.");

    /// <summary>Every rule, S01–S10 included, in catalogue order, with where it applies and why.</summary>
    public static IReadOnlyList<RuleInfo> Catalogue { get; } =
    [
        new(StructureRules.HeaderMagic, "all", "The three header variants are the only versions of the format."),
        new(StructureRules.UvarintTooLong, "all", "encoding/binary rejects an 11th byte; a 64-bit value needs at most 10."),
        new(StructureRules.UvarintOverflow, "all", "A 10th byte above 1 would carry bits beyond 64."),
        new(StructureRules.BoolValue, "all", "dumpbool writes 0 or 1; anything else means the reader lost its place."),
        new(StructureRules.UnknownTag, "all", "Records have no length; an unknown tag cannot be skipped."),
        new(StructureRules.UnknownFieldKind, "all", "Field kinds have no length either; an unknown one cannot be skipped."),
        new(StructureRules.Truncated, "all", "The runtime ignores write errors, so short files exist; they are not complete dumps."),
        new(StructureRules.MissingEof, "all", "EOF is the only proof that the writer finished."),
        new(StructureRules.TrailingBytes, "all", "The runtime writes nothing after EOF; more bytes mean a concatenation or a wrong length."),
        new(StructureRules.NonMinimalUvarint, "gc runtime", "dumpint always writes the shortest form; a longer one comes from another writer."),
        new(ParamsFirst, "all", "dumpparams runs first (mdump); readers need the pointer size and heap range before anything else."),
        new(ParamsOnce, "all", "mdump calls dumpparams once; two would disagree about the layout."),
        new(MemStatsOnce, "all", "mdump calls dumpmemstats once (gccgo too)."),
        new(SectionOrder, "gc runtime", "mdump writes the sections in a fixed order; tools may rely on it but the format does not need it."),
        new(LegacyFieldKind, "gc runtime ≥ 1.5", "dumpbv writes only fieldKindPtr since interfaces are listed as their data word."),
        new(OtherRoot, "gc runtime ≥ 1.5", "dumpotherroot is defined but has no caller since Go 1.5."),
        new(PtrSize, "all", "Every Go architecture has 4- or 8-byte pointers (goarch.PtrSize)."),
        new(HeapRange, "all", "The range is the heap arenas' bounding box (since 1.11) or arena_start..arena_used."),
        new(ObjectInHeap, "all", "dumpobjs walks spans in the heap arenas, which lie inside the params range."),
        new(FieldAligned, "all", "dumpbv lists pointer words: offset = bit index × pointer size."),
        new(FieldInContents, "all", "makeheapobjbv stops at the object's size; data/bss masks cover their segments."),
        new(FieldOrder, "all", "dumpbv walks the pointer bitmap upwards."),
        new(ObjectOverlap, "all", "Size-class slots and large-object spans are disjoint; each live slot is dumped once."),
        new(GoroutineStatus, "all", "dumpgs skips dead goroutines and throws on any status but runnable, syscall and waiting."),
        new(FrameFieldAligned, "gc runtime", "Frame fields are pointer words of the args and locals areas; softer than objects because conservative frames are synthesised."),
        new(FrameFieldInContents, "gc runtime, go1.7 headers", "Go 1.5/1.6 list goexit argument slots past the frame's contents; later releases stay inside."),
        new(GoroutineBackground, "gc runtime ≥ 1.5", "dumpgoroutine writes dumpbool(false) for isbackground."),
        new(FrameFollowsGoroutine, "all (gccgo writes no frames)", "dumpgoroutine traces the stack right after the goroutine record; a frame has no other link to its goroutine."),
        new(FrameDepth, "all", "dumpframe counts depth from 0 at the innermost frame, one per frame."),
        new(FrameChildSp, "all", "dumpframe passes each frame's sp to its caller's record as child sp."),
        new(GoroutineSp, "gc runtime (checked when the goroutine has frames)", "gentraceback starts at the sp dumpgoroutine writes (syscallsp or sched.sp); with pc 0, targets without a link register first pop the return address at sp."),
        new(DeferGoroutine, "all", "dumpgoroutine writes a goroutine's defers after its frames, with the goroutine's address."),
        new(DeferChain, "all", "The defer loop walks gp._defer through d.link."),
        new(PanicGoroutine, "all", "dumpgoroutine writes a goroutine's panics after its defers, with the goroutine's address."),
        new(PanicChain, "all", "The panic loop walks gp._panic through p.link."),
        new(ItabType, "go1.7 headers (1.5/1.6 itabs name the type's ptrto, which may be 0 and unrecorded)", "itab_callback calls dumptype before the itab; duplicates are fine, absence is not."),
        new(AllocSampleBucket, "all", "dumpmemprof writes every bucket before the specials that point to them."),
        new(AllocSampleObject, "all", "A profile special belongs to a live object (tiny allocations make the address interior)."),
        new(FinalizerObject, "all", "Finalizer specials and queued finalizers keep their objects alive, so the objects are dumped (interior for tiny allocations)."),
        new(GoroutineM, "all", "dumpms writes every M on allm; a goroutine's m is one of them."),
        new(GoroutineUnique, "all", "forEachG visits each g once."),
        new(AddressWidth, "all", "A 32-bit process has 32-bit uintptrs: dumpparams and dumpobjs write addresses that fit."),
        new(ParamsArchitecture, "gc runtime and gccgo, architectures known here", "dumpparams measures the byte order and writes goarch.PtrSize of the architecture it also names (internal/goarch)."),
        new(ObjectAligned, "gc runtime and gccgo", "Spans start on pages and every size class is a multiple of 8 (mheap.go, sizeclasses.go)."),
        new(ObjectSizeClass, "gc runtime and gccgo (67 classes before Go 1.15, 68 from it)", "dumpobjs dumps whole span slots of elemsize bytes: a size class, or npages × 8192 for a large object (mheap.go initSpan)."),
        new(MemStatsCounts, "gc runtime ≥ 1.19, gccgo", "readmemstats_m derives Alloc and HeapAlloc from the same total, and HeapObjects as Mallocs − Frees (mstats.go)."),
        new(MemStatsHeap, "gc runtime ≥ 1.19, gccgo", "readmemstats_m: HeapIdle counts free and released pages, HeapSys adds the in-use ones; allocated slots lie in in-use spans (mstats.go)."),
        new(MemStatsSys, "gc runtime ≥ 1.19, gccgo", "readmemstats_m sets Sys to the total mapped memory, which it splits exactly into the *Sys fields (mstats.go)."),
        new(MemStatsDumpedHeap, "gc runtime ≥ 1.19, gccgo", "Memstats are read under the dump's stop-the-world before mdump sweeps the spans, so every dumped object is one they count (an unfinished sweep frees some before dumpobjs, so the dump may hold fewer); from 1.22 dumpobjs also dumps the slots past nelems that hold the span's heap bits, which memstats never count."),
        new(HeapArenaAligned, "gc runtime ≥ 1.19, gccgo", "Since the sparse heap (1.11) the range is the arenas' bounding box, and arenas are 64 MiB (4 MiB on 32-bit targets, windows/amd64, wasm, ios/arm64) at aligned addresses (malloc.go heapArenaBytes)."),
        new(MallocHeader, "gc runtime ≥ 1.22 without GOEXPERIMENT=noallocheaders", "mallocgc puts an 8-byte header holding the object's *_type before every object with pointers over 512 bytes (128 with 4-byte pointers) in a small-object span, and makeheapobjbv lists the type's pointers from 8 bytes in (mbitmap.go typePointersOfUnchecked); a pointer field at offset 0 is the 1.21 heap bitmap's field list."),
        new(DumpingGoroutine, "gc runtime ≥ 1.21", "writeheapdump_m puts its goroutine in _Gwaiting with waitReasonDumpingHeap for the whole dump, and dumpgs dumps waiting goroutines; gccgo's dumper is not dumped waiting."),
        new(HeaderRelease, "gc runtime", "Go 1.5 and 1.6 wrote their own header and GOEXPERIMENT in the params string; 1.7 to 1.16 wrote go1.7 and GOEXPERIMENT; the build version (\"go1.17.3\") appears from 1.17 (heapdump.go dumpparams)."),
        new(GoroutineFrames, "gc runtime; gccgo", "gc's dumpgoroutine walks every dumped goroutine's stack (its depth-0 frame is at the goroutine's sp); libgo's writes no frames."),
        new(DataAndBss, "gc runtime; gccgo", "gc's dumproots writes firstmoduledata's data and bss once; libgo's dumproots writes neither."),
        new(OsThreadUnique, "gc runtime and gccgo", "dumpms walks allm, a list with each M once."),
        new(GoidUnique, "gc runtime", "Goids come from sched.goidgen, and a reused g gets a fresh one (proc.go newproc1)."),
        new(FinalizerUnique, "gc runtime and gccgo", "SetFinalizer throws \"finalizer already set\"; addfinalizer refuses a second special (mheap.go)."),
    ];

    /// <summary>Looks a rule up by ID.</summary>
    public static RuleInfo? Find(string id)
    {
        foreach (var info in Catalogue)
        {
            if (string.Equals(info.Id, id, StringComparison.OrdinalIgnoreCase))
            {
                return info;
            }
        }

        return null;
    }
}
