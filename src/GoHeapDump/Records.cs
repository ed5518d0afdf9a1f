namespace GoHeapDump;

// The record model: one type per record kind, fields in wire order, named as in spec/go_heapdump.ksy
// (snake_case there, PascalCase here). Records are values: equal when every field is equal.
// Every writer, parser and rule in the suite speaks in these types.

/// <summary>One entry of a field list: a kind and the offset of the field inside the described memory.</summary>
/// <param name="Kind">Field kind; always <see cref="FieldKind.Ptr"/> since Go 1.5.</param>
/// <param name="Offset">Byte offset from the start of the contents.</param>
public readonly record struct Field(FieldKind Kind, ulong Offset)
{
    /// <summary>A pointer field at <paramref name="offset"/>.</summary>
    public static Field Ptr(ulong offset) => new(FieldKind.Ptr, offset);

    public override string ToString() => $"{Kind.Name()}@{Offset}";
}

/// <summary>Base of all records.</summary>
public abstract record HeapDumpRecord
{
    /// <summary>The record's tag.</summary>
    public abstract RecordKind Kind { get; }
}

/// <summary>Tag 0: the last record. Go: dumpint(tagEOF) at the end of mdump.</summary>
public sealed record EofRecord : HeapDumpRecord
{
    /// <summary>The one EOF record.</summary>
    public static EofRecord Instance { get; } = new();

    public override RecordKind Kind => RecordKind.Eof;
}

/// <summary>Tag 1: a heap object, the whole size-class slot. Go: dumpobj.</summary>
/// <param name="Address">Address of the object.</param>
/// <param name="Contents">The slot's bytes (size-class size, or the whole span for large objects).</param>
/// <param name="Fields">Pointer-bearing fields, from the heap bitmap.</param>
public sealed record ObjectRecord(ulong Address, GoString Contents, EquatableArray<Field> Fields) : HeapDumpRecord
{
    public override RecordKind Kind => RecordKind.Object;
}

/// <summary>Tag 2: a root that fits no other kind. Go: dumpotherroot (not called since Go 1.5).</summary>
/// <param name="Description">Textual description of where the root came from.</param>
/// <param name="Pointer">The root pointer.</param>
public sealed record OtherRootRecord(GoString Description, ulong Pointer) : HeapDumpRecord
{
    public override RecordKind Kind => RecordKind.OtherRoot;
}

/// <summary>Tag 3: a type descriptor, written only for itabs, through the type cache. Go: dumptype.</summary>
/// <param name="Address">Address of the runtime._type.</param>
/// <param name="Size">Size of a value of the type.</param>
/// <param name="Name">pkgpath + "." + name when the type has an uncommon part with a package path, else the type string.</param>
/// <param name="IfaceDataIsPointer">Go: <c>kind&amp;kindDirectIface == 0 || ptrdata != 0</c>.</param>
public sealed record TypeRecord(ulong Address, ulong Size, GoString Name, bool IfaceDataIsPointer) : HeapDumpRecord
{
    public override RecordKind Kind => RecordKind.Type;
}

/// <summary>Tag 4: a goroutine. Go: dumpgoroutine.</summary>
/// <param name="Address">Address of the runtime.g.</param>
/// <param name="Sp">Stack pointer: syscallsp when in a syscall, else sched.sp.</param>
/// <param name="Goid">Goroutine id.</param>
/// <param name="Gopc">PC of the go statement that created it.</param>
/// <param name="Status">readgstatus: 1 runnable, 3 syscall, 4 waiting.</param>
/// <param name="IsSystem">isSystemGoroutine.</param>
/// <param name="IsBackground">Always false since Go 1.5.</param>
/// <param name="WaitSince">Approximate time it started waiting (nanoseconds).</param>
/// <param name="WaitReason">waitReason string ("unknown wait reason" when out of range).</param>
/// <param name="Ctxt">sched.ctxt.</param>
/// <param name="M">Address of its M, or 0.</param>
/// <param name="TopDefer">Address of the top defer record, or 0.</param>
/// <param name="TopPanic">Address of the top panic record, or 0.</param>
public sealed record GoroutineRecord(
    ulong Address,
    ulong Sp,
    ulong Goid,
    ulong Gopc,
    ulong Status,
    bool IsSystem,
    bool IsBackground,
    ulong WaitSince,
    GoString WaitReason,
    ulong Ctxt,
    ulong M,
    ulong TopDefer,
    ulong TopPanic) : HeapDumpRecord
{
    public override RecordKind Kind => RecordKind.Goroutine;
}

