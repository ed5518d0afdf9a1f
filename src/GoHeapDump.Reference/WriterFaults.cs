namespace GoHeapDump.Reference;

/// <summary>
/// Deliberate bugs the property suite switches on to prove its properties catch them (issue 4: "show, with a
/// test-only fault hook, that these deliberate bugs are caught"). Internal: only the test assemblies named in
/// the project file can set them, through the internal <c>HeapDumpWriter.Write(state, sink, faults)</c>.
/// Each fault is a field of the writer instance (no global state, safe under parallel tests), checked only on
/// the rare branch it corrupts, so the normal path costs nothing measurable.
/// </summary>
[Flags]
internal enum WriterFaults
{
    /// <summary>The writer as it is.</summary>
    None = 0,

    /// <summary>A type-cache hit below the front of its bucket does not move the type to the front (dumptype's move-to-front skipped).</summary>
    TypeCacheNoMoveToFront = 1 << 0,

    /// <summary>Free slots are dumped as objects (dumpobjs' freemark ignored).</summary>
    FreeSlotDumped = 1 << 1,

    /// <summary>Every stack frame's depth is written one too high (dumpframe's child.depth + 1).</summary>
    FrameDepthOffByOne = 1 << 2,

    /// <summary>The memstats record writes HeapInuse where HeapIdle belongs and vice versa.</summary>
    MemStatsSwapped = 1 << 3,

    /// <summary>The write buffer flushes when a write would fill it exactly (dwrite's <c>nbuf+len &lt;= bufSize</c> taken as <c>&lt;</c>).</summary>
    BufferBoundaryOffByOne = 1 << 4,

    /// <summary>Go 1.22+ objects get the 1.20–1.21 field list (every heap-bitmap pointer bit of the slot) instead of the one
    /// makeheapobjbv derives from the malloc header's or the large span's type.</summary>
    TypePointersAsHeapBits = 1 << 5,
}
