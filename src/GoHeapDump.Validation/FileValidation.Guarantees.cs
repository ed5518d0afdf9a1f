using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace GoHeapDump.Validation;

/// <summary>
/// What the Go runtime's implementation guarantees beyond the format (V12–V19, S17, S18, R15–R17): address widths,
/// byte order per architecture, size-class slots, the memstats identities and their relation to the dumped heap,
/// each producer's shape, uniqueness. All but V12 are strict rules; each names the releases and producers it holds
/// for, and a rule never fires on a dump whose params do not say it applies.
/// </summary>
internal sealed partial class FileValidation
{
    private GoVersion? _goVersion;
    private bool[] _sizeClasses = SizeClassTable.From1_15;
    private long _dataCount;
    private long _bssCount;
    private long _extraSegmentOffset = -1;
    private long _extraSegmentIndex;
    private RecordKind _extraSegmentKind;
    private long _eofOffset = -1;
    private long _eofIndex;
    private bool _gccgoFrameReported;
    private bool _dumperSeen;
    private readonly HashSet<ulong> _goids = [];
    private readonly HashSet<ulong> _finalized = [];

    // The memstats values V19 compares with the dumped heap once every object has been read.
    private bool _memStatsSeen;
    private ulong _heapObjects;
    private ulong _heapAlloc;
    private ulong _heapInuse;
    private long _heapObjectsOffset;
    private long _heapAllocOffset;
    private long _heapInuseOffset;
    private long _memStatsIndex;

    // What the params say of the producer, set once by CheckProducer: read for every object, so fields, not
    // GoVersion lookups (MallocHeaders searches GOEXPERIMENT: 10 % of a Native AOT validate when asked per object).
    private bool IsGc { get; set; }

    private bool IsGccgo { get; set; }

    /// <summary>The params name a Go runtime (gc or gccgo): the guarantees of its implementation apply.</summary>
    private bool IsGoRuntime => IsGc || IsGccgo;

    /// <summary>gc with malloc headers (1.22+, not GOEXPERIMENT=noallocheaders): V21 applies.</summary>
    private bool _mallocHeaders;

    /// <summary>
    /// The memstats rules hold where the dump's memstats are <c>readmemstats_m</c>'s under the dump's stop-the-world:
    /// verified on every gc release from 1.19 to 1.27 and on gccgo 12 (whose libgo is Go 1.18's). Older releases wrote
    /// the global memstats after updatememstats, whose identities nobody here has checked on a real dump.
    /// </summary>
    private bool MemStatsAreExact => IsGccgo || (IsGc && _goVersion!.IsAtLeast(1, 19));

    /// <summary>Params: the producer, V13, and V12 for the heap range.</summary>
    private void CheckProducer(HeapDumpRecordView v)
    {
        var text = Encoding.UTF8.GetString(v.Text2);
        _goVersion = GoVersion.Parse(text, _version);
        IsGc = _goVersion.Compiler == GoCompiler.Gc;
        IsGccgo = _goVersion.Compiler == GoCompiler.Gccgo;
        _mallocHeaders = IsGc && _goVersion.MallocHeaders == true;

        CheckHeaderRelease(v, text);

        // Go 1.15 added the 24-byte class; a go1.5/go1.6 header is certainly older.
        _sizeClasses = _goVersion.IsBefore(1, 15) ? SizeClassTable.Before1_15 : SizeClassTable.From1_15;

        var arch = _version == HeaderVersion.Go17 ? Encoding.UTF8.GetString(v.Text) : DumpProducer.TheCharArch(v[ParamsValues.TheChar]);
        if (GoArchTraits.Find(arch) is { } traits && IsGoRuntime)
        {
            var bigEndian = v[ParamsValues.BigEndian] != 0;
            if (traits.BigEndian != bigEndian)
            {
                Add(ValidationRules.ParamsArchitecture, v.ValueOffset(ParamsValues.BigEndian), v.Index, RecordKind.Params,
                    $"{(bigEndian ? "big" : "little")}-endian, but {arch} is {(traits.BigEndian ? "big" : "little")}-endian");
            }

            // A pointer size other than 4 or 8 is V01's.
            if (v[ParamsValues.PtrSize] is 4 or 8 && v[ParamsValues.PtrSize] != (ulong)traits.PtrSize)
            {
                Add(ValidationRules.ParamsArchitecture, v.ValueOffset(ParamsValues.PtrSize), v.Index, RecordKind.Params,
                    string.Create(CultureInfo.InvariantCulture, $"pointer size {v[ParamsValues.PtrSize]}, but {arch} has {traits.PtrSize}-byte pointers"));
            }
        }

        // Go: runtime/malloc.go heapArenaBytes — 4 MiB at the least (64 MiB on most 64-bit targets), arena-aligned.
        const ulong arena = 4 << 20;
        if (MemStatsAreExact && ((v[ParamsValues.HeapStart] | v[ParamsValues.HeapEnd]) & (arena - 1)) != 0)
        {
            var which = (v[ParamsValues.HeapStart] & (arena - 1)) != 0 ? ParamsValues.HeapStart : ParamsValues.HeapEnd;
            Add(ValidationRules.HeapArenaAligned, v.ValueOffset(which), v.Index, RecordKind.Params,
                $"heap {(which == ParamsValues.HeapStart ? "start" : "end")} {Hex(v[which])} is not a multiple of 4 MiB, the smallest heap arena");
        }

        if (_ptrSize == 4)
        {
            // heap_end is a uintptr too: the arena bound past the last arena, which a 32-bit process can still represent.
            if (v[ParamsValues.HeapEnd] > uint.MaxValue)
            {
                Add(ValidationRules.AddressWidth, v.ValueOffset(ParamsValues.HeapEnd), v.Index, RecordKind.Params,
                    $"heap end {Hex(v[ParamsValues.HeapEnd])} does not fit in 4-byte pointers");
            }
            else if (v[ParamsValues.HeapStart] > uint.MaxValue)
            {
                Add(ValidationRules.AddressWidth, v.ValueOffset(ParamsValues.HeapStart), v.Index, RecordKind.Params,
                    $"heap start {Hex(v[ParamsValues.HeapStart])} does not fit in 4-byte pointers");
            }
        }
    }