/// <summary>Tag 5: a stack frame, written during the traceback of its goroutine. Go: dumpframe.</summary>
/// <param name="Sp">Lowest address in the frame.</param>
/// <param name="Depth">Frames deep on the stack; 0 is the most recent.</param>
/// <param name="ChildSp">sp of the callee frame (depth − 1), 0 at depth 0.</param>
/// <param name="Contents">The frame's bytes, sp to fp.</param>
/// <param name="EntryPc">Entry PC of the function.</param>
/// <param name="Pc">Current PC in the function.</param>
/// <param name="ContinuationPc">PC where execution continues (continpc).</param>
/// <param name="Name">Function name ("unknown function" when unavailable).</param>
/// <param name="Fields">Pointer fields, from the stack maps.</param>
public sealed record StackFrameRecord(
    ulong Sp,
    ulong Depth,
    ulong ChildSp,
    GoString Contents,
    ulong EntryPc,
    ulong Pc,
    ulong ContinuationPc,
    GoString Name,
    EquatableArray<Field> Fields) : HeapDumpRecord
{
    public override RecordKind Kind => RecordKind.StackFrame;
}

/// <summary>Tag 6: dump parameters. Go: dumpparams.</summary>
/// <remarks>Exactly one of <see cref="Arch"/> (go1.7 headers) and <see cref="TheChar"/> (go1.5/go1.6) is set.</remarks>
/// <param name="BigEndian">True on big-endian targets.</param>
/// <param name="PtrSize">Pointer size in bytes (4 or 8).</param>
/// <param name="HeapStart">Start of the heap range (since 1.11, the arenas' bounding box).</param>
/// <param name="HeapEnd">End of the heap range.</param>
/// <param name="Arch">GOARCH, for go1.7 headers; null otherwise.</param>
/// <param name="TheChar">The architecture character ('6' = amd64…), for go1.5/go1.6 headers; null otherwise.</param>
/// <param name="VersionInfo">GOEXPERIMENT (≤ 1.16) or the build version (1.17+).</param>
/// <param name="Ncpu">Number of CPUs.</param>
public sealed record ParamsRecord(
    bool BigEndian,
    ulong PtrSize,
    ulong HeapStart,
    ulong HeapEnd,
    GoString? Arch,
    ulong? TheChar,
    GoString VersionInfo,
    ulong Ncpu) : HeapDumpRecord
{
    public override RecordKind Kind => RecordKind.Params;

    /// <summary>A go1.7-style params record (architecture as a string).</summary>
    public static ParamsRecord WithArch(bool bigEndian, ulong ptrSize, ulong heapStart, ulong heapEnd, GoString arch, GoString versionInfo, ulong ncpu) =>
        new(bigEndian, ptrSize, heapStart, heapEnd, arch, null, versionInfo, ncpu);

    /// <summary>A go1.5/go1.6-style params record (architecture as a uvarint thechar).</summary>
    public static ParamsRecord WithTheChar(bool bigEndian, ulong ptrSize, ulong heapStart, ulong heapEnd, ulong theChar, GoString versionInfo, ulong ncpu) =>
        new(bigEndian, ptrSize, heapStart, heapEnd, null, theChar, versionInfo, ncpu);
}

/// <summary>Fields shared by registered (tag 7) and queued (tag 11) finalizers. Go: dumpfinalizer, finq_callback.</summary>
/// <param name="Object">Address of the object the finalizer is set on.</param>
/// <param name="Funcval">Address of the finalizer's FuncVal.</param>
/// <param name="EntryPc">PC of the finalizer function (fn.fn).</param>
/// <param name="ArgType">Type of the finalizer's argument (fint).</param>
/// <param name="ObjectType">Type of the object (ot).</param>
public abstract record FinalizerRecordBase(ulong Object, ulong Funcval, ulong EntryPc, ulong ArgType, ulong ObjectType) : HeapDumpRecord;

/// <summary>Tag 7: a finalizer registered on a live object. Go: dumpfinalizer from the span specials.</summary>
public sealed record FinalizerRecord(ulong Object, ulong Funcval, ulong EntryPc, ulong ArgType, ulong ObjectType)
    : FinalizerRecordBase(Object, Funcval, EntryPc, ArgType, ObjectType)
{
    public override RecordKind Kind => RecordKind.Finalizer;
}

