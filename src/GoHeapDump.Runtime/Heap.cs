using System.Collections.Immutable;

namespace GoHeapDump.Runtime;

/// <summary>State of a span. Go: runtime/mheap.go mSpanState (mSpanDead, mSpanInUse, mSpanManual).</summary>
public enum SpanState : byte
{
    /// <summary>Go: mSpanDead. Free or unused; the dump skips it.</summary>
    Dead = 0,

    /// <summary>Go: mSpanInUse. Holds heap objects: the only state the dump walks.</summary>
    InUse = 1,

    /// <summary>Go: mSpanManual. Manually managed memory (stacks); the dump skips it.</summary>
    Manual = 2,
}

/// <summary>A function value: a pointer to a block whose first word is the code pointer. Go: runtime.funcval.</summary>
/// <param name="Address">Address of the funcval.</param>
/// <param name="Entry">Its first word, fn: the entry PC of the function.</param>
public sealed record FuncVal(ulong Address, ulong Entry)
{
    public override string ToString() => $"funcval 0x{Address:x}→0x{Entry:x}";
}

/// <summary>A special record attached to a span, naming an object by its offset in the span. Go: runtime/mheap.go special.</summary>
/// <remarks>The runtime keeps a span's specials sorted by offset, then kind, at most one of each kind per offset.</remarks>
/// <param name="Offset">Offset of the object from the span base (Go: special.offset, a uint16).</param>
public abstract record SpanSpecial(ushort Offset)
{
    /// <summary>Go: special.kind (_KindSpecialFinalizer = 1, _KindSpecialProfile = 2).</summary>
    public abstract byte Kind { get; }
}

/// <summary>A finalizer set by runtime.SetFinalizer. Go: runtime/mheap.go specialfinalizer.</summary>
/// <param name="Offset">Offset of the object from the span base.</param>
/// <param name="Fn">The finalizer function value.</param>
/// <param name="ArgType">Address of the finalizer's argument type (Go: fint).</param>
/// <param name="ObjectType">Address of the object's pointer type (Go: ot).</param>
public sealed record FinalizerSpecial(ushort Offset, FuncVal Fn, ulong ArgType, ulong ObjectType) : SpanSpecial(Offset)
{
    /// <summary>Go: _KindSpecialFinalizer.</summary>
    public const byte KindValue = 1;

    public override byte Kind => KindValue;

    public override string ToString() => $"finalizer@{Offset} {Fn} fint=0x{ArgType:x} ot=0x{ObjectType:x}";
}

/// <summary>A memory-profile sample on an object. Go: runtime/mheap.go specialprofile.</summary>
/// <param name="Offset">Offset of the object from the span base.</param>
/// <param name="Bucket">Address of its memprof bucket (one of the state's buckets).</param>
public sealed record ProfileSpecial(ushort Offset, ulong Bucket) : SpanSpecial(Offset)
{
    /// <summary>Go: _KindSpecialProfile.</summary>
    public const byte KindValue = 2;

    public override byte Kind => KindValue;

    public override string ToString() => $"profile@{Offset} bucket=0x{Bucket:x}";
}

/// <summary>
/// The heap bitmap over a span's slot words: two bits per pointer-sized word. Go: runtime/mbitmap.go, Go 1.19:
/// the low bit says "pointer", the high bit says "scan" (more pointers may follow in this object); a word with
/// the scan bit clear ("dead") ends the object's pointers, and a dead word is never a pointer. How a release reads
/// it (spec/FORMAT.md, "The reference writer's releases"): up to 1.19 the scan bits end an object's fields (1.5–1.15
/// never at word 1, 1.5–1.6 not before word 2); 1.20 and 1.21 have one bit per word, so every pointer bit of the slot
/// counts and the scan bits are not read; from 1.22 only spans of objects up to PtrSize·8·PtrSize bytes keep heap
/// bits (the pointer bits here), larger objects take their fields from a type (<see cref="RuntimeType.GCMask"/>).
/// </summary>
/// <param name="Pointer">Pointer bit of every word.</param>
/// <param name="Scan">Scan bit of every word.</param>
public sealed record HeapBitmap(BitVector Pointer, BitVector Scan)
{
    /// <summary>The bitmap of a span with no words.</summary>
    public static HeapBitmap Empty { get; } = new(BitVector.Empty, BitVector.Empty);

    /// <summary>Number of words described.</summary>
    public int WordCount => Pointer.Length;
}

/// <summary>
/// A span: a run of pages, in use for objects of one size or in another state. Go: runtime/mheap.go mspan.
/// For an in-use span, slot j is the object at <c>Base + j·ElemSize</c> for j &lt; <see cref="SlotCount"/>;
/// the dump writes every slot that is not free.
/// </summary>
public sealed record HeapSpan
{
    /// <summary>First address (page-aligned). Go: mspan.startAddr, s.base().</summary>
    public required ulong Base { get; init; }

    /// <summary>Number of pages. Go: mspan.npages.</summary>
    public required ulong Pages { get; init; }

    /// <summary>State. Go: mspan.state. Only in-use spans are dumped; the fields below are ignored otherwise.</summary>
    public required SpanState State { get; init; }

    /// <summary>Size of each slot: the size class, or the whole span for a large object. Go: mspan.elemsize.</summary>
    public ulong ElemSize { get; init; }

    /// <summary>Number of slots the allocator uses. Go: mspan.nelems (equal to <see cref="SlotCount"/> in Go 1.19; may be smaller here).</summary>
    public int ElemCount { get; init; }