    /// <summary>S20: the header variant and the params string tell the same release.</summary>
    private void CheckHeaderRelease(HeapDumpRecordView v, string text)
    {
        string? contradiction = null;
        if (_version != HeaderVersion.Go17 && text.StartsWith("go1.", StringComparison.Ordinal))
        {
            contradiction = $"a go1.{(int)_version} header, whose release wrote GOEXPERIMENT here, with the version string \"{text}\"";
        }
        else if (_version == HeaderVersion.Go17 && _goVersion is { Compiler: GoCompiler.Gc, Release: { } r } && !r.IsAtLeast(1, 16))
        {
            contradiction = $"a go1.7 header with the version string \"{text}\": go1.5 and go1.6 wrote their own headers, and no release before 1.17 wrote a version string";
        }

        if (contradiction is not null)
        {
            // At the version string's length prefix (the field before ncpu).
            var at = v.ValueOffset(ParamsValues.Ncpu) - v.Text2.Length - Uvarint.Length((ulong)v.Text2.Length);
            Add(ValidationRules.HeaderRelease, at, v.Index, RecordKind.Params, contradiction);
        }
    }

    /// <summary>
    /// V21: from Go 1.22 an object with pointers over PtrSize·8·PtrSize bytes in a small-object span starts with an 8-byte
    /// malloc header holding its type (Go: runtime/malloc.go mallocgc, mbitmap.go heapSetType), which makeheapobjbv
    /// does not list: its pointer fields start 8 bytes in (typePointersOfUnchecked). A field at offset 0 is a field list
    /// written the 1.21 way, from the heap bitmap; a first word of 0 is no type. A first word inside the heap can be one:
    /// reflect.StructOf, ArrayOf and friends allocate their types on the heap. (The reverse, 1.22's extra slots in a 1.21
    /// dump, is V19's.) Called for gc with malloc headers only (CheckObject).
    /// </summary>
    private void CheckMallocHeader(HeapDumpRecordView v, ulong address, ulong size)
    {
        const ulong maxSmallSize = 32768;
        if (size > maxSmallSize || _ptrSize is not (4 or 8) || size <= _ptrSize * _ptrSize * 8
            || v.FieldSummary.Count == 0)
        {
            return;
        }

        FieldView first = default;
        foreach (var f in v.Fields)
        {
            first = f;
            break;
        }

        if (first.Offset == 0)
        {
            Add(ValidationRules.MallocHeader, first.Position, v.Index, RecordKind.Object,
                $"object {Hex(address)} of {N(size)} bytes lists a pointer at offset 0, where {_goVersion!.Describe()} keeps the malloc header (its type, not a listed pointer): a field list from the 1.21 heap bitmap");
            return;
        }

        if (v.ContentsSkipped || v.Contents.Length < (int)_ptrSize)
        {
            return;
        }

        var word = v.Contents[..(int)_ptrSize];
        ulong header = _ptrSize == 8
            ? (_bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(word) : BinaryPrimitives.ReadUInt64LittleEndian(word))
            : (_bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(word) : BinaryPrimitives.ReadUInt32LittleEndian(word));
        if (header == 0)
        {
            Add(ValidationRules.MallocHeader, v.ContentsLengthOffset, v.Index, RecordKind.Object,
                $"object {Hex(address)} of {N(size)} bytes starts with nil: under {_goVersion!.Describe()} its first word is the malloc header, a pointer to its type");
        }
    }