/// <summary>Tag 11: a finalizer queued to run (its object is unreachable). Go: finq_callback.</summary>
public sealed record QueuedFinalizerRecord(ulong Object, ulong Funcval, ulong EntryPc, ulong ArgType, ulong ObjectType)
    : FinalizerRecordBase(Object, Funcval, EntryPc, ArgType, ObjectType)
{
    public override RecordKind Kind => RecordKind.QueuedFinalizer;
}

/// <summary>Tag 8: an itab. Go: itab_callback.</summary>
/// <param name="Address">Address of the itab.</param>
/// <param name="TypeAddress">Go 1.7+: the type stored in the interface (has an earlier type record); 1.5/1.6: the pointer type.</param>
public sealed record ItabRecord(ulong Address, ulong TypeAddress) : HeapDumpRecord
{
    public override RecordKind Kind => RecordKind.Itab;
}

/// <summary>Tag 9: an OS thread (M). Go: dumpms.</summary>
/// <param name="Address">Address of the runtime.m.</param>
/// <param name="Id">The M's id.</param>
/// <param name="ProcId">The OS thread id.</param>
public sealed record OsThreadRecord(ulong Address, ulong Id, ulong ProcId) : HeapDumpRecord
{
    public override RecordKind Kind => RecordKind.OsThread;
}

/// <summary>Tag 10: runtime.MemStats, 24 scalars, PauseNs[256], NumGC. Go: dumpmemstats.</summary>
public sealed record MemStatsRecord : HeapDumpRecord
{
    /// <summary>Names of the 24 scalars in wire order: the .ksy ids and the JSONL keys.</summary>
    public static IReadOnlyList<string> ScalarNames { get; } =
    [
        "alloc", "total_alloc", "sys", "lookups", "mallocs", "frees", "heap_alloc", "heap_sys", "heap_idle",
        "heap_inuse", "heap_released", "heap_objects", "stack_inuse", "stack_sys", "mspan_inuse", "mspan_sys",
        "mcache_inuse", "mcache_sys", "buck_hash_sys", "gc_sys", "other_sys", "next_gc", "last_gc", "pause_total_ns",
    ];

    /// <summary>Number of scalars before PauseNs.</summary>
    public const int ScalarCount = 24;

    /// <summary>Builds a record from the 281 values in wire order.</summary>
    public MemStatsRecord(EquatableArray<ulong> scalars, EquatableArray<ulong> pauseNs, ulong numGC)
    {
        if (scalars.Count != ScalarCount)
        {
            throw new ArgumentException($"memstats needs {ScalarCount} scalars, got {scalars.Count}", nameof(scalars));
        }

        if (pauseNs.Count != HeapDumpFormat.PauseNsCount)
        {
            throw new ArgumentException($"memstats needs {HeapDumpFormat.PauseNsCount} PauseNs values, got {pauseNs.Count}", nameof(pauseNs));
        }

        Scalars = scalars;
        PauseNs = pauseNs;
        NumGC = numGC;
    }

    public override RecordKind Kind => RecordKind.MemStats;

    /// <summary>The 24 scalars in wire order (see <see cref="ScalarNames"/>).</summary>
    public EquatableArray<ulong> Scalars { get; }

    /// <summary>PauseNs, the circular buffer of recent GC pause times.</summary>
    public EquatableArray<ulong> PauseNs { get; }

    /// <summary>NumGC.</summary>
    public ulong NumGC { get; }

    public ulong Alloc => Scalars[0];
    public ulong TotalAlloc => Scalars[1];
    public ulong Sys => Scalars[2];
    public ulong Lookups => Scalars[3];
    public ulong Mallocs => Scalars[4];
    public ulong Frees => Scalars[5];
    public ulong HeapAlloc => Scalars[6];
    public ulong HeapSys => Scalars[7];
    public ulong HeapIdle => Scalars[8];
    public ulong HeapInuse => Scalars[9];
    public ulong HeapReleased => Scalars[10];
    public ulong HeapObjects => Scalars[11];
    public ulong StackInuse => Scalars[12];
    public ulong StackSys => Scalars[13];
    public ulong MSpanInuse => Scalars[14];
    public ulong MSpanSys => Scalars[15];
    public ulong MCacheInuse => Scalars[16];
    public ulong MCacheSys => Scalars[17];
    public ulong BuckHashSys => Scalars[18];
    public ulong GCSys => Scalars[19];
    public ulong OtherSys => Scalars[20];
    public ulong NextGC => Scalars[21];
    public ulong LastGC => Scalars[22];
    public ulong PauseTotalNs => Scalars[23];
}