    /// <summary>Bit j set when slot j (j &lt; <see cref="ElemCount"/>) is free. Go: mspan.isFree (freeindex and allocBits); Length = ElemCount.</summary>
    public BitVector FreeSlots { get; init; } = BitVector.Empty;

    /// <summary>The bytes of all <see cref="SlotCount"/> slots, slot after slot (the tail waste past them is not dumped).</summary>
    public ImmutableArray<byte> Memory { get; init; } = [];

    /// <summary>The heap bitmap over the words of <see cref="Memory"/>.</summary>
    public HeapBitmap Bits { get; init; } = HeapBitmap.Empty;

    /// <summary>
    /// Go: spanclass.noscan(): the span's objects hold no pointers. From Go 1.22 the dump takes a noscan span's objects to
    /// have no pointer fields whatever <see cref="Bits"/> says; before, only the heap bitmap counts.
    /// </summary>
    public bool NoScan { get; init; }

    /// <summary>
    /// Go 1.22+: mspan.largeType, the type of a large object with pointers (one slot larger than 32 KiB); null for a noscan
    /// large object and for small-object spans. From Go 1.22 the dump lists the type's pointers repeated every type size
    /// through the whole slot. Ignored before 1.22.
    /// </summary>
    public RuntimeType? LargeType { get; init; }

    /// <summary>The span's specials list, in list order. Go: mspan.specials.</summary>
    public ImmutableArray<SpanSpecial> Specials { get; init; } = [];

    /// <summary>Bytes covered: Pages · PageSize.</summary>
    public ulong ByteCount => Pages * GoRuntime.PageSize;

    /// <summary>Number of slots the dump walks: (npages &lt;&lt; _PageShift) / elemsize, or 0 when ElemSize is 0. Go: dumpobjs n.</summary>
    public ulong SlotCount => ElemSize == 0 ? 0 : ByteCount / ElemSize;

    /// <summary>Address of slot <paramref name="slot"/>.</summary>
    public ulong SlotAddress(int slot) => Base + ((ulong)slot * ElemSize);

    /// <summary>True when slot <paramref name="slot"/> is free: below <see cref="ElemCount"/> with its free bit set.</summary>
    public bool IsFree(int slot) => slot < ElemCount && FreeSlots[slot];

    /// <summary>The bytes of slot <paramref name="slot"/>.</summary>
    public ReadOnlySpan<byte> SlotBytes(int slot) => Memory.AsSpan().Slice(checked((int)((ulong)slot * ElemSize)), checked((int)ElemSize));

    public override string ToString() => RuntimeStateFormatter.Describe(this, 0, slotDetail: false);
}

/// <summary>A runtime type descriptor as the dump sees it. Go: runtime/type.go _type (and its uncommontype).</summary>
public sealed record RuntimeType
{
    /// <summary>Address of the _type; its identity in the type cache. Never 0.</summary>
    public required ulong Address { get; init; }

    /// <summary>Go: _type.size.</summary>
    public ulong Size { get; init; }

    /// <summary>Go: _type.hash; its low 8 bits pick the type-cache bucket.</summary>
    public uint Hash { get; init; }

    /// <summary>The name data as stored (Go: nameOff(t.str).name()), including the leading '*' when <see cref="ExtraStar"/>.</summary>
    public required GoString Str { get; init; }

    /// <summary>Go: tflagExtraStar. t.string() drops the first byte of <see cref="Str"/>.</summary>
    public bool ExtraStar { get; init; }

    /// <summary>Go: tflagNamed. t.name() is the part of t.string() after the last '.' outside square brackets; "" when not named.</summary>
    public bool Named { get; init; }

    /// <summary>The uncommon part's package path (Go: nameOff(uncommon.pkgpath).name()); null when the type has no uncommon part.</summary>
    public GoString? PkgPath { get; init; }

    /// <summary>Go: kind &amp; kindDirectIface: the value is stored directly in an interface word.</summary>
    public bool DirectIface { get; init; }

    /// <summary>Go: _type.ptrdata, bytes of the prefix that can hold pointers.</summary>
    public ulong PtrData { get; init; }

    /// <summary>
    /// Go: _type.gcdata as a pointer mask: bit i set when word i of a value holds a pointer (PtrData / PtrSize bits). From
    /// Go 1.22 the dump reads it for objects with a malloc header and large objects; empty when not needed.
    /// </summary>
    public BitVector GCMask { get; init; } = BitVector.Empty;

    /// <summary>
    /// Go 1.5–1.6: _type.ptrto, the type *T, which those releases' dump names as the type of an itab whose type is not
    /// stored directly in an interface word; null when the state does not need it.
    /// </summary>
    public RuntimeType? PtrTo { get; init; }

    public override string ToString() =>
        $"type 0x{Address:x} size={Size} hash=0x{Hash:x8} str=\"{Str}\"{(ExtraStar ? " extra-star" : "")}{(Named ? " named" : "")}" +
        $"{(PkgPath is { } p ? $" pkgpath=\"{p}\"" : "")}{(DirectIface ? " direct-iface" : "")} ptrdata={PtrData}";
}

/// <summary>An interface table, in the order iterate_itabs visits them. Go: runtime/iface.go itab.</summary>
/// <param name="Address">Address of the itab.</param>
/// <param name="Type">Its concrete type (Go: itab._type), one of the state's types; null for a nil type.</param>
public sealed record Itab(ulong Address, RuntimeType? Type)
{
    public override string ToString() => $"itab 0x{Address:x} type={(Type is null ? "nil" : $"0x{Type.Address:x}")}";
}