    /// <summary>Data and bss: V12 and the count S18 checks at the end.</summary>
    private void CheckSegment(HeapDumpRecordView v)
    {
        var address = v[SegmentValues.Address];
        var size = (ulong)v.ContentsLength;
        if (_ptrSize == 4 && (address > uint.MaxValue || size > (ulong)uint.MaxValue + 1 - address))
        {
            Add(ValidationRules.AddressWidth, v.ValueOffset(SegmentValues.Address), v.Index, v.Kind,
                $"{v.Kind.Name()} segment {Hex(address)} of {N(size)} bytes does not fit in 4-byte pointers");
        }

        var count = v.Kind == RecordKind.Data ? ++_dataCount : ++_bssCount;
        if ((count > 1 || IsGccgo) && _extraSegmentOffset < 0)
        {
            _extraSegmentOffset = v.Offset;
            _extraSegmentIndex = v.Index;
            _extraSegmentKind = v.Kind;
        }
    }

    /// <summary>S19's dumping goroutine, and R16.</summary>
    private void CheckGoroutineGuarantees(HeapDumpRecordView v)
    {
        // S19: the goroutine that called WriteHeapDump (Go: runtime/heapdump.go writeheapdump_m).
        if (v[GoroutineValues.Status] == 4 && v.Text.SequenceEqual("dumping heap"u8))
        {
            _dumperSeen = true;
        }

        var goid = v[GoroutineValues.Goid];
        if (IsGc && SeenBefore(_goids, goid))
        {
            Add(ValidationRules.GoidUnique, v.ValueOffset(GoroutineValues.Goid), v.Index, RecordKind.Goroutine,
                $"goid {N(goid)} was dumped before (goroutine {Hex(v[GoroutineValues.Address])})");
        }
    }

    /// <summary>True when <paramref name="value"/> is in <paramref name="set"/> already; otherwise remembers it (under the memory cap).</summary>
    private bool SeenBefore(HashSet<ulong> set, ulong value)
    {
        if (!_capped && set.Contains(value))
        {
            return true;
        }

        Remember(set, value);
        return false;
    }

    /// <summary>S17 for gccgo: libgo's dumpgoroutine writes no frames, so one is a sign of a mixed producer.</summary>
    private void CheckFrameShape(HeapDumpRecordView v)
    {
        if (IsGccgo && !_gccgoFrameReported)
        {
            _gccgoFrameReported = true;
            Add(ValidationRules.GoroutineFrames, v.Offset, v.Index, RecordKind.StackFrame, "a stack frame in a gccgo dump; libgo writes none");
        }
    }

    /// <summary>S17 for gc: the goroutine whose records just ended had at least its depth-0 frame.</summary>
    private void CheckGoroutineHadFrames()
    {
        if (_frameCount == 0 && IsGc)
        {
            Add(ValidationRules.GoroutineFrames, _gSpOffset, _gIndex, RecordKind.Goroutine,
                $"goroutine {Hex(_gAddress)} has no stack frames; the gc runtime dumps each goroutine's stack from its sp");
        }
    }

    /// <summary>R15; remembers the M for R13 too.</summary>
    private void CheckOsThread(HeapDumpRecordView v)
    {
        var m = v[OsThreadValues.Address];
        if (SeenBefore(_osThreads, m) && IsGoRuntime)
        {
            Add(ValidationRules.OsThreadUnique, v.ValueOffset(OsThreadValues.Address), v.Index, RecordKind.OsThread, $"M {Hex(m)} was dumped before");
        }
    }

