using System.Collections.Immutable;

namespace GoHeapDump.Runtime.Tests;

/// <summary>Small valid parts to build states from; each test changes one thing.</summary>
internal static class Sample
{
    /// <summary>amd64: arena index of 0xc000000000 (the usual first heap arena).</summary>
    public const ulong Arena = 0x203000;

    public const ulong HeapBase = 0xc000000000;

    public static RuntimePlatform Amd64 { get; } = RuntimePlatform.ForArch("amd64");

    public static RuntimePlatform I386 { get; } = RuntimePlatform.ForArch("386");

    /// <summary>An in-use span of one page with two 4096-byte slots, no free slot, no pointers.</summary>
    public static HeapSpan Span(ulong baseAddress = HeapBase, ulong elemSize = 4096, int ptrSize = 8)
    {
        var slots = (int)(GoRuntime.PageSize / elemSize);
        var words = slots * (int)elemSize / ptrSize;
        return new HeapSpan
        {
            Base = baseAddress,
            Pages = 1,
            State = SpanState.InUse,
            ElemSize = elemSize,
            ElemCount = slots,
            FreeSlots = BitVector.Zeros(slots),
            Memory = ImmutableArray.Create(new byte[slots * (int)elemSize]),
            Bits = new HeapBitmap(BitVector.Zeros(words), BitVector.Zeros(words)),
        };
    }

    public static RuntimeState WithSpans(params HeapSpan[] spans) => new(Amd64, arenas: [Arena], spans: spans);

    /// <summary>A function [0x401000, 0x401100) with a 2-bitmap locals map of 2 words and an index table 0 then 1.</summary>
    public static FuncInfo Function(StackMap? locals = null, StackMap? args = null, PcTable<int>? index = null) => new()
    {
        Entry = 0x401000,
        End = 0x401100,
        Name = "main.f",
        LocalsPointerMaps = locals,
        ArgsPointerMaps = args,
        StackMapIndex = index,
    };

    /// <summary>A frame of <paramref name="size"/> bytes at <paramref name="sp"/> with varp = fp − 16 (amd64).</summary>
    public static StackFrame Frame(FuncInfo? fn, ulong sp, ulong size = 0x30, ulong pc = 0x401010, ulong argLen = 0) => new()
    {
        Function = fn,
        Pc = pc,
        ContinuationPc = pc,
        Sp = sp,
        Fp = sp + size,
        Varp = sp + size - 16,
        Argp = sp + size,
        ArgLen = argLen,
        Contents = ImmutableArray.Create(new byte[size]),
    };

    public static Goroutine Goroutine(params StackFrame[] frames) => new()
    {
        Address = 0xc000001a00,
        Status = GoroutineStatus.Waiting,
        SchedSp = frames.Length > 0 ? frames[0].Sp : 0,
        SchedPc = frames.Length > 0 ? frames[0].Pc : 0, // the traceback starts at sched.pc: frame 0's pc
        Frames = [.. frames],
    };

    public static RuntimeState WithGoroutines(params Goroutine[] goroutines) => new(Amd64, goroutines: goroutines);
}