/// <summary>Data segment (tag 12) and bss segment (tag 13) share a shape. Go: dumproots.</summary>
/// <param name="Address">Start of the segment.</param>
/// <param name="Contents">The segment's bytes.</param>
/// <param name="Fields">Pointer fields, from the module's gcdatamask / gcbssmask.</param>
public abstract record SegmentRecordBase(ulong Address, GoString Contents, EquatableArray<Field> Fields) : HeapDumpRecord;

/// <summary>Tag 12: the first module's data segment.</summary>
public sealed record DataRecord(ulong Address, GoString Contents, EquatableArray<Field> Fields)
    : SegmentRecordBase(Address, Contents, Fields)
{
    public override RecordKind Kind => RecordKind.Data;
}

/// <summary>Tag 13: the first module's bss segment.</summary>
public sealed record BssRecord(ulong Address, GoString Contents, EquatableArray<Field> Fields)
    : SegmentRecordBase(Address, Contents, Fields)
{
    public override RecordKind Kind => RecordKind.Bss;
}

/// <summary>Tag 14: a defer record of a goroutine. Go: dumpgoroutine's defer loop.</summary>
/// <param name="Address">Address of the _defer.</param>
/// <param name="Goroutine">Address of the goroutine it belongs to.</param>
/// <param name="Sp">sp at the defer (the wiki calls it argp).</param>
/// <param name="Pc">pc at the defer; 0 for open-coded defers.</param>
/// <param name="Funcval">Address of the deferred FuncVal; 0 for open-coded defers.</param>
/// <param name="EntryPc">Entry PC of the deferred function (fn.fn); 0 when there is no FuncVal.</param>
/// <param name="Link">Next defer in the chain, or 0.</param>
public sealed record DeferRecord(ulong Address, ulong Goroutine, ulong Sp, ulong Pc, ulong Funcval, ulong EntryPc, ulong Link) : HeapDumpRecord
{
    public override RecordKind Kind => RecordKind.Defer;
}

/// <summary>Tag 15: a panic record of a goroutine. Go: dumpgoroutine's panic loop.</summary>
/// <param name="Address">Address of the _panic.</param>
/// <param name="Goroutine">Address of the goroutine it belongs to.</param>
/// <param name="ArgType">Type word of the panic argument (eface._type).</param>
/// <param name="ArgData">Data word of the panic argument (eface.data).</param>
/// <param name="Defer">Always 0 ("was p->defer, no longer recorded").</param>
/// <param name="Link">Next panic in the chain, or 0.</param>
public sealed record PanicRecord(ulong Address, ulong Goroutine, ulong ArgType, ulong ArgData, ulong Defer, ulong Link) : HeapDumpRecord
{
    public override RecordKind Kind => RecordKind.Panic;
}

/// <summary>One frame of a memory-profile stack.</summary>
/// <param name="FuncName">Function name, or <c>(0x…)</c> when the PC does not resolve.</param>
/// <param name="File">Source file, or <c>?</c>.</param>
/// <param name="Line">Line number, or 0.</param>
public readonly record struct MemProfFrame(GoString FuncName, GoString File, ulong Line);

/// <summary>Tag 16: a memory-profile bucket. Go: dumpmemprof_callback.</summary>
/// <param name="Address">Address of the bucket.</param>
/// <param name="Size">Allocation size the bucket records.</param>
/// <param name="Frames">The allocation stack, innermost first (count written as a uvarint before them).</param>
/// <param name="Allocs">Number of allocations.</param>
/// <param name="Frees">Number of frees.</param>
public sealed record MemProfRecord(ulong Address, ulong Size, EquatableArray<MemProfFrame> Frames, ulong Allocs, ulong Frees) : HeapDumpRecord
{
    public override RecordKind Kind => RecordKind.MemProf;
}

/// <summary>Tag 17: an object sampled by the memory profiler. Go: dumpmemprof's specials loop.</summary>
/// <param name="Object">Address of the sampled object.</param>
/// <param name="Bucket">Address of its memprof bucket.</param>
public sealed record AllocSampleRecord(ulong Object, ulong Bucket) : HeapDumpRecord
{
    public override RecordKind Kind => RecordKind.AllocSample;
}