    private void CheckFinalizerUnique(HeapDumpRecordView v)
    {
        var obj = v[FinalizerValues.Object];
        if (SeenBefore(_finalized, obj) && IsGoRuntime)
        {
            Add(ValidationRules.FinalizerUnique, v.ValueOffset(FinalizerValues.Object), v.Index, RecordKind.Finalizer,
                $"object {Hex(obj)} already has a registered finalizer");
        }
    }

    /// <summary>V16–V18 on the record itself; V19 needs every object and waits for the end.</summary>
    private void CheckMemStats(HeapDumpRecordView v)
    {
        if (!MemStatsAreExact)
        {
            return;
        }

        // Go: runtime/mstats.go readmemstats_m — every identity below is an assignment or a sum there.
        const int alloc = 0, totalAlloc = 1, sys = 2, mallocs = 4, frees = 5, heapAlloc = 6, heapSys = 7, heapIdle = 8,
            heapInuse = 9, heapReleased = 10, heapObjects = 11, stackInuse = 12, stackSys = 13, mspanInuse = 14,
            mspanSys = 15, mcacheInuse = 16, mcacheSys = 17, buckHashSys = 18, gcSys = 19, otherSys = 20;
        var s = v.Values;
        var index = v.Index;

        void Fail(FormatRule rule, long offset, string message) =>
            Add(rule, offset, index, RecordKind.MemStats, message);

        if (s[alloc] != s[heapAlloc])
        {
            Fail(ValidationRules.MemStatsCounts, v.ValueOffset(alloc), $"Alloc {N(s[alloc])} differs from HeapAlloc {N(s[heapAlloc])}");
        }
        else if (s[heapAlloc] > s[totalAlloc])
        {
            Fail(ValidationRules.MemStatsCounts, v.ValueOffset(totalAlloc), $"TotalAlloc {N(s[totalAlloc])} is below HeapAlloc {N(s[heapAlloc])}");
        }
        else if (s[frees] > s[mallocs])
        {
            Fail(ValidationRules.MemStatsCounts, v.ValueOffset(frees), $"Frees {N(s[frees])} exceeds Mallocs {N(s[mallocs])}");
        }
        else if (s[heapObjects] != s[mallocs] - s[frees])
        {
            Fail(ValidationRules.MemStatsCounts, v.ValueOffset(heapObjects),
                $"HeapObjects {N(s[heapObjects])} differs from Mallocs − Frees = {N(s[mallocs])} − {N(s[frees])} = {N(s[mallocs] - s[frees])}");
        }

        // Sums in 128 bits: a sum past 2^64 − 1 is no value a uvarint field can equal.
        var inuseAndIdle = (UInt128)s[heapInuse] + s[heapIdle];
        if (s[heapSys] != inuseAndIdle)
        {
            Fail(ValidationRules.MemStatsHeap, v.ValueOffset(heapSys),
                $"HeapSys {N(s[heapSys])} differs from HeapInuse + HeapIdle = {N(s[heapInuse])} + {N(s[heapIdle])} = {inuseAndIdle}");
        }
        else if (s[heapAlloc] > s[heapInuse])
        {
            Fail(ValidationRules.MemStatsHeap, v.ValueOffset(heapAlloc), $"HeapAlloc {N(s[heapAlloc])} exceeds HeapInuse {N(s[heapInuse])}");
        }
        else if (s[heapReleased] > s[heapIdle])
        {
            Fail(ValidationRules.MemStatsHeap, v.ValueOffset(heapReleased), $"HeapReleased {N(s[heapReleased])} exceeds HeapIdle {N(s[heapIdle])}");
        }

        var parts = (UInt128)s[heapSys] + s[stackSys] + s[mspanSys] + s[mcacheSys] + s[buckHashSys] + s[gcSys] + s[otherSys];
        if (s[sys] != parts)
        {
            Fail(ValidationRules.MemStatsSys, v.ValueOffset(sys),
                $"Sys {N(s[sys])} differs from HeapSys + StackSys + MSpanSys + MCacheSys + BuckHashSys + GCSys + OtherSys = {parts}");
        }
        else if (s[stackInuse] > s[stackSys])
        {
            Fail(ValidationRules.MemStatsSys, v.ValueOffset(stackInuse), $"StackInuse {N(s[stackInuse])} exceeds StackSys {N(s[stackSys])}");
        }
        else if (s[mspanInuse] > s[mspanSys])
        {
            Fail(ValidationRules.MemStatsSys, v.ValueOffset(mspanInuse), $"MSpanInuse {N(s[mspanInuse])} exceeds MSpanSys {N(s[mspanSys])}");
        }
        else if (s[mcacheInuse] > s[mcacheSys])
        {
            Fail(ValidationRules.MemStatsSys, v.ValueOffset(mcacheInuse), $"MCacheInuse {N(s[mcacheInuse])} exceeds MCacheSys {N(s[mcacheSys])}");
        }

        _memStatsSeen = true;
        _heapObjects = s[heapObjects];
        _heapAlloc = s[heapAlloc];
        _heapInuse = s[heapInuse];
        _heapObjectsOffset = v.ValueOffset(heapObjects);
        _heapAllocOffset = v.ValueOffset(heapAlloc);
        _heapInuseOffset = v.ValueOffset(heapInuse);
        _memStatsIndex = index;
    }

    /// <summary>S18 and V19, which need the whole file.</summary>
    private void FinishGuarantees()
    {
        if (IsGc && (_dataCount != 1 || _bssCount != 1) || IsGccgo && _dataCount + _bssCount != 0)
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"{_dataCount} data and {_bssCount} bss records; {(IsGc ? "the gc runtime writes one of each" : "gccgo writes neither")}");
            if (_extraSegmentOffset >= 0)
            {
                Add(ValidationRules.DataAndBss, _extraSegmentOffset, _extraSegmentIndex, _extraSegmentKind, message);
            }
            else
            {
                Add(ValidationRules.DataAndBss, _eofOffset, _eofIndex, RecordKind.Eof, message);
            }
        }

        if (!_dumperSeen && IsGc && _goVersion!.IsAtLeast(1, 21))
        {
            Add(ValidationRules.DumpingGoroutine, _eofOffset, _eofIndex, RecordKind.Eof,
                $"no goroutine waits with the reason \"dumping heap\"; {_goVersion.Describe()} dumps the goroutine that writes the dump that way");
        }

        if (!_memStatsSeen)
        {
            return;
        }

        // Memstats are read before mdump's ensureSwept frees the objects that died in the last cycle, so an unfinished
        // sweep leaves the dump with fewer objects than memstats count: only upper bounds hold. Through 1.21 (and in
        // gccgo) every dumped object is one memstats counted; from 1.22 the slots past nelems add objects it never did.
        var count = (ulong)_lane.Table.ObjectCount;
        if (IsGccgo || _goVersion!.IsBefore(1, 22))
        {
            Above(count, _heapObjects, "objects", "HeapObjects", _heapObjectsOffset);
            Above(_lane.ObjectBytes, _heapAlloc, "bytes of objects", "HeapAlloc", _heapAllocOffset);
        }

        Above(_lane.ObjectBytes, _heapInuse, "bytes of objects", "HeapInuse", _heapInuseOffset);

        void Above(ulong dumped, ulong stat, string what, string statName, long offset)
        {
            if (dumped > stat)
            {
                Add(ValidationRules.MemStatsDumpedHeap, offset, _memStatsIndex, RecordKind.MemStats,
                    $"{statName} is {N(stat)}, but the dump holds {N(dumped)} {what}");
            }
        }
    }
}

/// <summary>
/// The gc allocator's small-object size classes (Go: runtime/sizeclasses.go; from 1.26 internal/runtime/gc), as
/// membership tables indexed by size / 8. The same 67 sizes from the generated table of Go 1.8 (which reproduced the
/// sizes that msize.go's initSizes computed at start-up in 1.5–1.7) to 1.14; Go 1.15 added 24. Identical in every
/// release from 1.19 to 1.27 (read in each installed release's sources).
/// </summary>
internal static class SizeClassTable
{
    private const int MaxSmallSize = 32768;
    private const int PageSize = 8192;

    private static ReadOnlySpan<ushort> Sizes =>
    [
        8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448,
        480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096,
        4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072,
        20480, 21760, 24576, 27264, 28672, 32768,
    ];

    public static bool[] From1_15 { get; } = Build(includes24: true);

    public static bool[] Before1_15 { get; } = Build(includes24: false);

    /// <summary>A small object's length is a class size; a large object's span is whole pages (any count).</summary>
    public static bool IsSlotSize(bool[] table, ulong size) =>
        size != 0 && (size % PageSize == 0 || (size <= MaxSmallSize && size % 8 == 0 && table[size / 8]));

    private static bool[] Build(bool includes24)
    {
        var table = new bool[MaxSmallSize / 8 + 1];
        foreach (var size in Sizes)
        {
            table[size / 8] = includes24 || size != 24;
        }

        return table;
    }
}
